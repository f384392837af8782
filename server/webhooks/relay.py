"""The outbox relay for webhooks: each order or delivery event becomes one delivery per endpoint
that subscribed to its type and may see its order.

Who sees what: an endpoint receives the events of the orders its owner placed (through one of
their API keys or signed in), and of those orders' deliveries; nobody else's.

The relay reads the outbox by id from a cursor kept in Postgres, in the same transaction as
the deliveries it writes, so a crash repeats a pass and never skips one. Ids are handed out
before commit: an id missing behind the cursor may still commit, so it is kept as a gap and
looked for on every pass for GAP_PATIENCE (a rolled-back one never shows up).
"""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import asyncpg

from domain.webhooks import WebhookEvent
from server.catalogue.clock import now
from server.context import Context
from server.events import Event
from server.webhooks import endpoint_queries, relay_queries as queries
from server.webhooks.delivery_queries import insert_many
from server.webhooks.views import event_body

GAP_PATIENCE = timedelta(minutes=10)
BATCH = 500
MAX_GAPS = 1000  # a wider hole is not commits in flight: older ids are not waited for
_TYPES = frozenset(str(t) for t in WebhookEvent)
_NOT_SHARED = ("customer_id", "courier_id")  # people's ids stay inside the platform


async def relay_once(ctx: Context, limit: int = BATCH) -> int:
    """One pass; returns how many outbox events it read (0 when idle or another worker relays)."""
    at = now(ctx)
    async with ctx.db.acquire() as conn, conn.transaction():
        cursor = await queries.lock_cursor(conn)
        if cursor is None:
            return 0
        fresh = await queries.events_after(conn, cursor, limit)
        late = await queries.take_filled_gaps(conn)
        if fresh:
            seen = {e.id for e in fresh}
            start = max(cursor + 1, fresh[-1].id - MAX_GAPS)
            missing = [i for i in range(start, fresh[-1].id) if i not in seen]
            await queries.add_gaps(conn, missing, at)
            await queries.move_cursor(conn, fresh[-1].id)
        await queries.forget_gaps(conn, at - GAP_PATIENCE)
        events = sorted(late + fresh, key=lambda e: e.id)
        await insert_many(conn, await _deliveries(conn, events))
    return len(fresh) + len(late)


def _order_of(event: Event) -> uuid.UUID | None:
    if event.type not in _TYPES:
        return None
    if event.aggregate == "order":
        return event.aggregate_id
    raw = event.data.get("order_id") if event.aggregate == "delivery" else None
    return uuid.UUID(raw) if raw else None


async def _deliveries(conn: asyncpg.Connection, events: list[Event]) -> list[tuple]:
    """(endpoint, event id, type, order, body) for every endpoint that gets each event."""
    about = {e.id: order for e in events if (order := _order_of(e)) is not None}
    if not about:
        return []
    owners = await queries.customers_of(conn, list(set(about.values())))
    endpoints = await endpoint_queries.subscribers(conn, list(set(owners.values())))
    rows = []
    for event in events:
        order_id = about.get(event.id)
        owner = owners.get(order_id)
        body = None
        for endpoint in endpoints:
            if (endpoint["user_id"] == owner and event.type in endpoint["events"]
                    and endpoint["created_at"] <= event.at):
                body = body or event_body(event, _data(event, order_id))
                rows.append((endpoint["id"], event.id, event.type, order_id, body))
    return rows


def _data(event: Event, order_id: uuid.UUID) -> dict[str, Any]:
    shared = {k: v for k, v in event.data.items() if k not in _NOT_SHARED}
    head: dict[str, Any] = {"order_id": str(order_id), "seq": event.seq}
    if event.aggregate == "delivery":
        head = {"delivery_id": str(event.aggregate_id), **head}
    return {**shared, **head}
