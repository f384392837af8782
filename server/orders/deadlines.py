"""The worker's order timers: refuse what was not accepted in time, move money still owed.

Safe with several workers: each order is taken with FOR UPDATE SKIP LOCKED, so two workers
never refuse the same order, and a kitchen accepting at that instant simply wins or loses
the row lock like any other concurrent transition.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from aiohttp import web

from domain.order_machine import OrderAction
from server.catalogue.clock import now
from server.context import Context
from server.keys import CONTEXT
from server.orders.outcome import settle
from server.orders.transitions import apply_action

log = logging.getLogger(__name__)
PAUSE_S = 1.0
# after-commit settlement normally moves the money at once; the sweep is only a safety net
SETTLE_GRACE = timedelta(seconds=30)
SETTLE_GIVE_UP = timedelta(days=7)


async def refuse_overdue(ctx: Context, limit: int = 100) -> int:
    """Refuse, as the system, each order still waiting past its deadline; returns how many."""
    refused = 0
    while refused < limit:
        async with ctx.db.acquire() as conn, conn.transaction():
            order_id = await conn.fetchval(
                "SELECT id FROM orders WHERE status = 'placed' AND deadline_at <= $1"
                " ORDER BY deadline_at LIMIT 1 FOR UPDATE SKIP LOCKED", now(ctx))
            if order_id is None:
                break
            outcome = await apply_action(conn, ctx, order_id, None, OrderAction.refuse)
        await outcome.after_commit(ctx)
        log.info("order refused at its acceptance deadline", extra={"order_id": str(order_id)})
        refused += 1
    return refused


async def settle_owed(ctx: Context, limit: int = 100) -> int:
    """Retry voids, refunds and captures that did not happen right after their commit."""
    at = now(ctx)
    async with ctx.db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT id, payment_id, status FROM orders WHERE total_cents > 0"
            " AND ((status IN ('refused', 'cancelled') AND released_at IS NULL)"
            "   OR (status = 'delivered' AND captured_at IS NULL))"
            " AND updated_at BETWEEN $1 AND $2 ORDER BY updated_at LIMIT $3",
            at - SETTLE_GIVE_UP, at - SETTLE_GRACE, limit)
    settled = 0
    for row in rows:
        money = "capture" if row["status"] == "delivered" else "release"
        try:
            settled += await settle(ctx, row["id"], row["payment_id"], money)
        except Exception:
            log.exception("settling order %s failed; retrying later", row["id"])
    return settled


async def order_timers(app: web.Application) -> None:
    """The worker job: both timers, forever, about once a second."""
    ctx = app[CONTEXT]
    while True:
        await refuse_overdue(ctx)
        await settle_owed(ctx)
        await asyncio.sleep(PAUSE_S)
