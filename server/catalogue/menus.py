"""Menu use cases: list, create, change, delete; slots may only offer the restaurant's articles."""
from __future__ import annotations

import uuid

from domain.catalogue_input import MenuInput, MenuPatch, menu_from_input, patch_menu
from domain.errors import Conflict, NotFound
from server.catalogue import item_queries as items
from server.catalogue.cursor import decode_cursor, encode_cursor
from server.catalogue.ownership import live_restaurant, locked_restaurant
from server.catalogue.rows import articles_by_id, menu_of, menu_view
from server.catalogue.versions import changed
from server.catalogue.views import MenuView, Page
from server.context import Context

_GONE = "no such menu"


async def list_menus(ctx: Context, restaurant_id: uuid.UUID, cursor: str | None,
                     limit: int) -> Page[MenuView]:
    after = decode_cursor(cursor, tuple[int, uuid.UUID])
    async with ctx.db.acquire() as conn:
        await live_restaurant(conn, restaurant_id)
        rows = await items.menus_of(conn, restaurant_id, after=after, limit=limit + 1)
        articles = articles_by_id(await items.articles_of(conn, restaurant_id))
    last = rows[limit - 1] if len(rows) > limit else None
    return Page(items=[menu_view(r, articles) for r in rows[:limit]],
                next_cursor=encode_cursor([last["position"], last["id"]]) if last else None)


async def create_menu(ctx: Context, owner_id: uuid.UUID, restaurant_id: uuid.UUID,
                      data: MenuInput) -> MenuView:
    async with ctx.db.acquire() as conn, conn.transaction():
        await locked_restaurant(conn, restaurant_id, owner_id)
        articles = articles_by_id(await items.articles_of(conn, restaurant_id))
        menu = menu_from_input(data, uuid.uuid4(), articles)
        count, position = await items.count_items(conn, "menus", restaurant_id)
        if count >= items.MAX_MENUS:
            raise Conflict(f"a restaurant holds at most {items.MAX_MENUS} menus", code="too-many-menus")
        row = await items.insert_menu(conn, restaurant_id, menu, position)
    await changed(ctx, restaurant_id, discovery=False)  # a nearby search never reads menus
    return menu_view(row, articles)


async def update_menu(ctx: Context, owner_id: uuid.UUID, restaurant_id: uuid.UUID,
                      menu_id: uuid.UUID, patch: MenuPatch) -> MenuView:
    async with ctx.db.acquire() as conn, conn.transaction():
        await locked_restaurant(conn, restaurant_id, owner_id)
        row = await items.menu_by_id(conn, restaurant_id, menu_id, lock=True)
        if row is None:
            raise NotFound(_GONE)
        articles = articles_by_id(await items.articles_of(conn, restaurant_id))
        row = await items.update_menu(conn, patch_menu(menu_of(row), patch, articles))
    await changed(ctx, restaurant_id, discovery=False)
    return menu_view(row, articles)


async def delete_menu(ctx: Context, owner_id: uuid.UUID, restaurant_id: uuid.UUID,
                      menu_id: uuid.UUID) -> None:
    async with ctx.db.acquire() as conn, conn.transaction():
        await locked_restaurant(conn, restaurant_id, owner_id)
        if await items.menu_by_id(conn, restaurant_id, menu_id, lock=True) is None:
            raise NotFound(_GONE)
        await items.delete_item(conn, "menus", menu_id)
    await changed(ctx, restaurant_id, discovery=False)
