"""A simulation run: the cast on stage, orders arriving at the asked rate, then a clean finish."""
from __future__ import annotations

import asyncio
import random
import sys
import time

import aiohttp

from server.demo.sim.cast import Cast
from server.demo.sim.customer import Customer
from server.demo.sim.options import SimOptions
from server.demo.sim.stats import Report, Stats
from server.demo.sim.world import World

READY_WAIT_S = 120
ORDERS_PER_CUSTOMER = 2   # at once: a customer may order for the office while dinner is on its way


class NotReady(Exception):
    """The node never answered /readyz with 200."""


class Stop:
    """First Ctrl-C: no new orders, let the ones in flight finish. Second: leave now."""

    def __init__(self) -> None:
        self.gently, self.now = asyncio.Event(), asyncio.Event()

    def ask(self) -> None:
        (self.now if self.gently.is_set() else self.gently).set()


async def simulate(options: SimOptions, stop: Stop, out=sys.stdout) -> Report:
    stats, world = Stats(), World()
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30), connector=aiohttp.TCPConnector(limit=64))
    bots: list = []
    progress = asyncio.get_running_loop().create_task(_progress(stats, options, out))
    try:
        await _wait_ready(session, options.base_url)
        cast = Cast(session, options, stats, world)
        kitchens, opened = await cast.kitchens()
        bots += kitchens
        customers = await cast.customers(opened)
        bots += customers
        bots += await cast.couriers(opened)
        print(f"\nplaying {len(opened)} restaurants, {len(customers)} customers,"
              f" {len(bots) - len(kitchens) - len(customers)} couriers", file=out, flush=True)
        orders = await _place_orders(customers, options, stop, random.Random(options.seed))
        if orders:
            print(f"\nno more new orders; letting {len(orders)} finish (Ctrl-C again to leave now)", file=out, flush=True)
            await _finish(orders, options.drain, stop)
    finally:
        progress.cancel()
        await asyncio.gather(*(bot.stop() for bot in bots), return_exceptions=True)
        await session.close()
    return stats.report()


async def _wait_ready(session: aiohttp.ClientSession, base_url: str) -> None:
    deadline = time.monotonic() + READY_WAIT_S
    while True:
        try:
            async with session.get(base_url.rstrip("/") + "/readyz") as response:
                if response.status == 200:
                    return
        except (aiohttp.ClientError, asyncio.TimeoutError):
            pass  # not listening yet
        if time.monotonic() > deadline:
            raise NotReady(f"{base_url} is not ready after {READY_WAIT_S} s (is it serving?)")
        await asyncio.sleep(1)


async def _place_orders(customers: list[Customer], options: SimOptions, stop: Stop,
                        rng: random.Random) -> set[asyncio.Task]:
    """Poisson arrivals at `rate` a minute until the duration ends or Ctrl-C."""
    tasks: set[asyncio.Task] = set()
    busy: dict[int, int] = {}
    ends = time.monotonic() + options.duration if options.duration else float("inf")
    while customers and options.rate > 0:
        pause = min(rng.expovariate(options.rate / 60), ends - time.monotonic())
        if pause < 0 or await _stopped(stop.gently, pause):
            break
        free = [c for c in customers if busy.get(id(c), 0) < ORDERS_PER_CUSTOMER and c.addresses]
        if not free:
            continue
        customer = rng.choice(free)
        busy[id(customer)] = busy.get(id(customer), 0) + 1
        task = asyncio.get_running_loop().create_task(customer.order_once())
        task.add_done_callback(lambda _, c=customer: busy.__setitem__(id(c), busy[id(c)] - 1))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    return tasks


async def _finish(orders: set[asyncio.Task], drain: float, stop: Stop) -> None:
    """Wait for the orders in flight, at most `drain` seconds or until a second Ctrl-C."""
    leave = asyncio.get_running_loop().create_task(stop.now.wait())
    pending = set(orders)
    ends = time.monotonic() + drain
    while pending and not stop.now.is_set() and time.monotonic() < ends:
        _, pending = await asyncio.wait([*pending, leave], timeout=ends - time.monotonic(),
                                        return_when=asyncio.FIRST_COMPLETED)
        pending.discard(leave)
    leave.cancel()
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


async def _stopped(event: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(event.wait(), seconds)
        return True
    except asyncio.TimeoutError:
        return False


async def _progress(stats: Stats, options: SimOptions, out) -> None:
    """A live line on a terminal; a line every ten seconds in a log."""
    tty = getattr(out, "isatty", lambda: False)()
    every = options.progress_every if tty else max(10.0, options.progress_every)
    while True:
        await asyncio.sleep(every)
        print(("\r" if tty else "") + stats.progress_line(), end="" if tty else "\n", file=out, flush=True)
