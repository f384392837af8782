"""The delivery side's entry points into an order: its courier, its pick-up, its delivery.

The couriers feature checks the pick-up and delivery codes, then calls these. Each runs as
its own transaction, or inside the caller's when `conn` is given: then the caller commits
and awaits `outcome.after_commit(ctx)` (publish, notify, capture the payment).
"""
from __future__ import annotations

import uuid

import asyncpg

from domain.accounts import Principal
from domain.errors import NotFound
from domain.order_machine import OrderAction
from server.context import Context
from server.orders import queries
from server.orders.access import GONE
from server.orders.outcome import Outcome
from server.orders.transitions import apply_action


async def assign_courier(conn: asyncpg.Connection, order_id: uuid.UUID, courier_id: uuid.UUID | None) -> None:
    """Inside the caller's transaction: the courier (or None) who may now see and carry the order."""
    if await queries.order_by_id(conn, order_id, lock=True) is None:
        raise NotFound(GONE)
    await queries.set_courier(conn, order_id, courier_id)


async def mark_picked_up(ctx: Context, order_id: uuid.UUID, actor: Principal, *,
                         conn: asyncpg.Connection | None = None) -> Outcome:
    """ready -> picked_up, by the order's courier or its restaurant's owner."""
    return await _run(ctx, order_id, actor, OrderAction.pick_up, conn)


async def mark_delivered(ctx: Context, order_id: uuid.UUID, actor: Principal, *,
                         conn: asyncpg.Connection | None = None) -> Outcome:
    """picked_up -> delivered, by its courier: captures the payment after commit, and a customer's
    first delivered order grants their referral reward."""
    return await _run(ctx, order_id, actor, OrderAction.deliver, conn)


async def _run(ctx: Context, order_id: uuid.UUID, actor: Principal, action: OrderAction,
               conn: asyncpg.Connection | None) -> Outcome:
    if conn is not None:
        return await apply_action(conn, ctx, order_id, actor, action)
    async with ctx.db.acquire() as own, own.transaction():
        outcome = await apply_action(own, ctx, order_id, actor, action)
    await outcome.after_commit(ctx)
    return outcome
