"""SQL for webhook endpoints; the caller owns the transaction."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

COLUMNS = ("id, user_id, url, description, events, active, failing_since, previous_until,"
           " created_at, updated_at")
_CHANGEABLE = ("url", "description", "events", "active", "secret", "previous_secret",
               "previous_until")


async def insert(conn: asyncpg.Connection, endpoint_id: uuid.UUID, user_id: uuid.UUID, url: str,
                 description: str, events: list[str], secret: bytes) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO webhook_endpoints (id, user_id, url, description, events, secret)"
        f" VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}",
        endpoint_id, user_id, url, description, events, secret)


async def lock_owner(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    """Serialise creation per owner, so the endpoint cap holds under concurrency."""
    await conn.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", user_id)


async def count_for(conn: asyncpg.Connection, user_id: uuid.UUID) -> int:
    return await conn.fetchval("SELECT count(*) FROM webhook_endpoints WHERE user_id = $1", user_id)


async def list_for(conn: asyncpg.Connection, user_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {COLUMNS} FROM webhook_endpoints WHERE user_id = $1 ORDER BY created_at DESC, id",
        user_id)


async def owned(conn: asyncpg.Connection, endpoint_id: uuid.UUID, user_id: uuid.UUID, *,
                lock: bool = False) -> asyncpg.Record | None:
    """The endpoint if it is this person's; someone else's reads as missing."""
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM webhook_endpoints WHERE id = $1 AND user_id = $2"
        + (" FOR UPDATE" if lock else ""), endpoint_id, user_id)


async def update(conn: asyncpg.Connection, endpoint_id: uuid.UUID, changes: dict[str, Any],
                 at: datetime) -> asyncpg.Record:
    names = [name for name in _CHANGEABLE if name in changes]
    sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(names, start=3))
    return await conn.fetchrow(
        f"UPDATE webhook_endpoints SET {sets + ', ' if sets else ''}updated_at = $2"
        f" WHERE id = $1 RETURNING {COLUMNS}", endpoint_id, at, *(changes[n] for n in names))


async def delete(conn: asyncpg.Connection, endpoint_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    row = await conn.fetchrow(
        "DELETE FROM webhook_endpoints WHERE id = $1 AND user_id = $2 RETURNING id",
        endpoint_id, user_id)
    return row is not None


async def delete_all_of(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    await conn.execute("DELETE FROM webhook_endpoints WHERE user_id = $1", user_id)


async def signing(conn: asyncpg.Connection | asyncpg.Pool,
                  endpoint_id: uuid.UUID) -> asyncpg.Record | None:
    """What sending needs: where, whether, and the sealed secrets."""
    return await conn.fetchrow(
        "SELECT id, user_id, url, active, secret, previous_secret, previous_until, failing_since"
        " FROM webhook_endpoints WHERE id = $1", endpoint_id)


async def subscribers(conn: asyncpg.Connection, owners: list[uuid.UUID]) -> list[asyncpg.Record]:
    """The active endpoints of these people: a paused one takes no new event."""
    return await conn.fetch(
        "SELECT id, user_id, events, created_at FROM webhook_endpoints"
        " WHERE user_id = ANY($1) AND active", owners)


async def mark_failing(conn: asyncpg.Connection, endpoint_id: uuid.UUID, at: datetime) -> bool:
    """True when the endpoint was not failing before: its owner is told once."""
    row = await conn.fetchrow(
        "UPDATE webhook_endpoints SET failing_since = $2 WHERE id = $1 AND failing_since IS NULL"
        " RETURNING id", endpoint_id, at)
    return row is not None


async def clear_failing(conn: asyncpg.Connection, endpoint_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL",
        endpoint_id)
