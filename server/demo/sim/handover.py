"""A delivery as the courier bot carries it."""
from __future__ import annotations

import msgspec

from domain.geo import Position


class Job(msgspec.Struct, kw_only=True):
    delivery_id: str
    order_id: str
    restaurant: Position
    customer: Position | None
    pickup_code: str | None
    picked_up: bool = False


def _position(place: dict | None) -> Position | None:
    spot = (place or {}).get("position")
    return Position(lat=spot["lat"], lng=spot["lng"]) if spot else None


def job_of(delivery: dict) -> Job:
    """From a delivery as its courier reads it: both places, and the pickup code until pick-up."""
    return Job(delivery_id=delivery["id"], order_id=delivery["order_id"], restaurant=_position(delivery["restaurant"]),
               customer=_position(delivery.get("customer")),
               pickup_code=(delivery.get("pickup_code") or {}).get("code"),
               picked_up=delivery["status"] == "picked_up")
