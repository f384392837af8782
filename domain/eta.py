"""When a courier reaches the restaurant and the customer: vehicles, speeds, ETAs."""
from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

import msgspec

from domain.geo import Position, fast_distance_m


class Vehicle(enum.StrEnum):
    bike = "bike"
    scooter = "scooter"
    car = "car"
    foot = "foot"


# Average speeds in town, stops at lights included (metres per second).
CITY_SPEED_MPS: dict[Vehicle, float] = {
    Vehicle.bike: 4.5, Vehicle.scooter: 7.0, Vehicle.car: 6.0, Vehicle.foot: 1.4,
}
DETOUR_FACTOR = 1.3          # streets are longer than the straight line
MIN_MOVING_MPS = 0.5         # slower between two fixes is a stop, not a pace
MAX_PLAUSIBLE_MPS = 60.0     # faster is a GPS glitch
RECENT_FIXES = 6
RECENT_WINDOW_MS = 120_000


class Fix(Protocol):
    """Anything with a position and a unix-milliseconds time (GpsFix, AcceptedFix)."""

    lat: float
    lng: float
    ts: float


class Eta(msgspec.Struct, frozen=True):
    """Seconds from now to the restaurant and to the customer, and the arrival time."""

    to_restaurant_s: int
    to_customer_s: int
    arrives_at: datetime


def recent_speed(fixes: Sequence[Fix]) -> float | None:
    """Moving speed (m/s) over the last few fixes, oldest first; None if not moving."""
    if not fixes:
        return None
    latest = fixes[-1].ts
    metres = seconds = 0.0
    previous = None  # the last recent fix: each one is paired with the recent one before it
    for fix in fixes[-RECENT_FIXES:]:
        if latest - fix.ts > RECENT_WINDOW_MS:
            continue
        if previous is not None and (dt := (fix.ts - previous.ts) / 1000.0) > 0:
            d = fast_distance_m(previous, fix)  # a fix has the lat and lng a Position has: no copy needed
            if MIN_MOVING_MPS * dt <= d <= MAX_PLAUSIBLE_MPS * dt:
                metres, seconds = metres + d, seconds + dt
        previous = fix
    return metres / seconds if seconds else None


def pace_mps(vehicle: Vehicle, speed_mps: float | None = None) -> float:
    """The speed to plan with: the recent one kept near the vehicle's typical city speed."""
    typical = CITY_SPEED_MPS[vehicle if type(vehicle) is Vehicle else Vehicle(vehicle)]  # a str is checked
    if speed_mps is None:
        return typical
    # A few fixes are a small sample: a sprint or a red light must not swing the ETA wildly.
    return min(max(speed_mps, typical / 2), typical * 2)


def travel_s(a: Position, b: Position, vehicle: Vehicle, speed_mps: float | None = None) -> float:
    """Seconds to go from `a` to `b` by street."""
    return fast_distance_m(a, b) * DETOUR_FACTOR / pace_mps(vehicle, speed_mps)


def eta_seconds(courier: Position, restaurant: Position, customer: Position, vehicle: Vehicle, *,
                now: datetime, speed_mps: float | None = None, ready_at: datetime | None = None,
                picked_up: bool = False) -> Eta:
    """ETA of a delivery; before pick-up the courier also waits for food not ready yet."""
    if now.tzinfo is None or (ready_at is not None and ready_at.tzinfo is None):
        raise ValueError("times must be timezone-aware")
    if picked_up:
        to_customer = travel_s(courier, customer, vehicle, speed_mps)
        return _eta(0.0, to_customer, now)
    to_restaurant = travel_s(courier, restaurant, vehicle, speed_mps)
    waiting = 0.0
    if ready_at is not None:
        waiting = max(0.0, (ready_at - now).total_seconds() - to_restaurant)
    to_customer = to_restaurant + waiting + travel_s(restaurant, customer, vehicle, speed_mps)
    return _eta(to_restaurant, to_customer, now)


def _eta(to_restaurant: float, to_customer: float, now: datetime) -> Eta:
    seconds = math.ceil(to_customer)
    return Eta(math.ceil(to_restaurant), seconds, (now + timedelta(seconds=seconds)).astimezone(UTC))
