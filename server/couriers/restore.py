"""A courier's live state that Redis lost (a restart without persistence), rebuilt from Postgres."""
from __future__ import annotations

import uuid

from domain.accounts import Principal
from domain.roles import Role
from server.catalogue.clock import now as clock
from server.context import Context
from server.couriers import live_store, queries
from server.couriers.availability import vehicle_of
from server.couriers.candidates import dropoff_of, pickup_of, ready_at
from server.couriers.live_store import CourierState, Leg

MOST_HELD = 10


def forgotten(state: CourierState) -> bool:
    """Nothing kept at all: not even the last fix a courier who went offline leaves behind."""
    return not state.online and state.fix is None and not state.legs and state.since_ms is None


async def restored(ctx: Context, courier_id: uuid.UUID, state: CourierState) -> CourierState:
    """A courier with a delivery in hand cannot have gone offline: put them back online, carrying it."""
    if not forgotten(state):
        return state
    async with ctx.db.acquire() as conn:
        held = await queries.of_courier(conn, courier_id, list(queries.ACTIVE), None, MOST_HELD)
    if not held:
        return state
    vehicle = await vehicle_of(ctx, Principal(user_id=courier_id, role=Role.courier))
    await live_store.go_online(ctx, courier_id, vehicle, clock(ctx).timestamp() * 1000)
    for row in held:
        await live_store.add_leg(ctx, courier_id, Leg(
            delivery_id=row["id"], order_id=row["order_id"], pickup=pickup_of(row),
            dropoff=dropoff_of(row), ready_at=ready_at(row), picked_up=row["status"] == "picked_up"))
    return await live_store.load(ctx, courier_id)
