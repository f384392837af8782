"""SQL for webhook deliveries and their attempts; the caller owns the transaction."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

DELIVERY_COLUMNS = ("id, position, endpoint_id, event_id, event_type, order_id, status, attempts,"
                    " next_attempt_at, redelivery_of, created_at, finished_at")


async def insert_many(conn: asyncpg.Connection, rows: list[tuple]) -> None:
    """(endpoint_id, event_id, event_type, order_id, body) rows, in relay order; repeats ignored."""
    if not rows:
        return
    columns = list(zip(*rows))
    await conn.execute(
        "INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, order_id, body)"
        " SELECT e, ev, t, o, b FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::uuid[], $5::bytea[])"
        " WITH ORDINALITY AS r(e, ev, t, o, b, n) ORDER BY n"
        " ON CONFLICT (endpoint_id, event_id) WHERE in_sequence DO NOTHING", *columns)


async def claim_due(conn: asyncpg.Connection, at: datetime, lease_until: datetime,
                    limit: int) -> list[asyncpg.Record]:
    """Take due deliveries whose order has nothing earlier pending at the same endpoint.

    The lease is the new next_attempt_at: if the worker dies, the delivery comes due again.
    """
    return await conn.fetch(
        "UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = $2"
        " WHERE d.id IN (SELECT c.id FROM webhook_deliveries c"
        "   JOIN webhook_endpoints e ON e.id = c.endpoint_id AND e.active"
        "   WHERE c.status = 'pending' AND c.next_attempt_at <= $1"
        "   AND (NOT c.in_sequence OR NOT EXISTS (SELECT 1 FROM webhook_deliveries p"
        "     WHERE p.endpoint_id = c.endpoint_id AND p.order_id = c.order_id AND p.in_sequence"
        "     AND p.status = 'pending' AND p.position < c.position))"
        "   ORDER BY c.next_attempt_at LIMIT $3 FOR UPDATE OF c SKIP LOCKED)"
        " RETURNING d.id, d.endpoint_id, d.event_id, d.body, d.attempts, d.created_at",
        at, lease_until, limit)


async def start_attempt(conn: asyncpg.Connection, delivery_id: uuid.UUID, at: datetime) -> int:
    return await conn.fetchval(
        "INSERT INTO webhook_attempts (delivery_id, started_at) VALUES ($1, $2) RETURNING id",
        delivery_id, at)


async def finish_attempt(conn: asyncpg.Connection, attempt_id: int, at: datetime,
                         status_code: int | None, error: str | None, duration_ms: int,
                         excerpt: str | None, next_retry_at: datetime | None) -> None:
    await conn.execute(
        "UPDATE webhook_attempts SET finished_at = $2, status_code = $3, error = $4,"
        " duration_ms = $5, response_excerpt = $6, next_retry_at = $7 WHERE id = $1",
        attempt_id, at, status_code, error, duration_ms, excerpt, next_retry_at)


async def settle(conn: asyncpg.Connection, delivery_id: uuid.UUID, attempts: int, status: str,
                 at: datetime, next_at: datetime | None) -> bool:
    """Record the outcome of the claim that made `attempts`; False if it was taken over since."""
    row = await conn.fetchrow(
        "UPDATE webhook_deliveries SET status = $3::text,"
        " finished_at = CASE WHEN $3::text = 'pending' THEN NULL ELSE $4::timestamptz END,"
        " next_attempt_at = coalesce($5::timestamptz, next_attempt_at)"
        " WHERE id = $1 AND attempts = $2 AND status = 'pending' RETURNING id",
        delivery_id, attempts, status, at, next_at)
    return row is not None


async def page(conn: asyncpg.Connection, endpoint_id: uuid.UUID, before: int | None,
               limit: int) -> list[asyncpg.Record]:
    """Newest first, paged by position."""
    return await conn.fetch(
        f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1"
        " AND ($2::bigint IS NULL OR position < $2) ORDER BY position DESC LIMIT $3",
        endpoint_id, before, limit)


async def attempts_of(conn: asyncpg.Connection, delivery_ids: list[uuid.UUID]) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT delivery_id, started_at, finished_at, status_code, error, duration_ms,"
        " response_excerpt, next_retry_at FROM webhook_attempts WHERE delivery_id = ANY($1)"
        " ORDER BY id", delivery_ids)


async def one(conn: asyncpg.Connection, endpoint_id: uuid.UUID,
              delivery_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2",
        delivery_id, endpoint_id)


async def insert_redelivery(conn: asyncpg.Connection, source: uuid.UUID, at: datetime) -> uuid.UUID:
    """A copy of a delivery, due now, outside its order's sequence."""
    return await conn.fetchval(
        "INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, order_id, body,"
        " in_sequence, redelivery_of, next_attempt_at, created_at)"
        " SELECT endpoint_id, event_id, event_type, order_id, body, false, id, $2, $2"
        " FROM webhook_deliveries WHERE id = $1 RETURNING id", source, at)
