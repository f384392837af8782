"""What clients see of deliveries, offers, live positions and earnings."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
import msgspec

from domain.delivery import DeliveryStatus, allowed_actions
from domain.earnings import PeriodTotal
from domain.geo import Position
from server.couriers.codes import CodeView


class Place(msgspec.Struct):
    name: str
    address: str
    position: Position | None


class DeliveryView(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A delivery; the customer's address only once it is the courier's, the pickup code only to them."""

    id: uuid.UUID
    order_id: uuid.UUID
    status: DeliveryStatus
    seq: int
    courier_id: uuid.UUID | None
    restaurant: Place
    customer: Place | None = None
    distance_m: int
    pay_cents: int
    batched: bool
    order_status: str
    created_at: datetime
    assigned_at: datetime | None = None
    picked_up_at: datetime | None = None
    delivered_at: datetime | None = None
    actions: list[str] = []
    pickup_code: CodeView | None = None


class DeliveryPage(msgspec.Struct):
    items: list[DeliveryView]
    next_cursor: str | None = None


class Offer(msgspec.Struct, kw_only=True):
    """What a courier is asked: where to fetch, how far, for how much, until when."""

    delivery_id: uuid.UUID
    order_id: uuid.UUID
    restaurant: Place
    distance_to_restaurant_m: int
    trip_m: int
    pay_cents: int
    batched: bool
    expires_at: datetime
    timeout_s: int


class EtaView(msgspec.Struct):
    to_restaurant_s: int
    to_customer_s: int
    arrives_at: datetime


class Location(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A courier's position as the order's people see it, with the ETA; pushed as courier.location."""

    order_id: uuid.UUID
    delivery_id: uuid.UUID
    lat: float
    lng: float
    at: datetime
    phase: str  # "to_restaurant" or "to_customer"
    heading: float | None = None
    accuracy: float | None = None
    eta: EtaView | None = None


class Earnings(msgspec.Struct):
    deliveries: int
    total_cents: int
    by_day: list[PeriodTotal]
    by_week: list[PeriodTotal]


class Availability(msgspec.Struct):
    online: bool
    free: bool
    has_position: bool


def place_of_restaurant(row: asyncpg.Record) -> Place:
    return Place(name=row["restaurant_name"], address=row["restaurant_address"],
                 position=Position(lat=row["pickup_lat"], lng=row["pickup_lng"]))


def delivery_view(row: asyncpg.Record, role: str | None, *, show_customer: bool,
                  pickup_code: CodeView | None = None) -> DeliveryView:
    status = DeliveryStatus(row["status"])
    customer = None
    if show_customer:
        position = None
        if row["dropoff_lat"] is not None:
            position = Position(lat=row["dropoff_lat"], lng=row["dropoff_lng"])
        customer = Place(name="", address=row["delivery_address"], position=position)
    return DeliveryView(
        id=row["id"], order_id=row["order_id"], status=status, seq=row["seq"], courier_id=row["courier_id"],
        restaurant=place_of_restaurant(row), customer=customer, distance_m=row["distance_m"],
        pay_cents=row["pay_cents"], batched=row["batched"], order_status=row["order_status"],
        created_at=row["created_at"], assigned_at=row["assigned_at"], picked_up_at=row["picked_up_at"],
        delivered_at=row["delivered_at"], pickup_code=pickup_code,
        actions=[str(a) for a in allowed_actions(status, role)] if role else [])
