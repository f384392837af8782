"""The physical world the bots share: the counter where food changes hands, and the door.

Bots speak to the server only through its API; what people do face to face (a courier
showing a code to the kitchen, a customer reading theirs out at the door) happens here.
"""
from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

CodeReader = Callable[[str], Awaitable[str | None]]


class World:
    def __init__(self) -> None:
        self.kitchens: set[str] = set()             # restaurant ids a kitchen bot runs
        self._counters: dict[str, asyncio.Future] = {}  # order id -> (delivery id, pickup code)
        self._doors: dict[str, CodeReader] = {}     # order id -> the customer's way to read the code
        self._declined: set[str] = set()            # deliveries one courier has already declined
        self._kitchen_orders: set[str] = set()      # orders whose pickup a kitchen bot will scan

    def counter(self, order_id: str) -> asyncio.Future:
        """Where the kitchen waits for the courier of this order to show the pickup code."""
        if order_id not in self._counters:
            self._counters[order_id] = asyncio.get_running_loop().create_future()
        return self._counters[order_id]

    def show_pickup_code(self, order_id: str, delivery_id: str, code: str) -> bool:
        """The courier at the counter; False when no kitchen bot is there to scan (a person is)."""
        future = self.counter(order_id)
        if not future.done():
            future.set_result((delivery_id, code))
        return order_id in self._kitchen_orders

    def close_counter(self, order_id: str) -> None:
        self._counters.pop(order_id, None)
        self._kitchen_orders.discard(order_id)

    def kitchen_takes(self, order_id: str) -> None:
        """A kitchen bot will scan this order's courier code."""
        self._kitchen_orders.add(order_id)

    def open_door(self, order_id: str, reader: CodeReader) -> None:
        self._doors[order_id] = reader

    def close_door(self, order_id: str) -> None:
        self._doors.pop(order_id, None)

    async def ring(self, order_id: str) -> str | None:
        """The courier at the door: the code the customer reads out, or None if nobody we play lives there."""
        reader = self._doors.get(order_id)
        return await reader(order_id) if reader else None

    def may_decline(self, delivery_id: str) -> bool:
        """One decline per delivery: with few couriers, everyone saying no would strand it."""
        if delivery_id in self._declined:
            return False
        self._declined.add(delivery_id)
        return True
