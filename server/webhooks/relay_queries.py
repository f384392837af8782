"""SQL for the webhook relay's cursor, its gaps, and what it reads; the caller owns the transaction."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from server.events import Event

_EVENT = "o.id, o.aggregate, o.aggregate_id, o.seq, o.type, o.data, o.created_at AS at"


async def lock_cursor(conn: asyncpg.Connection) -> int | None:
    """The cursor, locked for this pass; None while another worker holds it."""
    row = await conn.fetchrow("SELECT last_event_id FROM webhook_relay FOR UPDATE SKIP LOCKED")
    if row is not None:
        return row["last_event_id"]
    # no row: a fresh (or emptied) database starts from the beginning; a held row conflicts
    return await conn.fetchval(
        "INSERT INTO webhook_relay (last_event_id) VALUES (0) ON CONFLICT DO NOTHING"
        " RETURNING last_event_id")


async def move_cursor(conn: asyncpg.Connection, last_event_id: int) -> None:
    await conn.execute("UPDATE webhook_relay SET last_event_id = $1", last_event_id)


async def events_after(conn: asyncpg.Connection, after: int, limit: int) -> list[Event]:
    rows = await conn.fetch(f"SELECT {_EVENT} FROM outbox o WHERE o.id > $1 ORDER BY o.id LIMIT $2",
                            after, limit)
    return [Event(**row) for row in rows]


async def take_filled_gaps(conn: asyncpg.Connection) -> list[Event]:
    """Events that committed after the cursor passed their id; their gaps are closed."""
    rows = await conn.fetch(
        f"DELETE FROM webhook_relay_gaps g USING outbox o WHERE o.id = g.event_id RETURNING {_EVENT}")
    return [Event(**row) for row in rows]


async def add_gaps(conn: asyncpg.Connection, ids: list[int], at: datetime) -> None:
    if ids:
        await conn.execute(
            "INSERT INTO webhook_relay_gaps (event_id, seen_at) SELECT unnest($1::bigint[]), $2"
            " ON CONFLICT DO NOTHING", ids, at)


async def forget_gaps(conn: asyncpg.Connection, older_than: datetime) -> None:
    await conn.execute("DELETE FROM webhook_relay_gaps WHERE seen_at < $1", older_than)


async def customers_of(conn: asyncpg.Connection, order_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    rows = await conn.fetch("SELECT id, customer_id FROM orders WHERE id = ANY($1)", order_ids)
    return {row["id"]: row["customer_id"] for row in rows}
