"""What placing an order needs from the catalogue: an open restaurant that delivers there."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
import msgspec

from domain.errors import Conflict
from domain.geo import Position, distance_m
from domain.hours import WeeklyHours
from domain.restaurants import open_state
from server.catalogue.ownership import live_restaurant


class OrderableRestaurant(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    address: str
    position: Position
    timezone: str
    avg_prep_minutes: int
    distance_m: int  # exact (geodesic) distance to the delivery position


async def orderable_restaurant(conn: asyncpg.Connection, restaurant_id: uuid.UUID,
                               delivery: Position, at: datetime) -> OrderableRestaurant:
    """The restaurant if it takes orders at `at` for `delivery`.

    Raises NotFound (no such restaurant), Conflict "restaurant-closed" (switched off, out of
    its hours or on a closure day) or Conflict "outside-delivery-area" (beyond its radius).
    """
    return orderable(await live_restaurant(conn, restaurant_id), delivery, at)


def orderable(row: asyncpg.Record, delivery: Position, at: datetime) -> OrderableRestaurant:
    """orderable_restaurant's checks on a restaurant row already read (restaurants' columns)."""
    hours = msgspec.convert(row["hours"], WeeklyHours)
    open_now, opening = open_state(hours, row["closures"], row["timezone"], row["is_open"], at)
    if not open_now:
        raise Conflict("this restaurant is closed now", code="restaurant-closed",
                       extra={"next_opening_at": opening.isoformat() if opening else None})
    position = Position(lat=row["lat"], lng=row["lng"])
    exact = distance_m(position, delivery)
    metres = round(exact)
    if exact > row["delivery_radius_m"]:  # the same test as the nearby search
        raise Conflict("this restaurant does not deliver to this address", code="outside-delivery-area",
                       extra={"distance_m": metres, "delivery_radius_m": row["delivery_radius_m"]})
    return OrderableRestaurant(
        id=row["id"], owner_id=row["owner_id"], name=row["name"], address=row["address"],
        position=position, timezone=row["timezone"], avg_prep_minutes=row["avg_prep_minutes"],
        distance_m=metres)
