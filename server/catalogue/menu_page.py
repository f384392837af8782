"""The customer's restaurant page in one answer: the restaurant, its articles and its menus."""
from __future__ import annotations

import uuid
from datetime import datetime

from domain.catalogue import ArticleCategory
from server.catalogue import item_queries as items
from server.catalogue.clock import now
from server.catalogue.ownership import live_restaurant
from server.catalogue.restaurants import restaurant_view
from server.catalogue.rows import article_view, articles_by_id, menu_view
from server.catalogue.views import CategoryView, MenuPage, MenuView
from server.context import Context


async def menu_page(ctx: Context, restaurant_id: uuid.UUID, at: datetime | None = None) -> MenuPage:
    """Available articles by category (in enum order), and the menus a customer can complete;
    open or not at `at` (now by default)."""
    async with ctx.db.acquire() as conn:
        row = await live_restaurant(conn, restaurant_id)
        article_rows = await items.articles_of(conn, restaurant_id)
        menu_rows = await items.menus_of(conn, restaurant_id)
    restaurant = restaurant_view(row, at or now(ctx))
    shown = [article_view(r) for r in article_rows if r["available"]]
    categories = [CategoryView(category=c, articles=[a for a in shown if a.category == c])
                  for c in ArticleCategory]
    articles = articles_by_id(article_rows)
    menus = [menu_view(r, articles) for r in menu_rows if r["available"]]
    return MenuPage(
        restaurant=restaurant, categories=[c for c in categories if c.articles],
        menus=[m for m in menus if _can_be_completed(m)],
        open_now=restaurant.open_now, next_opening_at=restaurant.next_opening_at)


def _can_be_completed(menu: MenuView) -> bool:
    """A menu whose slot has fewer available articles than it asks for cannot be ordered."""
    return all(sum(c.available for c in slot.choices) >= slot.min_choices for slot in menu.slots)
