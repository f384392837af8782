"""A courier's answer to an offer, and the timer that moves unanswered offers on."""
from __future__ import annotations

import asyncio
import logging
import uuid

from aiohttp import web

from domain.accounts import Principal
from domain.delivery import Delivery, DeliveryAction, DeliveryStatus
from domain.errors import Conflict, NotFound
from domain.geo import Position
from domain.roles import SYSTEM
from server.catalogue.clock import now as clock
from server.context import Context
from server.couriers import live_store, offer_claims, queries
from server.couriers.cancelling import cancel_orphans_once
from server.couriers.candidates import dropoff_of, pickup_of, ready_at
from server.couriers.dispatch import Later, count_offer, offer_next, offer_of, run_later
from server.couriers.journal import record_event, tell_order
from server.couriers.reading import view_for
from server.couriers.views import DeliveryView, Offer
from server.events import publish
from server.keys import CONTEXT
from server.orders.handover import assign_courier

log = logging.getLogger(__name__)
DUE_BATCH = 20


async def accept(ctx: Context, principal: Principal, delivery_id: uuid.UUID) -> DeliveryView:
    """Claim the delivery offered to this courier: one conditional UPDATE decides who gets it."""
    at = clock(ctx)
    async with ctx.db.acquire() as conn:
        async with conn.transaction():
            claimed = await queries.claim(conn, delivery_id, principal.user_id, at)
            if claimed is None:
                raise Conflict("this offer is no longer open to you", code="offer-gone")
            row = await queries.by_id(conn, delivery_id)
            delivery = Delivery(row["id"], row["order_id"], DeliveryStatus.searching, seq=row["seq"] - 1)
            event = delivery.apply(DeliveryAction.assign, SYSTEM, courier_id=principal.user_id, at=at)
            await assign_courier(conn, row["order_id"], principal.user_id)
            stored = await record_event(conn, event, row["restaurant_id"])
        view = await view_for(conn, ctx, principal, row["id"])
    await _assigned(ctx, principal, row, stored, at)
    return view


async def _assigned(ctx: Context, principal: Principal, row, stored, at) -> None:
    """After the claim's commit: the courier leaves the pool, their position goes to the order."""
    await offer_claims.release(ctx, principal.user_id, row["id"])
    await live_store.add_leg(ctx, principal.user_id, live_store.Leg(
        delivery_id=row["id"], order_id=row["order_id"], pickup=pickup_of(row), dropoff=dropoff_of(row),
        ready_at=ready_at(row)))
    await publish(ctx, [stored])
    await tell_order(ctx, row["order_id"], "assigned", at)
    count_offer(ctx, "accepted")
    metrics = ctx.extras.get("metrics")
    if metrics is not None:
        metrics.dispatch_assign_time.observe(max(0.0, (at - row["created_at"]).total_seconds()))


async def decline(ctx: Context, principal: Principal, delivery_id: uuid.UUID) -> None:
    """Say no: the offer goes to the next courier at once."""
    async with ctx.db.acquire() as conn:
        async with conn.transaction():
            row = await queries.by_id(conn, delivery_id, lock=True)
            if row is None or row["status"] != "searching" or row["offered_to"] != principal.user_id:
                raise NotFound("no such offer for you", code="no-offer")
            later = await _move_on(conn, ctx, row, "declined")
    await offer_claims.release(ctx, principal.user_id, delivery_id)
    await run_later(later)


async def decline_pending(ctx: Context, principal: Principal) -> None:
    """A courier going offline declines the offer in front of them, if any."""
    async with ctx.db.acquire() as conn:
        row = await queries.offered_to(conn, principal.user_id, clock(ctx))
    if row is not None:
        try:
            await decline(ctx, principal, row["id"])
        except NotFound:
            pass  # it expired or was answered meanwhile


async def current_offer(ctx: Context, principal: Principal) -> Offer | None:
    """The offer waiting for this courier's answer, as it was pushed to them."""
    async with ctx.db.acquire() as conn:
        row = await queries.offered_to(conn, principal.user_id, clock(ctx))
    if row is None:
        return None
    state = await live_store.load(ctx, principal.user_id)
    position = Position(lat=state.fix.lat, lng=state.fix.lng) if state.fix else None
    timeout = ctx.settings.courier_offer_timeout_s
    return offer_of(row, position, pay=row["pay_cents"], batched=row["batched"],
                    expires_at=row["offer_expires_at"], timeout_s=timeout)


async def _move_on(conn, ctx: Context, row, outcome: str) -> list[Later]:
    """The offered courier is out of this delivery; offer it to the next one."""
    await queries.drop_offer(conn, row["id"], row["offered_to"], clock(ctx))
    count_offer(ctx, outcome)
    fresh = await queries.by_id(conn, row["id"])
    return await offer_next(conn, ctx, fresh)


async def run_due_once(ctx: Context, limit: int = DUE_BATCH) -> int:
    """Expired offers go to the next courier; searches that found nobody look again.

    Rows are taken with SKIP LOCKED, so several workers share the work without doubling it.
    """
    later: list[Later] = []
    async with ctx.db.acquire() as conn:
        async with conn.transaction():
            rows = await queries.due(conn, clock(ctx), limit)
            for row in rows:
                if row["offered_to"] is not None:
                    await offer_claims.release(ctx, row["offered_to"], row["id"])
                    later += await _move_on(conn, ctx, row, "expired")
                else:
                    later += await offer_next(conn, ctx, row)
    await run_later(later)
    return len(rows)


async def offer_timers(app: web.Application) -> None:
    """Worker job: every second, or at once while there is a backlog; orphans cancelled too."""
    ctx = app[CONTEXT]
    while True:
        handled = await run_due_once(ctx)
        handled += await cancel_orphans_once(ctx)
        if handled < DUE_BATCH:
            await asyncio.sleep(1.0)
