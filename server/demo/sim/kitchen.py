"""A restaurant owner's kitchen screen: accepts (sometimes refuses), cooks, and scans the courier's code."""
from __future__ import annotations

import asyncio
import random

from server.demo.sim.api import Api, ApiError
from server.demo.sim.live import Live
from server.demo.sim.options import SimOptions
from server.demo.sim.world import World

RACES = frozenset({"illegal-transition"})   # the customer cancelled, or the deadline passed, meanwhile
REASONS = ("Rupture d'un ingrédient", "Cuisine débordée, désolé", "Fermeture anticipée ce soir")
ACTIVE = "placed,accepted,preparing,ready"


class Kitchen:
    def __init__(self, api: Api, world: World, options: SimOptions, rng: random.Random) -> None:
        self.api, self.world, self.options, self.rng = api, world, options, rng
        self.live = Live(api, api.stats)
        self.restaurants: dict[str, dict] = {}
        self.tasks: set[asyncio.Task] = set()

    async def open(self, wanted: int) -> list[dict]:
        """Sign in and take up to `wanted` of the owner's restaurants that are open now."""
        await self.api.login()
        page = await self.api.call("GET", "/restaurants/mine?limit=100", label="GET /restaurants/mine")
        for restaurant in [r for r in page["items"] if r["open_now"]][:wanted]:
            self.restaurants[restaurant["id"]] = restaurant
            self.world.kitchens.add(restaurant["id"])
        return list(self.restaurants.values())

    async def start(self) -> None:
        """Hear new orders live; take back the orders already in the kitchen."""
        self.live.on("order.created", self._created)
        await self.live.connect()
        page = await self.api.call("GET", f"/orders?limit=100&status={ACTIVE}", label="GET /orders")
        for order in page["items"]:
            self._take(order["id"], order["restaurant"]["id"], order["status"], order.get("prep_minutes"))

    async def stop(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.live.close()

    def _created(self, payload: dict) -> None:
        data = payload.get("data") or {}
        self._take(str(payload.get("id")), data.get("restaurant_id"), "placed", None)

    def _take(self, order_id: str, restaurant_id: str | None, status: str, prep: int | None) -> None:
        if restaurant_id not in self.restaurants:
            return
        self.world.kitchen_takes(order_id)
        task = asyncio.get_running_loop().create_task(self._cook(order_id, restaurant_id, status, prep))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _cook(self, order_id: str, restaurant_id: str, status: str, prep: int | None) -> None:
        try:
            if status == "placed":
                prep = await self._decide(order_id, restaurant_id)
                status = "accepted" if prep else "refused"
            if status == "accepted":
                await self._wait(self.rng.uniform(10, 60))
                await self._act(order_id, "preparing")
            if status in ("accepted", "preparing"):
                await self._wait((prep or 15) * 60 * self.rng.uniform(0.8, 1.2))
                await self._act(order_id, "ready")
            if status != "refused":
                await self._hand_over(order_id)
        except ApiError:
            pass  # counted where it happened; the kitchen moves on to other orders
        finally:
            self.world.close_counter(order_id)

    async def _decide(self, order_id: str, restaurant_id: str) -> int | None:
        """Accept with a preparation time near the restaurant's average, or refuse with a reason."""
        await self._wait(self.rng.uniform(20, 120))
        if self.rng.random() < self.options.refuse_rate:
            await self._act(order_id, "refuse", {"reason": self.rng.choice(REASONS)})
            return None
        prep = max(5, self.restaurants[restaurant_id]["avg_prep_minutes"] + self.rng.randint(-5, 5))
        await self._act(order_id, "accept", {"prep_minutes": prep})
        return prep

    async def _hand_over(self, order_id: str) -> None:
        """Wait for the courier at the counter, then scan the code they show."""
        delivery_id, code = await self.world.counter(order_id)
        await self._wait(self.rng.uniform(5, 20))
        await self.api.call("POST", f"/deliveries/{delivery_id}/pickup", {"code": code},
                            label="POST /deliveries/{id}/pickup")

    async def _act(self, order_id: str, action: str, body: dict | None = None) -> None:
        await self.api.call("POST", f"/orders/{order_id}/{action}", body or {}, label=f"POST /orders/{{id}}/{action}",
                            benign=RACES)

    async def _wait(self, life_seconds: float) -> None:
        await asyncio.sleep(self.options.paced(life_seconds))
