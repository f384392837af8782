"""SQL for restaurants and their photos; the caller owns the transaction."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

RESTAURANT_COLUMNS = (
    "id, owner_id, name, description, cuisines, address, lat, lng, hours, closures, timezone,"
    " delivery_radius_m, avg_prep_minutes, is_open, photo_id, created_at, updated_at"
)
# Columns a use case may write; their names come from this list, never from a request.
_WRITABLE = ("name", "description", "cuisines", "address", "lat", "lng", "hours", "closures",
             "timezone", "delivery_radius_m", "avg_prep_minutes", "is_open")


async def insert_restaurant(conn: asyncpg.Connection, owner_id: uuid.UUID, columns: dict[str, Any],
                            search: str) -> asyncpg.Record:
    names = [n for n in _WRITABLE if n in columns]
    params = ", ".join(f"${i}" for i in range(3, len(names) + 3))
    return await conn.fetchrow(
        f"INSERT INTO restaurants (owner_id, search, {', '.join(names)})"
        f" VALUES ($1, to_tsvector('simple', $2), {params}) RETURNING {RESTAURANT_COLUMNS}",
        owner_id, search, *(columns[n] for n in names))


async def update_restaurant(conn: asyncpg.Connection, restaurant_id: uuid.UUID,
                            columns: dict[str, Any], search: str) -> asyncpg.Record:
    names = [n for n in _WRITABLE if n in columns]
    sets = "".join(f", {n} = ${i}" for i, n in enumerate(names, start=3))
    return await conn.fetchrow(
        f"UPDATE restaurants SET updated_at = now(), search = to_tsvector('simple', $2){sets}"
        f" WHERE id = $1 RETURNING {RESTAURANT_COLUMNS}",
        restaurant_id, search, *(columns[n] for n in names))


async def restaurant_by_id(conn: asyncpg.Connection, restaurant_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {RESTAURANT_COLUMNS} FROM restaurants WHERE id = $1 AND deleted_at IS NULL",
        restaurant_id)


async def owned_restaurant(conn: asyncpg.Connection, restaurant_id: uuid.UUID, owner_id: uuid.UUID,
                           *, lock: bool = False) -> asyncpg.Record | None:
    """The owner's restaurant; `lock` serialises catalogue changes (orders' key-share locks pass)."""
    return await conn.fetchrow(
        f"SELECT {RESTAURANT_COLUMNS} FROM restaurants WHERE id = $1 AND owner_id = $2"
        f" AND deleted_at IS NULL{' FOR NO KEY UPDATE' if lock else ''}", restaurant_id, owner_id)


async def restaurants_of_owner(conn: asyncpg.Connection, owner_id: uuid.UUID,
                               after: tuple | None, limit: int) -> list[asyncpg.Record]:
    """The owner's restaurants, oldest first, after the (created_at, id) key if given."""
    created, rid = after or (None, None)
    return await conn.fetch(
        f"SELECT {RESTAURANT_COLUMNS} FROM restaurants WHERE owner_id = $1 AND deleted_at IS NULL"
        " AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))"
        " ORDER BY created_at, id LIMIT $4", owner_id, created, rid, limit)


async def delete_restaurant(conn: asyncpg.Connection, restaurant_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE restaurants SET deleted_at = now(), updated_at = now() WHERE id = $1", restaurant_id)


async def insert_photo(conn: asyncpg.Connection, photo_id: uuid.UUID, restaurant_id: uuid.UUID,
                       uploaded_by: uuid.UUID, width: int, height: int, size: int) -> None:
    await conn.execute(
        "INSERT INTO photos (id, restaurant_id, uploaded_by, width, height, bytes)"
        " VALUES ($1, $2, $3, $4, $5, $6)", photo_id, restaurant_id, uploaded_by, width, height, size)


async def set_restaurant_photo(conn: asyncpg.Connection, restaurant_id: uuid.UUID,
                               photo_id: uuid.UUID) -> None:
    await conn.execute("UPDATE restaurants SET photo_id = $2, updated_at = now() WHERE id = $1",
                       restaurant_id, photo_id)


async def delete_photo(conn: asyncpg.Connection, photo_id: uuid.UUID) -> None:
    await conn.execute("DELETE FROM photos WHERE id = $1", photo_id)
