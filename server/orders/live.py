"""Order events beyond the order's own room: the restaurant's kitchen screens hear of them too."""
from __future__ import annotations

from domain.order_machine import CREATED
from server.events import Event
from server.live.access import room
from server.live.publish import add_audience


def kitchen_audience(event: Event) -> list[tuple[str, str]]:
    """A new order arrives as order.created in restaurant:<id>; its later changes as order.updated."""
    restaurant_id = event.data.get("restaurant_id")
    if not restaurant_id:
        return []
    return [(room("restaurant", restaurant_id), "order.created" if event.type == CREATED else "order.updated")]


add_audience("order", kitchen_audience)
