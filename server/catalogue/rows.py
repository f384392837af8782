"""Article and menu rows turned into domain objects and the views clients get."""
from __future__ import annotations

import uuid

import asyncpg
import msgspec

from domain.catalogue import Article, Menu
from server.catalogue.views import ArticleView, MenuView, SlotChoice, SlotView, photo_urls


def article_of(row: asyncpg.Record) -> Article:
    return msgspec.convert(dict(row), Article)


def menu_of(row: asyncpg.Record) -> Menu:
    return msgspec.convert(dict(row), Menu)


def article_view(row: asyncpg.Record) -> ArticleView:
    article = article_of(row)
    return ArticleView(
        id=article.id, category=article.category, name=article.name, description=article.description,
        price_cents=article.price_cents, allergens=article.allergens, option_groups=article.option_groups,
        available=article.available, position=row["position"], photo=photo_urls(row["photo_id"]))


def menu_view(row: asyncpg.Record, articles: dict[uuid.UUID, Article]) -> MenuView:
    """A menu with, for each slot, the name and availability of the articles it offers."""
    menu = menu_of(row)
    slots = [SlotView(
        id=s.id, name=s.name, min_choices=s.min_choices, max_choices=s.max_choices,
        article_ids=s.article_ids,
        choices=[SlotChoice(article_id=a, name=articles[a].name, available=articles[a].available)
                 for a in s.article_ids if a in articles],
    ) for s in menu.slots]
    return MenuView(id=menu.id, name=menu.name, description=menu.description,
                    price_cents=menu.price_cents, slots=slots, available=menu.available,
                    position=row["position"])


def articles_by_id(rows: list[asyncpg.Record]) -> dict[uuid.UUID, Article]:
    return {row["id"]: article_of(row) for row in rows}
