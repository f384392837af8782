"""What clients see of an order: its lines as ordered, its money, its timeline, its buttons."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import msgspec

from domain.geo import Position
from domain.order_machine import OrderStatus, allowed_actions
from domain.pricing import PricedLine

_TIMELINE = ("accepted", "preparing", "ready", "picked_up", "delivered", "refused", "cancelled")


class RestaurantRef(msgspec.Struct):
    id: uuid.UUID
    name: str


class DeliveryView(msgspec.Struct):
    address: str
    position: Position | None


class Step(msgspec.Struct):
    """A status the order reached, and when."""

    status: str
    at: datetime


class RatingView(msgspec.Struct):
    restaurant_score: int
    courier_score: int | None
    comment: str | None
    created_at: datetime


class OrderView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    ref: str
    status: OrderStatus
    seq: int
    restaurant: RestaurantRef
    customer_id: uuid.UUID
    courier_id: uuid.UUID | None
    lines: list[PricedLine]
    items_cents: int
    delivery_fee_cents: int
    service_fee_cents: int
    credit_cents: int
    total_cents: int
    distance_m: int
    delivery: DeliveryView
    note: str
    prep_minutes: int | None
    ready_eta: datetime | None
    reason: str | None
    placed_at: datetime
    deadline_at: datetime
    timeline: list[Step]
    actions: list[str]
    rating: RatingView | None = None


class OrderPage(msgspec.Struct):
    items: list[OrderView]
    next_cursor: str | None = None


def short_ref(order_id: uuid.UUID) -> str:
    """A reference people can read out: the id's first eight hex digits."""
    return order_id.hex[:8].upper()


def order_view(row: asyncpg.Record, lines: list[asyncpg.Record], role: str | None,
               rating: asyncpg.Record | None = None) -> OrderView:
    """The order as `role` sees it, with the actions that role could take now."""
    status = OrderStatus(row["status"])
    position = None
    if row["delivery_lat"] is not None:
        position = Position(lat=row["delivery_lat"], lng=row["delivery_lng"])
    return OrderView(
        id=row["id"], ref=short_ref(row["id"]), status=status, seq=row["seq"],
        restaurant=RestaurantRef(id=row["restaurant_id"], name=row["restaurant_name"]),
        customer_id=row["customer_id"], courier_id=row["courier_id"],
        lines=[msgspec.convert(dict(line), PricedLine) for line in lines],
        items_cents=row["items_cents"], delivery_fee_cents=row["delivery_fee_cents"],
        service_fee_cents=row["service_fee_cents"], credit_cents=row["credit_cents"],
        total_cents=row["total_cents"], distance_m=row["distance_m"],
        delivery=DeliveryView(address=row["delivery_address"], position=position), note=row["note"],
        prep_minutes=row["prep_minutes"], ready_eta=ready_eta(row), reason=row["reason"],
        placed_at=row["placed_at"], deadline_at=row["deadline_at"], timeline=timeline(row),
        actions=[str(a) for a in allowed_actions(status, role)] if role else [],
        rating=msgspec.convert(dict(rating), RatingView) if rating else None,
    )


def ready_eta(row: asyncpg.Record) -> datetime | None:
    """When the kitchen said the food would be ready: acceptance plus preparation time."""
    if row["accepted_at"] is None or row["prep_minutes"] is None:
        return None
    return row["accepted_at"] + timedelta(minutes=row["prep_minutes"])


def timeline(row: asyncpg.Record) -> list[Step]:
    steps = [Step(status="placed", at=row["placed_at"])]
    steps += [Step(status=s, at=row[f"{s}_at"]) for s in _TIMELINE if row[f"{s}_at"] is not None]
    return sorted(steps, key=lambda step: step.at)


def event_data(row: dict[str, Any] | asyncpg.Record) -> dict[str, Any]:
    """What every order event carries besides its status: enough to route and count it."""
    return {"restaurant_id": str(row["restaurant_id"]), "customer_id": str(row["customer_id"]),
            "total_cents": row["total_cents"]}
