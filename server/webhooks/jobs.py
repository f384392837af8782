"""The worker's webhook jobs: the outbox relay and the sender, each looping until cancelled.

Several workers may run both: the relay's cursor is taken with SKIP LOCKED (one relays at a
time), deliveries are claimed with SKIP LOCKED (each goes to one sender).
"""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from server.context import Context
from server.keys import CONTEXT
from server.webhooks.http import client_session
from server.webhooks.relay import BATCH, relay_once
from server.webhooks.sender import claim, deliver

log = logging.getLogger(__name__)
PAUSE_S = 0.5
CONCURRENCY = 50  # attempts in flight per worker; a slow endpoint holds one slot, not the loop


async def webhook_relay(app: web.Application) -> None:
    ctx = app[CONTEXT]
    while True:
        read = await relay_once(ctx)
        await asyncio.sleep(0 if read >= BATCH else PAUSE_S)


async def webhook_sender(app: web.Application) -> None:
    ctx = app[CONTEXT]
    async with client_session(ctx.settings) as session:
        in_flight: set[asyncio.Task] = set()
        try:
            while True:
                await _fill(ctx, session, in_flight)
                if not in_flight:
                    await asyncio.sleep(PAUSE_S)
                    continue
                done, _ = await asyncio.wait(in_flight, timeout=PAUSE_S,
                                             return_when=asyncio.FIRST_COMPLETED)
                in_flight.difference_update(done)
                for task in done:
                    if not task.cancelled() and task.exception() is not None:
                        log.error("webhook attempt failed", exc_info=task.exception())
        finally:
            await _finish(in_flight, ctx.settings.webhook_timeout_s + 1)


async def _fill(ctx: Context, session, in_flight: set[asyncio.Task]) -> None:
    room = CONCURRENCY - len(in_flight)
    if room <= 0:
        return
    for job in await claim(ctx, room):
        in_flight.add(asyncio.create_task(deliver(ctx, session, job), name="webhook-attempt"))


async def _finish(in_flight: set[asyncio.Task], within_s: float) -> None:
    """On the way out, let attempts in flight get their answer logged; cut the rest, whose
    leases bring them back."""
    if in_flight:
        await asyncio.wait(in_flight, timeout=within_s)
    for task in in_flight:
        task.cancel()
    await asyncio.gather(*in_flight, return_exceptions=True)
