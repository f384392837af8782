"""Deliveries of orders that will never leave (cancelled by staff after acceptance) are cancelled.

Orders give no hook on cancellation, so the offer timer looks for them: the courier holding
one is freed and told, and no more offers go out for it.
"""
from __future__ import annotations

import asyncpg

from domain.delivery import Delivery, DeliveryAction, DeliveryStatus
from domain.roles import SYSTEM
from server.catalogue.clock import now as clock
from server.context import Context
from server.couriers import live_store, offer_claims, queries
from server.couriers.journal import record_event
from server.events import publish

_ORPHANS = (
    f"SELECT {queries.COLUMNS} FROM deliveries d JOIN restaurants r ON r.id = d.restaurant_id"
    " JOIN orders o ON o.id = d.order_id"
    " WHERE d.status IN ('searching', 'assigned', 'picked_up') AND o.status IN ('cancelled', 'refused')"
    " LIMIT $1 FOR UPDATE OF d SKIP LOCKED")


async def cancel_orphans_once(ctx: Context, limit: int = 20) -> int:
    """Cancel the deliveries whose order is gone; returns how many."""
    at = clock(ctx)
    async with ctx.db.acquire() as conn:
        async with conn.transaction():
            rows = await conn.fetch(_ORPHANS, limit)
            events = [await _cancel(conn, row, at) for row in rows]
    await publish(ctx, events)
    for row in rows:
        if row["courier_id"] is not None:
            await live_store.drop_leg(ctx, row["courier_id"], row["id"], at.timestamp() * 1000)
        if row["offered_to"] is not None:
            await offer_claims.release(ctx, row["offered_to"], row["id"])
    return len(rows)


async def _cancel(conn: asyncpg.Connection, row: asyncpg.Record, at):
    delivery = Delivery(row["id"], row["order_id"], DeliveryStatus(row["status"]),
                        courier_id=row["courier_id"], seq=row["seq"])
    event = delivery.apply(DeliveryAction.cancel, SYSTEM, reason="order " + row["order_status"], at=at)
    await conn.execute("UPDATE deliveries SET status = 'cancelled', seq = $2, offered_to = NULL,"
                       " offer_expires_at = NULL, next_try_at = NULL, updated_at = $3 WHERE id = $1",
                       row["id"], delivery.seq, at)
    return await record_event(conn, event, row["restaurant_id"])
