"""Moving an order through its states: one transaction on the locked row, then the follow-ups."""
from __future__ import annotations

import uuid
from typing import Any, Awaitable, Callable

import asyncpg

from domain.accounts import Principal
from domain.errors import Conflict, Forbidden, NotFound
from domain.order_machine import TRANSITIONS, OrderAction, OrderStatus
from domain.orders import Order, OrderEvent
from domain.roles import SYSTEM
from server.accounts.referral import grant_referral_reward
from server.catalogue.clock import now
from server.context import Context
from server.events import Event, record
from server.orders import queries
from server.orders.access import GONE, visible_order
from server.orders.notices import tell_parties
from server.orders.outcome import AfterCommit, Outcome
from server.orders.reading import view_of
from server.orders.views import OrderView, event_data

OrderHook = Callable[[asyncpg.Connection, Context, asyncpg.Record], Awaitable[AfterCommit | None]]
# Run inside the accepting transaction with the accepted order's row (dispatch starts here).
# A hook may return a coroutine function that runs after the commit (e.g. to send offers).
ON_ACCEPTED: list[OrderHook] = []
# The same shape, run in the transaction that cancels an order (staff may cancel it while a
# courier is on the way: the delivery side stops its search or its delivery here).
ON_CANCELLED: list[OrderHook] = []


def order_of(row: asyncpg.Record) -> Order:
    """The domain's view of a stored order."""
    return Order(id=row["id"], customer_id=row["customer_id"], restaurant_id=row["restaurant_id"],
                 status=OrderStatus(row["status"]), seq=row["seq"], prep_minutes=row["prep_minutes"],
                 reason=row["reason"])


async def act(ctx: Context, principal: Principal, order_id: uuid.UUID, action: OrderAction,
              **params: Any) -> OrderView:
    """One person's action on an order they may see (NotFound otherwise), as its own transaction."""
    async with ctx.db.acquire() as conn:
        async with conn.transaction():
            outcome = await apply_action(conn, ctx, order_id, principal, action, **params)
        view = await view_of(conn, order_id, principal.role)
    await outcome.after_commit(ctx)
    return view


async def apply_action(conn: asyncpg.Connection, ctx: Context, order_id: uuid.UUID,
                       actor: Principal | None, action: OrderAction, **params: Any) -> Outcome:
    """Inside the caller's transaction: lock, check, change, record. None as actor is the system.

    The caller commits, then awaits `outcome.after_commit(ctx)`.
    """
    if actor is None:
        row = await queries.order_by_id(conn, order_id, lock=True)
        if row is None:
            raise NotFound(GONE)
    else:
        row = await visible_order(conn, actor, order_id, lock=True)
    order = order_of(row)
    event = checked_apply(order, action, actor.role if actor else SYSTEM, **params)
    await queries.set_status(conn, order.id, order.status, order.seq, order.prep_minutes, order.reason,
                             now(ctx))
    return await recorded(conn, ctx, order.id, event)


def checked_apply(order: Order, action: OrderAction, role: str, **params: Any) -> OrderEvent:
    """The domain's apply, except that what a role may do at another stage is a 409 now, not a 403."""
    try:
        return order.apply(action, role, **params)
    except Forbidden:
        if any(a == action and role in actors for (_, a), (_, actors) in TRANSITIONS.items()):
            raise Conflict(f"a {role} can no longer {action} an order that is {order.status}",
                           code="illegal-transition") from None
        raise


async def recorded(conn: asyncpg.Connection, ctx: Context, order_id: uuid.UUID,
                   event: OrderEvent) -> Outcome:
    """Write the event to the outbox, tell the parties, and run what the new status sets off."""
    row = await queries.order_by_id(conn, order_id)
    stored = await record(conn, "order", order_id, event.type, {**event.data, **event_data(row)})
    if stored.seq != event.seq:
        raise RuntimeError(f"order {order_id}: outbox seq {stored.seq} != event seq {event.seq}")
    return await followed_up(conn, ctx, row, stored)


async def followed_up(conn: asyncpg.Connection, ctx: Context, row: asyncpg.Record, stored: Event) -> Outcome:
    """After the event is in the outbox: tell the parties and run what the new status sets off.

    `row` is the order as order_by_id reads it after the change.
    """
    if stored.seq != row["seq"]:
        raise RuntimeError(f"order {row['id']}: outbox seq {stored.seq} != order seq {row['seq']}")
    outcome = Outcome(order_id=row["id"], payment_id=row["payment_id"], events=[stored],
                      notifications=await tell_parties(conn, row, stored.type))
    await _set_off(conn, ctx, row, outcome)
    return outcome


async def _set_off(conn: asyncpg.Connection, ctx: Context, row: asyncpg.Record, outcome: Outcome) -> None:
    status = OrderStatus(row["status"])
    if status == OrderStatus.accepted:
        # a restaurant's referral reward comes with its first accepted order; later calls grant nothing
        await grant_referral_reward(conn, row["restaurant_owner_id"])
        await _run_hooks(ON_ACCEPTED, conn, ctx, row, outcome)
    elif status == OrderStatus.delivered:
        await grant_referral_reward(conn, row["customer_id"])  # only the first delivery grants
        outcome.money = "capture" if row["total_cents"] > 0 else None
    elif status in (OrderStatus.refused, OrderStatus.cancelled):
        await _run_hooks(ON_CANCELLED if status == OrderStatus.cancelled else [], conn, ctx, row, outcome)
        if row["credit_cents"]:
            await queries.add_credit(conn, row["customer_id"], row["credit_cents"])
        outcome.money = "release" if row["total_cents"] > 0 else None


async def _run_hooks(hooks: list[OrderHook], conn: asyncpg.Connection, ctx: Context,
                     row: asyncpg.Record, outcome: Outcome) -> None:
    for hook in hooks:
        follow_up = await hook(conn, ctx, row)
        if follow_up is not None:
            outcome.then.append(follow_up)
