"""A customer: finds a restaurant near one of their addresses, orders, follows it live, opens the door."""
from __future__ import annotations

import asyncio
import random

from server.demo.sim.api import Api, ApiError
from server.demo.sim.cart import fill_cart
from server.demo.sim.live import Live
from server.demo.sim.options import SimOptions
from server.demo.sim.world import World

FINAL = frozenset({"delivered", "refused", "cancelled"})
RELOAD_S = 30        # with no news for this long, the order page reloads the order
RACES = frozenset({"illegal-transition"})
UNDER_WAY = "placed,accepted,preparing,ready,picked_up"


class Watch:
    """One order as its customer follows it."""

    def __init__(self, order: dict) -> None:
        self.id, self.status, self.seq, self.code = order["id"], order["status"], order["seq"], None
        self.counted: set[str] = set()
        self.changed = asyncio.Event()


class Customer:
    def __init__(self, api: Api, world: World, options: SimOptions, rng: random.Random) -> None:
        self.api, self.world, self.options, self.rng = api, world, options, rng
        self.stats = api.stats
        self.live = Live(api, api.stats)
        self.addresses: list[dict] = []
        self.orders: dict[str, Watch] = {}
        self.tasks: set[asyncio.Task] = set()

    async def start(self) -> None:
        await self.api.login()
        me = await self.api.call("GET", "/me", label="GET /me")
        self.addresses = (me.get("profile") or {}).get("addresses") or []
        self.live.on("order.updated", self._order_event)
        self.live.on("delivery.updated", self._delivery_event)
        await self.live.connect()
        under_way = await self.api.call("GET", f"/orders?limit=20&status={UNDER_WAY}", label="GET /orders")
        for order in under_way["items"]:  # from an earlier run: followed again, as a reopened page does
            watch = self.orders[order["id"]] = Watch(order)
            self.stats.order_status(watch.id, watch.status)
            task = asyncio.get_running_loop().create_task(self._follow(watch))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def stop(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.live.close()

    async def order_once(self) -> None:
        """Browse, order, and follow the order until it ends."""
        try:
            placed = await self._place()
        except ApiError:
            return
        if placed is not None:
            await self._follow(placed)

    async def _place(self) -> Watch | None:
        address = self.rng.choice(self.addresses)
        restaurant = await self._pick_restaurant(address)
        if restaurant is None:
            return None
        page = await self.api.call("GET", f"/restaurants/{restaurant['id']}/menu", label="GET /restaurants/{id}/menu")
        lines = fill_cart(page, self.rng)
        await asyncio.sleep(self.options.paced(self.rng.uniform(20, 90)))  # reading the menu
        cart = {"restaurant_id": restaurant["id"], "lines": lines,
                "delivery": {"address": address["address"], "position": {"lat": address["lat"], "lng": address["lng"]}}}
        await self.api.call("POST", "/orders/quote", cart, label="POST /orders/quote", ok=(200,))
        order = await self.api.timed_call("place order", "POST", "/orders", {**cart, "payment_token": "tok_sandbox_ok"},
                                          label="POST /orders", ok=(201,), idempotent=True)
        watch = self.orders[order["id"]] = Watch(order)
        self._saw(watch, "placed")
        return watch

    async def _pick_restaurant(self, address: dict) -> dict | None:
        """One of the nearest open restaurants whose kitchen a bot runs."""
        found = await self.api.call("GET", f"/restaurants?lat={address['lat']}&lng={address['lng']}&open_now=true"
                                    "&limit=50", label="GET /restaurants")
        limit = (self.options.max_trip_km or 1e9) * 1000
        ours = [r for r in found["items"] if r["id"] in self.world.kitchens and r["distance_m"] <= limit]
        if not ours:
            self.stats.note("no restaurant of ours delivers there")
            return None
        return self.rng.choice(ours[:5])

    async def _follow(self, watch: Watch) -> None:
        self.world.open_door(watch.id, self._read_code)
        try:
            await self.live.follow(watch.id, watch.seq)
            if self.rng.random() < self.options.cancel_rate:
                await asyncio.sleep(self.options.paced(self.rng.uniform(5, 40)))
                await self._call("POST", f"/orders/{watch.id}/cancel", {}, "POST /orders/{id}/cancel", RACES)
            while watch.status not in FINAL:
                watch.changed.clear()
                try:
                    await asyncio.wait_for(watch.changed.wait(), RELOAD_S)
                except asyncio.TimeoutError:
                    order = await self._call("GET", f"/orders/{watch.id}", None, "GET /orders/{id}")
                    if order and order["status"] != watch.status:
                        self.stats.note("status learnt by reloading the order")
                        self._saw(watch, order["status"])
            if watch.status == "delivered" and self.rng.random() < 0.5:
                score = {"restaurant_score": self.rng.randint(3, 5), "courier_score": self.rng.randint(3, 5)}
                await self._call("POST", f"/orders/{watch.id}/rating", score, "POST /orders/{id}/rating")
        finally:
            self.world.close_door(watch.id)
            self.orders.pop(watch.id, None)
            await self.live.unfollow(watch.id)

    def _saw(self, watch: Watch, status: str) -> None:
        watch.status = status
        if status not in watch.counted:
            watch.counted.add(status)
            self.stats.count(status)
        self.stats.order_status(watch.id, status)
        watch.changed.set()

    def _order_event(self, payload: dict) -> None:
        watch = self.orders.get(str(payload.get("id")))
        kind = str(payload.get("type", ""))
        if watch is not None and kind.startswith("order.") and kind not in ("order.created", "order.updated"):
            self._saw(watch, kind.removeprefix("order."))

    async def _delivery_event(self, payload: dict) -> None:
        """A courier took the order: the page shows the code to read out at the door."""
        watch = self.orders.get(str((payload.get("data") or {}).get("order_id")))
        if watch is not None and watch.code is None and (payload.get("data") or {}).get("status") != "delivered":
            found = await self._call("GET", f"/orders/{watch.id}/delivery-code", None, "GET /orders/{id}/delivery-code")
            watch.code = found["code"] if found else None

    async def _read_code(self, order_id: str) -> str | None:
        """At the door: the customer comes down and reads the code out."""
        await asyncio.sleep(self.options.paced(self.rng.uniform(10, 40)))
        watch = self.orders.get(order_id)
        if watch is not None and watch.code is None:
            found = await self._call("GET", f"/orders/{order_id}/delivery-code", None, "GET /orders/{id}/delivery-code")
            watch.code = found["code"] if found else None
        return watch.code if watch else None

    async def _call(self, method: str, path: str, body, label: str, benign: frozenset[str] = frozenset()):
        try:
            return await self.api.call(method, path, body, label=label, benign=benign)
        except ApiError:
            return None
