"""SQL for a restaurant's articles and menus; the caller owns the transaction."""
from __future__ import annotations

import uuid

import asyncpg

from domain.catalogue import Article, Menu

ARTICLE_COLUMNS = ("id, restaurant_id, category, name, description, price_cents, allergens,"
                   " option_groups, available, photo_id, position")
MENU_COLUMNS = "id, restaurant_id, name, description, price_cents, slots, available, position"
MAX_ARTICLES, MAX_MENUS = 1000, 200


async def articles_of(conn: asyncpg.Connection, restaurant_id: uuid.UUID, *,
                      after: tuple | None = None, limit: int = MAX_ARTICLES) -> list[asyncpg.Record]:
    """Articles in their order on the menu, after the (position, id) key if given."""
    position, aid = after or (None, None)
    return await conn.fetch(
        f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE restaurant_id = $1 AND deleted_at IS NULL"
        " AND ($2::integer IS NULL OR (position, id) > ($2, $3::uuid))"
        " ORDER BY position, id LIMIT $4", restaurant_id, position, aid, limit)


async def article_by_id(conn: asyncpg.Connection, restaurant_id: uuid.UUID, article_id: uuid.UUID,
                        *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1 AND restaurant_id = $2"
        f" AND deleted_at IS NULL{' FOR UPDATE' if lock else ''}", article_id, restaurant_id)


async def count_items(conn: asyncpg.Connection, table: str, restaurant_id: uuid.UUID) -> tuple[int, int]:
    """(how many live rows, the next free position) in articles or menus."""
    assert table in ("articles", "menus")
    row = await conn.fetchrow(
        f"SELECT count(*) AS n, coalesce(max(position) + 1, 0) AS next FROM {table}"
        " WHERE restaurant_id = $1 AND deleted_at IS NULL", restaurant_id)
    return row["n"], row["next"]


async def insert_article(conn: asyncpg.Connection, restaurant_id: uuid.UUID, a: Article,
                         position: int, search: str) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO articles (id, restaurant_id, category, name, description, price_cents, allergens,"
        " option_groups, available, position, search)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, to_tsvector('simple', $11))"
        f" RETURNING {ARTICLE_COLUMNS}", a.id, restaurant_id, a.category, a.name, a.description,
        a.price_cents, a.allergens, a.option_groups, a.available, position, search)


async def update_article(conn: asyncpg.Connection, a: Article, search: str) -> asyncpg.Record:
    return await conn.fetchrow(
        "UPDATE articles SET category = $2, name = $3, description = $4, price_cents = $5,"
        " allergens = $6, option_groups = $7, available = $8, search = to_tsvector('simple', $9),"
        f" updated_at = now() WHERE id = $1 RETURNING {ARTICLE_COLUMNS}", a.id, a.category, a.name,
        a.description, a.price_cents, a.allergens, a.option_groups, a.available, search)


async def set_article_photo(conn: asyncpg.Connection, article_id: uuid.UUID, photo_id: uuid.UUID) -> None:
    await conn.execute("UPDATE articles SET photo_id = $2, updated_at = now() WHERE id = $1",
                       article_id, photo_id)


async def menus_of(conn: asyncpg.Connection, restaurant_id: uuid.UUID, *,
                   after: tuple | None = None, limit: int = MAX_MENUS) -> list[asyncpg.Record]:
    position, mid = after or (None, None)
    return await conn.fetch(
        f"SELECT {MENU_COLUMNS} FROM menus WHERE restaurant_id = $1 AND deleted_at IS NULL"
        " AND ($2::integer IS NULL OR (position, id) > ($2, $3::uuid))"
        " ORDER BY position, id LIMIT $4", restaurant_id, position, mid, limit)


async def menu_by_id(conn: asyncpg.Connection, restaurant_id: uuid.UUID, menu_id: uuid.UUID,
                     *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {MENU_COLUMNS} FROM menus WHERE id = $1 AND restaurant_id = $2"
        f" AND deleted_at IS NULL{' FOR UPDATE' if lock else ''}", menu_id, restaurant_id)


async def menus_using(conn: asyncpg.Connection, restaurant_id: uuid.UUID,
                      article_id: uuid.UUID) -> list[str]:
    """Names of the live menus with a slot offering the article."""
    rows = await conn.fetch(
        "SELECT name FROM menus m WHERE restaurant_id = $1 AND deleted_at IS NULL AND EXISTS ("
        " SELECT 1 FROM jsonb_array_elements(m.slots) s WHERE s->'article_ids' ? $2) ORDER BY name",
        restaurant_id, str(article_id))
    return [r["name"] for r in rows]


async def insert_menu(conn: asyncpg.Connection, restaurant_id: uuid.UUID, m: Menu,
                      position: int) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO menus (id, restaurant_id, name, description, price_cents, slots, available, position)"
        f" VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {MENU_COLUMNS}",
        m.id, restaurant_id, m.name, m.description, m.price_cents, m.slots, m.available, position)


async def update_menu(conn: asyncpg.Connection, m: Menu) -> asyncpg.Record:
    return await conn.fetchrow(
        "UPDATE menus SET name = $2, description = $3, price_cents = $4, slots = $5, available = $6,"
        f" updated_at = now() WHERE id = $1 RETURNING {MENU_COLUMNS}",
        m.id, m.name, m.description, m.price_cents, m.slots, m.available)


async def delete_item(conn: asyncpg.Connection, table: str, item_id: uuid.UUID) -> None:
    assert table in ("articles", "menus")
    await conn.execute(f"UPDATE {table} SET deleted_at = now(), updated_at = now() WHERE id = $1", item_id)
