"""Article use cases: list, create, change (sold-out included), delete."""
from __future__ import annotations

import uuid

from domain.catalogue_input import ArticleInput, ArticlePatch, article_from_input, patch_article
from domain.errors import Conflict, NotFound
from domain.text_search import document
from server.catalogue import item_queries as items
from server.catalogue.cursor import decode_cursor, encode_cursor
from server.catalogue.ownership import live_restaurant, locked_restaurant
from server.catalogue.rows import article_of, article_view
from server.catalogue.versions import changed
from server.catalogue.views import ArticleView, Page
from server.context import Context

_GONE = "no such article"


async def list_articles(ctx: Context, restaurant_id: uuid.UUID, cursor: str | None,
                        limit: int) -> Page[ArticleView]:
    after = decode_cursor(cursor, tuple[int, uuid.UUID])
    async with ctx.db.acquire() as conn:
        await live_restaurant(conn, restaurant_id)
        rows = await items.articles_of(conn, restaurant_id, after=after, limit=limit + 1)
    last = rows[limit - 1] if len(rows) > limit else None
    return Page(items=[article_view(r) for r in rows[:limit]],
                next_cursor=encode_cursor([last["position"], last["id"]]) if last else None)


async def create_article(ctx: Context, owner_id: uuid.UUID, restaurant_id: uuid.UUID,
                         data: ArticleInput) -> ArticleView:
    article = article_from_input(data, uuid.uuid4())
    async with ctx.db.acquire() as conn, conn.transaction():
        await locked_restaurant(conn, restaurant_id, owner_id)
        count, position = await items.count_items(conn, "articles", restaurant_id)
        if count >= items.MAX_ARTICLES:
            raise Conflict(f"a restaurant holds at most {items.MAX_ARTICLES} articles",
                           code="too-many-articles")
        row = await items.insert_article(conn, restaurant_id, article, position, document(article.name))
    await changed(ctx, restaurant_id)  # a nearby search finds restaurants by their dishes too
    return article_view(row)


async def update_article(ctx: Context, owner_id: uuid.UUID, restaurant_id: uuid.UUID,
                         article_id: uuid.UUID, patch: ArticlePatch) -> ArticleView:
    async with ctx.db.acquire() as conn, conn.transaction():
        await locked_restaurant(conn, restaurant_id, owner_id)
        row = await items.article_by_id(conn, restaurant_id, article_id, lock=True)
        if row is None:
            raise NotFound(_GONE)
        article = patch_article(article_of(row), patch)
        row = await items.update_article(conn, article, document(article.name))
    await changed(ctx, restaurant_id)
    return article_view(row)


async def delete_article(ctx: Context, owner_id: uuid.UUID, restaurant_id: uuid.UUID,
                         article_id: uuid.UUID) -> None:
    """Soft delete; refused while a menu offers the article, so no menu loses a choice silently."""
    async with ctx.db.acquire() as conn, conn.transaction():
        await locked_restaurant(conn, restaurant_id, owner_id)
        if await items.article_by_id(conn, restaurant_id, article_id, lock=True) is None:
            raise NotFound(_GONE)
        if names := await items.menus_using(conn, restaurant_id, article_id):
            raise Conflict("this article is offered in menus: " + ", ".join(names)
                           + "; take it out of them first", code="article-in-menu",
                           extra={"menus": names})
        await items.delete_item(conn, "articles", article_id)
    await changed(ctx, restaurant_id)
