"""Domain events: written to the outbox inside the change's transaction, published after."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any, Awaitable, Callable

import asyncpg
import msgspec

from server.context import Context

log = logging.getLogger(__name__)


class Event(msgspec.Struct, frozen=True):
    """One thing that happened to one aggregate; seq counts from 1 per aggregate, gapless."""

    id: int
    aggregate: str
    aggregate_id: uuid.UUID
    seq: int
    type: str
    data: dict[str, Any]
    at: datetime


_COLUMNS = "id, aggregate, aggregate_id, seq, type, data, created_at AS at"


async def record(conn: asyncpg.Connection, aggregate: str, aggregate_id: uuid.UUID,
                 type: str, data: dict[str, Any]) -> Event:
    """Append an event; the caller holds the aggregate's row lock, so max(seq)+1 is safe."""
    row = await conn.fetchrow(
        "INSERT INTO outbox (aggregate, aggregate_id, seq, type, data)"
        " SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4 FROM outbox"
        f" WHERE aggregate = $1 AND aggregate_id = $2 RETURNING {_COLUMNS}",
        aggregate, aggregate_id, type, data)
    return Event(**row)


# The first event of a new aggregate, written by the statement that creates the aggregate
# (as one of its CTEs): its seq is 1, with no max(seq) to read. Placeholders are the caller's.
FIRST_EVENT_SQL = ("INSERT INTO outbox (aggregate, aggregate_id, seq, type, data)"
                   " VALUES ({aggregate}, {aggregate_id}, 1, {type}, {data}) RETURNING id, created_at")


def first_event(event_id: int, at: datetime, aggregate: str, aggregate_id: uuid.UUID,
                type: str, data: dict[str, Any]) -> Event:
    """The Event that FIRST_EVENT_SQL wrote, from the id and created_at it returned."""
    return Event(id=event_id, aggregate=aggregate, aggregate_id=aggregate_id, seq=1, type=type,
                 data=data, at=at)


async def events_after(conn: asyncpg.Connection, aggregate: str, aggregate_id: uuid.UUID,
                       after_seq: int = 0, limit: int = 500) -> list[Event]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM outbox WHERE aggregate = $1 AND aggregate_id = $2"
        " AND seq > $3 ORDER BY seq LIMIT $4", aggregate, aggregate_id, after_seq, limit)
    return [Event(**row) for row in rows]


# Live fan-out registers here (realtime); the worker's relay covers whatever this misses.
PUBLISHERS: list[Callable[[Context, list[Event]], Awaitable[None]]] = []


async def publish(ctx: Context, events: list[Event]) -> None:
    """Fast path after commit; a failure is logged, never raised: the outbox has the event."""
    for publisher in PUBLISHERS:
        try:
            await publisher(ctx, events)
        except Exception:
            log.exception("live publish failed; the outbox relay will catch up")
