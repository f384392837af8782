"""The worker: long-running jobs (outbox relay, timers) sharing the node's resources."""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from aiohttp import web

from server.accounts.suspension import lift_suspensions_when_due
from server.orders.deadlines import order_timers
from server.couriers.jobs import offer_timers, prune_tracks
from server.webhooks.jobs import webhook_relay, webhook_sender

log = logging.getLogger(__name__)

Job = Callable[[web.Application], Awaitable[None]]
# Each feature appends its loops here; a job runs until cancelled and survives its own errors.
JOBS: list[Job] = [lift_suspensions_when_due, order_timers, offer_timers, prune_tracks,
                   webhook_relay, webhook_sender]


async def run_forever(job: Job, app: web.Application, *, pause_s: float = 1.0) -> None:
    """Keep a job alive: an unexpected crash is logged and the job restarted."""
    while True:
        try:
            await job(app)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("worker job %s crashed; restarting", job.__name__)
        await asyncio.sleep(pause_s)


async def worker_ctx(app: web.Application):
    """Run every job beside the app; cancelled and awaited at shutdown."""
    tasks = [asyncio.create_task(run_forever(job, app), name=job.__name__) for job in JOBS]
    yield
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def run_worker(app: web.Application, stop: asyncio.Event) -> None:
    """Start the app's resources without serving HTTP, run the jobs until `stop`."""
    app.cleanup_ctx.append(worker_ctx)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    log.info("worker running", extra={"jobs": [job.__name__ for job in JOBS]})
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        log.info("worker stopped")
