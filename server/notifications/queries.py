"""SQL for notifications; the caller owns the transaction."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

COLUMNS = "id, user_id, kind, title, body, data, read_at, created_at"


async def user_language(conn: asyncpg.Connection, user_id: uuid.UUID) -> str | None:
    return await conn.fetchval("SELECT language FROM users WHERE id = $1", user_id)


async def insert(conn: asyncpg.Connection, user_id: uuid.UUID, kind: str, title: str,
                 body: str, data: dict) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO notifications (user_id, kind, title, body, data) VALUES ($1, $2, $3, $4, $5)"
        f" RETURNING {COLUMNS}", user_id, kind, title, body, data)


async def insert_each(conn: asyncpg.Connection, notes: list[dict], default_language: str) -> list[asyncpg.Record]:
    """Several notifications in one statement, each in its person's language.

    A note is {user_id, kind, data, texts: {language: (title, body)}}; a person with no
    language, or one the texts lack, gets `default_language`'s.
    """
    return await conn.fetch(
        "INSERT INTO notifications (user_id, kind, title, body, data)"
        " SELECT n.user_id, n.kind, t.texts ->> 0, t.texts ->> 1, n.data"
        " FROM json_to_recordset($1::json) AS n(user_id uuid, kind text, texts jsonb, data jsonb)"
        " LEFT JOIN users u ON u.id = n.user_id"
        " CROSS JOIN LATERAL (SELECT coalesce(n.texts -> u.language, n.texts -> $2) AS texts) t"
        f" RETURNING {COLUMNS}", notes, default_language)


async def page(conn: asyncpg.Connection, user_id: uuid.UUID,
               after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
    """Newest first, starting after the cursor's (created_at, id); limit rows at most."""
    if after is None:
        return await conn.fetch(
            f"SELECT {COLUMNS} FROM notifications WHERE user_id = $1"
            " ORDER BY created_at DESC, id DESC LIMIT $2", user_id, limit)
    return await conn.fetch(
        f"SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND (created_at, id) < ($2, $3)"
        " ORDER BY created_at DESC, id DESC LIMIT $4", user_id, after[0], after[1], limit)


async def unread_count(conn: asyncpg.Connection, user_id: uuid.UUID) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL", user_id)


async def mark_read(conn: asyncpg.Connection, user_id: uuid.UUID,
                    notification_id: uuid.UUID) -> asyncpg.Record | None:
    """The notification once read (the first reading time is kept); None if not the user's."""
    return await conn.fetchrow(
        "UPDATE notifications SET read_at = coalesce(read_at, now())"
        f" WHERE id = $1 AND user_id = $2 RETURNING {COLUMNS}", notification_id, user_id)


async def delete_for_user(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    await conn.execute("DELETE FROM notifications WHERE user_id = $1", user_id)
