"""GPS intake: a fix is checked, kept, buffered for the track, and shown to the orders carried."""
from __future__ import annotations

import asyncio
import uuid
import weakref
from datetime import UTC, datetime

from domain.errors import Conflict, Invalid, RateLimited
from domain.eta import eta_seconds, recent_speed
from domain.geo import Position
from domain.gps import AcceptedFix, FixRefusal, FixVerdict, GpsFix, check_fix
from server.catalogue.clock import now as clock
from server.context import Context
from server.couriers import live_store
from server.couriers.live_store import CourierState, Leg
from server.couriers.restore import restored
from server.couriers.tracks import track_buffer
from server.couriers.views import EtaView, Location
from server.live.access import room
from server.live.publish import push


class _Trail:
    """The (lat, lng, ts) triples of the trail, as domain.eta's Fix protocol wants them."""

    __slots__ = ("lat", "lng", "ts")

    def __init__(self, lat: float, lng: float, ts: float) -> None:
        self.lat, self.lng, self.ts = lat, lng, ts


def _locks(ctx: Context) -> weakref.WeakValueDictionary:
    return ctx.extras.setdefault("courier_fix_locks", weakref.WeakValueDictionary())


async def receive_fix(ctx: Context, courier_id: uuid.UUID, fix: GpsFix) -> FixVerdict:
    """Check one fix against the courier's last believed one; a refusal changes nothing but the rate."""
    locks = _locks(ctx)
    lock = locks.get(courier_id)
    if lock is None:
        lock = locks[courier_id] = asyncio.Lock()
    async with lock:  # one fix at a time per courier on this node: the rate limit is read-modify-write
        state = await restored(ctx, courier_id, await live_store.load(ctx, courier_id))
        if not state.online:
            raise Conflict("go online before sending your position", code="offline")
        at = clock(ctx)
        verdict = check_fix(fix, state.fix, at.timestamp() * 1000)
        _count(ctx, verdict)
        if verdict.state is None:
            return verdict
        trail = state.trail + [(fix.lat, fix.lng, fix.ts)] if verdict.accepted else None
        await live_store.save_fix(ctx, courier_id, verdict.state, trail)
    if verdict.accepted:
        state.fix, state.trail = verdict.state, trail
        await _keep_and_show(ctx, courier_id, state, fix, at)
    return verdict


async def _keep_and_show(ctx: Context, courier_id: uuid.UUID, state: CourierState, fix: GpsFix,
                         at: datetime) -> None:
    """Into the track's buffer, and to the room of each order the courier carries."""
    track_buffer(ctx).add((courier_id, datetime.fromtimestamp(fix.ts / 1000, UTC), fix.lat, fix.lng,
                           fix.heading, fix.speed, fix.accuracy, at))
    for leg in state.legs:
        location = location_of(leg, state, at, heading=fix.heading)
        await push(ctx, room("order", leg.order_id), "courier.location", location, at=at)


def refusal_error(verdict: FixVerdict) -> Exception:
    """The problem a refused fix answers with: 429 for too many, 422 for an unbelievable one."""
    reason = verdict.reason or FixRefusal.implausible_speed
    if reason == FixRefusal.too_frequent:
        return RateLimited("too many positions; send one every few seconds")
    return Invalid(f"this position was not believed: {reason}", code=str(reason),
                   errors=[{"field": "ts" if "timestamp" in reason or reason == "out-of-order" else "lat",
                            "message": str(reason)}])


def location_of(leg: Leg, state: CourierState, at: datetime, *, heading: float | None = None) -> Location:
    """Where the courier is for this order, and when they should reach the restaurant and the door."""
    fix: AcceptedFix = state.fix
    here = Position(lat=fix.lat, lng=fix.lng)
    eta = None
    if leg.dropoff is not None:
        speed = recent_speed([_Trail(*point) for point in state.trail])
        found = eta_seconds(here, leg.pickup, leg.dropoff, state.vehicle, now=at, speed_mps=speed,
                            ready_at=leg.ready_at, picked_up=leg.picked_up)
        eta = EtaView(to_restaurant_s=found.to_restaurant_s, to_customer_s=found.to_customer_s,
                      arrives_at=found.arrives_at)
    return Location(order_id=leg.order_id, delivery_id=leg.delivery_id, lat=fix.lat, lng=fix.lng,
                    at=datetime.fromtimestamp(fix.ts / 1000, UTC), accuracy=fix.accuracy, heading=heading,
                    phase="to_customer" if leg.picked_up else "to_restaurant", eta=eta)


def _count(ctx: Context, verdict: FixVerdict) -> None:
    metrics = ctx.extras.get("metrics")
    if metrics is not None:
        metrics.gps_fixes.labels(outcome="accepted" if verdict.accepted else str(verdict.reason)).inc()
