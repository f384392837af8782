"""Who may be offered a delivery: free couriers near the restaurant, or one going there already."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from domain.delivery import DeliveryStatus
from domain.dispatch import BatchOrder, Candidate, HeldDelivery, can_batch, search_radii
from domain.geo import Position
from server.context import Context
from server.couriers import live_store, queries
from server.couriers.live_store import CourierState

STALE_AFTER_MS = 2 * 60_000   # a free courier silent this long has probably closed the app


def pickup_of(row: asyncpg.Record) -> Position:
    return Position(lat=row["pickup_lat"], lng=row["pickup_lng"])


def dropoff_of(row: asyncpg.Record) -> Position | None:
    if row["dropoff_lat"] is None:
        return None
    return Position(lat=row["dropoff_lat"], lng=row["dropoff_lng"])


def ready_at(row: asyncpg.Record) -> datetime | None:
    """When the kitchen said the food would be ready."""
    if row["accepted_at"] is None or row["prep_minutes"] is None:
        return None
    return row["accepted_at"] + timedelta(minutes=row["prep_minutes"])


def _since(state: CourierState, now: datetime) -> datetime:
    return datetime.fromtimestamp(state.since_ms / 1000, UTC) if state.since_ms else now


async def free_nearby(ctx: Context, row: asyncpg.Record, now: datetime) -> list[Candidate]:
    """Free couriers within the widest search radius, with what fairness needs to rank them."""
    found = await live_store.nearby(ctx, pickup_of(row), max(search_radii()))
    states = await live_store.load_many(ctx, [courier_id for courier_id, _ in found])
    declined, now_ms = set(row["declined"]), now.timestamp() * 1000
    out = []
    for (courier_id, position), state in zip(found, states):
        if not state.free or state.fix is None or now_ms - state.fix.ts > STALE_AFTER_MS:
            continue
        out.append(Candidate(courier_id, position, _since(state, now), state.vehicle,
                             declined=courier_id in declined))
    return out


async def batch_courier(conn: asyncpg.Connection, ctx: Context, row: asyncpg.Record,
                        ) -> tuple[uuid.UUID, CourierState] | None:
    """A courier already due at this restaurant who can take this order too, if any."""
    dropoff = dropoff_of(row)
    if dropoff is None:
        return None
    second = BatchOrder(restaurant_id=row["restaurant_id"], customer_pos=dropoff)
    for held in await queries.held_at_restaurant(conn, row["restaurant_id"], list(row["declined"])):
        first_dropoff = dropoff_of(held)
        if first_dropoff is None:
            continue
        first = HeldDelivery(restaurant_id=held["restaurant_id"], status=DeliveryStatus.assigned,
                             restaurant_pos=pickup_of(held), customer_pos=first_dropoff,
                             batched=held["held"] > 1)
        state = await live_store.load(ctx, held["courier_id"])
        if state.online and can_batch(first, second, state.vehicle, extra_wait_s=_extra_wait(held, row)):
            return held["courier_id"], state
    return None


def _extra_wait(held: asyncpg.Record, row: asyncpg.Record) -> float:
    """Seconds the courier would wait at the counter for the second order's food."""
    first, second = ready_at(held), ready_at(row)
    if first is None or second is None:
        return 0.0
    return max(0.0, (second - first).total_seconds())
