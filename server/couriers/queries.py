"""SQL for deliveries; the caller owns the transaction."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

COLUMNS = (
    "d.id, d.order_id, d.restaurant_id, d.status, d.seq, d.courier_id, d.offered_to,"
    " d.offer_expires_at, d.declined, d.search_round, d.next_try_at, d.staff_alerted_at,"
    " d.pickup_lat, d.pickup_lng, d.dropoff_lat, d.dropoff_lng, d.distance_m, d.pay_cents,"
    " d.batched, d.code_nonce, d.pickup_code_hash, d.delivery_code_hash, d.pickup_failures,"
    " d.delivery_failures, d.created_at, d.assigned_at, d.picked_up_at, d.delivered_at,"
    " r.name AS restaurant_name, r.address AS restaurant_address, r.owner_id AS restaurant_owner_id,"
    " o.customer_id, o.delivery_address, o.accepted_at, o.prep_minutes, o.status AS order_status"
)
_FROM = ("FROM deliveries d JOIN restaurants r ON r.id = d.restaurant_id"
         " JOIN orders o ON o.id = d.order_id")
ACTIVE = ("assigned", "picked_up")


async def insert(conn: asyncpg.Connection, d: dict) -> None:
    """A new delivery, looking for a courier from `next_try_at` on."""
    await conn.execute(
        "INSERT INTO deliveries (id, order_id, restaurant_id, status, seq, next_try_at, pickup_lat,"
        " pickup_lng, dropoff_lat, dropoff_lng, distance_m, pay_cents, code_nonce, pickup_code_hash,"
        " delivery_code_hash, created_at, updated_at)"
        " VALUES ($1, $2, $3, 'searching', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $5, $5)",
        d["id"], d["order_id"], d["restaurant_id"], d["seq"], d["at"], d["pickup_lat"], d["pickup_lng"],
        d["dropoff_lat"], d["dropoff_lng"], d["distance_m"], d["pay_cents"], d["code_nonce"],
        d["pickup_code_hash"], d["delivery_code_hash"])


async def by_id(conn: asyncpg.Connection, delivery_id: uuid.UUID, *,
                lock: bool = False) -> asyncpg.Record | None:
    suffix = " FOR UPDATE OF d" if lock else ""
    return await conn.fetchrow(f"SELECT {COLUMNS} {_FROM} WHERE d.id = $1{suffix}", delivery_id)


async def by_order(conn: asyncpg.Connection, order_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLUMNS} {_FROM} WHERE d.order_id = $1", order_id)


async def due(conn: asyncpg.Connection, now: datetime, limit: int) -> list[asyncpg.Record]:
    """Deliveries whose offer expired or whose search must run again; another worker skips them."""
    return await conn.fetch(
        f"SELECT {COLUMNS} {_FROM} WHERE d.status = 'searching' AND d.next_try_at <= $1"
        " ORDER BY d.next_try_at LIMIT $2 FOR UPDATE OF d SKIP LOCKED", now, limit)


async def set_offer(conn: asyncpg.Connection, delivery_id: uuid.UUID, courier_id: uuid.UUID | None,
                    expires_at: datetime | None, next_try_at: datetime, search_round: int,
                    pay_cents: int, batched: bool) -> None:
    """Offer to one courier until `expires_at`, or to nobody (courier_id None) until a retry."""
    await conn.execute(
        "UPDATE deliveries SET offered_to = $2, offer_expires_at = $3, next_try_at = $4,"
        " search_round = $5, pay_cents = $6, batched = $7, updated_at = now() WHERE id = $1",
        delivery_id, courier_id, expires_at, next_try_at, search_round, pay_cents, batched)


async def drop_offer(conn: asyncpg.Connection, delivery_id: uuid.UUID, courier_id: uuid.UUID,
                     now: datetime) -> bool:
    """The courier declined or let the offer expire: never asked again for this delivery."""
    status = await conn.execute(
        "UPDATE deliveries SET offered_to = NULL, offer_expires_at = NULL, next_try_at = $3,"
        " declined = array_append(declined, $2), updated_at = $3"
        " WHERE id = $1 AND status = 'searching' AND offered_to = $2", delivery_id, courier_id, now)
    return status.endswith(" 1")


async def claim(conn: asyncpg.Connection, delivery_id: uuid.UUID, courier_id: uuid.UUID,
                now: datetime) -> asyncpg.Record | None:
    """The one conditional UPDATE that gives a delivery to the courier it is offered to.

    However many accept at once, the row changes once: the others find it no longer searching.
    """
    return await conn.fetchrow(
        "UPDATE deliveries SET status = 'assigned', courier_id = $2, offered_to = NULL,"
        " offer_expires_at = NULL, next_try_at = NULL, seq = seq + 1, assigned_at = $3, updated_at = $3"
        " WHERE id = $1 AND status = 'searching' AND offered_to = $2 AND offer_expires_at > $3"
        " RETURNING id, seq, created_at", delivery_id, courier_id, now)


async def set_status(conn: asyncpg.Connection, delivery_id: uuid.UUID, status: str, seq: int,
                     courier_id: uuid.UUID | None, at: datetime) -> None:
    stamp = {"picked_up": "picked_up_at", "delivered": "delivered_at"}.get(status, "updated_at")
    await conn.execute(
        f"UPDATE deliveries SET status = $2, seq = $3, courier_id = $4, {stamp} = $5, updated_at = $5"
        " WHERE id = $1", delivery_id, status, seq, courier_id, at)


async def count_failure(conn: asyncpg.Connection, delivery_id: uuid.UUID, column: str, failures: int) -> None:
    assert column in ("pickup_failures", "delivery_failures")
    await conn.execute(f"UPDATE deliveries SET {column} = $2, updated_at = now() WHERE id = $1",
                       delivery_id, failures)


async def mark_alerted(conn: asyncpg.Connection, delivery_id: uuid.UUID, at: datetime) -> None:
    await conn.execute("UPDATE deliveries SET staff_alerted_at = $2 WHERE id = $1", delivery_id, at)


async def held_at_restaurant(conn: asyncpg.Connection, restaurant_id: uuid.UUID,
                             excluded: list[uuid.UUID]) -> list[asyncpg.Record]:
    """Deliveries from this restaurant whose courier has not picked up yet: batching candidates."""
    return await conn.fetch(
        f"SELECT {COLUMNS}, (SELECT count(*) FROM deliveries x WHERE x.courier_id = d.courier_id"
        " AND x.status = ANY($3::text[])) AS held"
        f" {_FROM} WHERE d.restaurant_id = $1 AND d.status = 'assigned'"
        " AND NOT (d.courier_id = ANY($2::uuid[])) ORDER BY d.assigned_at",
        restaurant_id, excluded, list(ACTIVE))


async def of_courier(conn: asyncpg.Connection, courier_id: uuid.UUID, statuses: list[str],
                     before: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
    """The courier's deliveries in these statuses, newest first, after a (created_at, id) cursor."""
    at, last = before or (None, None)
    return await conn.fetch(
        f"SELECT {COLUMNS} {_FROM} WHERE d.courier_id = $1 AND d.status = ANY($2::text[])"
        " AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3, $4))"
        " ORDER BY d.created_at DESC, d.id DESC LIMIT $5", courier_id, statuses, at, last, limit)


async def offered_to(conn: asyncpg.Connection, courier_id: uuid.UUID, now: datetime) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {COLUMNS} {_FROM} WHERE d.status = 'searching' AND d.offered_to = $1"
        " AND d.offer_expires_at > $2", courier_id, now)


async def delivered_pay(conn: asyncpg.Connection, courier_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT delivered_at, pay_cents FROM deliveries WHERE courier_id = $1 AND status = 'delivered'"
        " ORDER BY delivered_at", courier_id)
