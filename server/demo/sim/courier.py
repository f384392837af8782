"""A courier: online, streaming GPS, answering offers, riding to the counter and to the door."""
from __future__ import annotations

import asyncio
import random
import time

from domain.geo import Position, fast_distance_m
from server.demo.sim import movement
from server.demo.sim.api import Api, ApiError
from server.demo.sim.handover import Job, job_of
from server.demo.sim.live import Live
from server.demo.sim.offers import answer_offer
from server.demo.sim.options import SimOptions
from server.demo.sim.world import World


class Courier:
    def __init__(self, api: Api, world: World, options: SimOptions, rng: random.Random, start: Position) -> None:
        self.api, self.world, self.options, self.rng = api, world, options, rng
        self.stats = api.stats
        self.live = Live(api, api.stats)
        self.position, self.heading, self.speed = start, 0.0, movement.speed_mps("bike", options.speed)
        self.leg: tuple[Position, Position, float] | None = None   # from, to, when it set off
        self.jobs: dict[str, Job] = {}
        self.statuses: dict[str, str] = {}
        self.changed, self.news = asyncio.Event(), asyncio.Event()
        self.stopping = False
        self.tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        await self.api.login()
        me = await self.api.call("GET", "/me", label="GET /me")
        self.speed = movement.speed_mps((me.get("profile") or {}).get("vehicle") or "bike", self.options.speed)
        self.live.on("delivery.offer", lambda payload: answer_offer(self, payload))
        self.live.on("delivery.updated", self._delivery_news)
        await self.live.connect()
        await self.live.call("availability", {"online": True})
        await self._fix()
        active = await self.api.call("GET", "/deliveries?status=active", label="GET /deliveries")
        for delivery in active["items"]:
            self.jobs[delivery["id"]] = job_of(delivery)
        loop = asyncio.get_running_loop()
        self.tasks = [loop.create_task(self._stream()), loop.create_task(self._ride())]

    async def stop(self) -> None:
        """Offline (refused while a delivery is in hand: it stays where it is), then away."""
        self.stopping = True
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.live.call("availability", {"online": False}, benign=frozenset({"delivery-in-hand"}))
        await self.live.close()

    async def _stream(self) -> None:
        """The app sends the phone's position every few seconds while online."""
        while True:
            await asyncio.sleep(self.options.fix_interval)
            await self._fix()

    async def _fix(self) -> None:
        here = self._here()
        fix = {"lat": here.lat, "lng": here.lng, "ts": time.time() * 1000,
               "heading": round(self.heading, 1), "speed": round(self.speed, 1), "accuracy": 8.0}
        if await self.live.call("gps", fix) is not None:
            self.stats.count("fixes_sent")

    async def _ride(self) -> None:
        while True:
            job = self._next_job()
            if job is None:
                self.changed.clear()
                await self.changed.wait()
                continue
            try:
                if not job.picked_up:
                    await self._go(job.restaurant)
                    await self._collect(job)
                else:
                    await self._go(job.customer)
                    await self._hand(job)
            except ApiError:
                await asyncio.sleep(self.options.fix_interval)  # counted; try again from where we stand

    def _next_job(self) -> Job | None:
        """Fetch what waits at a counter first, then the nearest door."""
        waiting = [j for j in self.jobs.values() if not j.picked_up]
        if waiting:
            return waiting[0]
        carried = [j for j in self.jobs.values() if j.customer is not None]
        return min(carried, key=lambda j: fast_distance_m(self._here(), j.customer), default=None)

    def _here(self) -> Position:
        """Where the courier is at this instant: fixes taken at any moment agree with the speed."""
        if self.leg is None:
            return self.position
        origin, target, started = self.leg
        return movement.step(origin, target, self.speed * (time.monotonic() - started))[0]

    async def _go(self, target: Position) -> None:
        origin = self._here()
        self.leg, self.heading = (origin, target, time.monotonic()), movement.heading(origin, target)
        try:
            await asyncio.sleep(fast_distance_m(origin, target) / self.speed)
        finally:
            self.position, self.leg = self._here(), None

    async def _collect(self, job: Job) -> None:
        """Show the pickup code at the counter; with no kitchen bot there, type it ourselves once ready."""
        if not self.world.show_pickup_code(job.order_id, job.delivery_id, job.pickup_code):
            while (await self._delivery(job))["order_status"] != "ready":
                await self._news(job.delivery_id, 10)
            await self.api.call("POST", f"/deliveries/{job.delivery_id}/pickup", {"code": job.pickup_code},
                                label="POST /deliveries/{id}/pickup")
        while self.statuses.get(job.delivery_id) not in ("picked_up", "cancelled"):
            if not await self._news(job.delivery_id, 15):
                self.statuses[job.delivery_id] = (await self._delivery(job))["status"]
        job.picked_up = True
        self._forget_if_over(job)

    async def _hand(self, job: Job) -> None:
        code = await self.world.ring(job.order_id)
        if code is None:
            self.stats.note("nobody we play at the door")
            await self._news(job.delivery_id, 60)
            self.statuses[job.delivery_id] = (await self._delivery(job))["status"]
        else:
            await self.api.call("POST", f"/deliveries/{job.delivery_id}/deliver", {"code": code},
                                label="POST /deliveries/{id}/deliver")
            self.statuses[job.delivery_id] = "delivered"
        self._forget_if_over(job)

    def _forget_if_over(self, job: Job) -> None:
        if self.statuses.get(job.delivery_id) in ("delivered", "cancelled", "failed"):
            self.jobs.pop(job.delivery_id, None)
            self.world.close_counter(job.order_id)

    async def _delivery(self, job: Job) -> dict:
        return await self.api.call("GET", f"/deliveries/{job.delivery_id}", label="GET /deliveries/{id}")

    async def _news(self, delivery_id: str, seconds: float) -> bool:
        """Wait for a live update of this delivery; False after `seconds` without one."""
        self.news.clear()
        try:
            await asyncio.wait_for(self.news.wait(), seconds)
            return True
        except asyncio.TimeoutError:
            return False

    def _delivery_news(self, payload: dict) -> None:
        status = (payload.get("data") or {}).get("status")
        delivery_id = str(payload.get("id"))
        if status:
            self.statuses[delivery_id] = status
        if status == "cancelled" and delivery_id in self.jobs:
            self.stats.note("delivery cancelled while carried")
            self.jobs.pop(delivery_id)
            self.changed.set()
        self.news.set()
