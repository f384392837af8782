"""Hand-overs checked by code: restaurant to courier (pickup), courier to customer (delivery).

The code is checked after the delivery's state and the actor, so a wrong try is counted only
against a hand-over that could happen; a wrong try is committed even though it is refused.
"""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from domain.accounts import Principal
from domain.codes import MAX_ATTEMPTS, CodeKind
from domain.delivery import Delivery, DeliveryAction, DeliveryStatus
from domain.errors import Invalid, NotFound
from domain.roles import Role
from server.catalogue.clock import now as clock
from server.context import Context
from server.couriers import codes, live_store, queries
from server.couriers.candidates import dropoff_of, pickup_of, ready_at
from server.couriers.codes import CodeInput
from server.couriers.journal import record_event, tell_order
from server.couriers.reading import GONE, shown_to
from server.couriers.views import DeliveryView
from server.events import Event, publish
from server.orders.handover import mark_delivered, mark_picked_up
from server.orders.outcome import Outcome

# who may hand over: the courier carrying it, or (pickup only) the restaurant's owner
_PARTIES = {CodeKind.pickup: {Role.courier: "courier_id", Role.restaurateur: "restaurant_owner_id"},
            CodeKind.delivery: {Role.courier: "courier_id"}}


async def pick_up(ctx: Context, principal: Principal, delivery_id: uuid.UUID, data: CodeInput) -> DeliveryView:
    return await _hand_over(ctx, principal, delivery_id, data, CodeKind.pickup)


async def deliver(ctx: Context, principal: Principal, delivery_id: uuid.UUID, data: CodeInput) -> DeliveryView:
    return await _hand_over(ctx, principal, delivery_id, data, CodeKind.delivery)


async def _hand_over(ctx: Context, principal: Principal, delivery_id: uuid.UUID, data: CodeInput,
                     kind: CodeKind) -> DeliveryView:
    at = clock(ctx)
    async with ctx.db.acquire() as conn:
        async with conn.transaction():
            row = await queries.by_id(conn, delivery_id, lock=True)
            column = _PARTIES[kind].get(principal.role)
            if row is None or column is None or row[column] != principal.user_id:
                raise NotFound(GONE)
            moved = await _try(conn, ctx, principal, row, data, kind, at)
        if isinstance(moved, int):
            left = max(0, MAX_ATTEMPTS - moved)
            raise Invalid(f"wrong {kind} code; {left} tries left", code="wrong-code",
                          errors=[{"field": "code", "message": "is not the right code"}],
                          extra={"attempts_left": left})
        fresh = await queries.by_id(conn, row["id"])
    stored, outcome = moved
    await _follow(ctx, row, kind, at)
    await publish(ctx, [stored])
    await outcome.after_commit(ctx)
    await tell_order(ctx, row["order_id"], fresh["status"], at)
    return shown_to(ctx, fresh, principal)


async def _try(conn: asyncpg.Connection, ctx: Context, principal: Principal, row: asyncpg.Record,
               data: CodeInput, kind: CodeKind, at: datetime) -> tuple[Event, Outcome] | int:
    """Check the state and the actor, then the code: the hand-over's event and the order's outcome,
    or the number of wrong tries now (counted in the same transaction)."""
    action, mark = ((DeliveryAction.pick_up, mark_picked_up) if kind == CodeKind.pickup
                    else (DeliveryAction.deliver, mark_delivered))
    delivery = Delivery(row["id"], row["order_id"], DeliveryStatus(row["status"]),
                        courier_id=row["courier_id"], seq=row["seq"])
    event = delivery.apply(action, principal.role, by=principal.user_id, at=at)
    matched, failures = codes.attempt(ctx.settings, row, kind, codes.given_code(data, kind, row["order_id"]))
    if not matched:
        await queries.count_failure(conn, row["id"], f"{kind}_failures", failures)
        return failures
    await queries.set_status(conn, row["id"], delivery.status, delivery.seq, delivery.courier_id, at)
    stored = await record_event(conn, event, row["restaurant_id"])
    return stored, await mark(ctx, row["order_id"], principal, conn=conn)


async def _follow(ctx: Context, row, kind: CodeKind, at) -> None:
    """The courier's live route: on the way to the customer now, or free again."""
    courier_id = row["courier_id"]
    if kind == CodeKind.pickup:
        await live_store.add_leg(ctx, courier_id, live_store.Leg(
            delivery_id=row["id"], order_id=row["order_id"], pickup=pickup_of(row), dropoff=dropoff_of(row),
            ready_at=ready_at(row), picked_up=True))
    else:
        await live_store.drop_leg(ctx, courier_id, row["id"], at.timestamp() * 1000)
