"""Delivery events: recorded in the outbox with the change, told to the people concerned after."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from domain.delivery import DeliveryEvent
from server.context import Context
from server.events import Event, record
from server.live.access import room
from server.live.publish import push


async def record_event(conn: asyncpg.Connection, event: DeliveryEvent, restaurant_id: uuid.UUID) -> Event:
    """Append the domain's event; its seq must be the one the delivery row now holds."""
    data = {**event.data, "order_id": str(event.order_id), "restaurant_id": str(restaurant_id),
            "status": event.type.removeprefix("delivery.")}
    if event.data.get("reason") is None:
        data.pop("reason", None)
    stored = await record(conn, "delivery", event.delivery_id, event.type, data)
    if stored.seq != event.seq:
        raise RuntimeError(f"delivery {event.delivery_id}: outbox seq {stored.seq} != delivery seq {event.seq}")
    return stored


def audience(event: Event) -> list[tuple[str, str]]:
    """Besides the delivery's own room: its courier's sockets and its restaurant's kitchen screens."""
    pairs = []
    if courier := event.data.get("courier_id"):
        pairs.append((room("user", courier), "delivery.updated"))
    if restaurant := event.data.get("restaurant_id"):
        pairs.append((room("restaurant", restaurant), "delivery.updated"))
    return pairs


async def tell_order(ctx: Context, order_id: uuid.UUID, status: str, at: datetime,
                     courier_name: str | None = None) -> None:
    """The order's page learns that a courier took it, picked it up or delivered it.

    Pushed without a seq: the order's room counts the order's own events, not the delivery's.
    """
    data = {"order_id": str(order_id), "status": status, "courier_name": courier_name}
    await push(ctx, room("order", order_id), "delivery.updated", data, type=f"delivery.{status}", at=at)
