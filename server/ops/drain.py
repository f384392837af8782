"""Leaving without dropping anyone: readiness off, sockets sent elsewhere, buffers flushed.

On SIGTERM `serve` first drains: /readyz answers 503 so the load balancer stops sending
new traffic, while the node keeps answering for DRAIN_GRACE seconds. Then aiohttp's
graceful exit runs: the listener closes, DRAIN_HOOKS run (e.g. the realtime server tells
its sockets to reconnect, which lands them on another node), requests in flight finish,
then FLUSH_HOOKS run (e.g. buffered GPS fixes written) before Postgres and Redis close.
A second SIGTERM, or SIGINT, skips the grace.

Register from your feature's module:
    from server.ops.drain import DRAIN_HOOKS, FLUSH_HOOKS
    DRAIN_HOOKS.append(tell_sockets_to_reconnect)   # async def f(app: web.Application)
    FLUSH_HOOKS.append(flush_gps_batches)
"""
from __future__ import annotations

import asyncio
import logging
import signal
import time
from typing import Awaitable, Callable

from aiohttp import web
from aiohttp.web_runner import GracefulExit

from server.ops.metrics import METRICS

log = logging.getLogger(__name__)

Hook = Callable[[web.Application], Awaitable[None]]
DRAIN_HOOKS: list[Hook] = []
FLUSH_HOOKS: list[Hook] = []
HOOK_TIMEOUT_S = 5.0


class DrainState:
    """Whether this node is on its way out; listeners are woken when draining starts."""

    def __init__(self) -> None:
        self.started_at: float | None = None
        self.changed = asyncio.Event()

    @property
    def draining(self) -> bool:
        return self.started_at is not None

    def begin(self, app: web.Application) -> None:
        if self.started_at is None:
            self.started_at = time.time()
            app[METRICS].draining.set(1)
            self.changed.set()
            log.info("draining")


DRAIN = web.AppKey("drain", DrainState)


async def run_hooks(app: web.Application, hooks: list[Hook], stage: str) -> None:
    """Each hook gets a bounded time; one that fails or hangs does not stop the others."""
    for hook in list(hooks):
        try:
            async with asyncio.timeout(HOOK_TIMEOUT_S):
                await hook(app)
        except Exception:
            log.exception("%s hook %s failed", stage, getattr(hook, "__name__", hook))


async def on_shutdown(app: web.Application) -> None:
    """aiohttp calls this once the listener is closed, before waiting for requests in flight."""
    app[DRAIN].begin(app)
    await run_hooks(app, DRAIN_HOOKS, "drain")


@web.middleware
async def readiness(request: web.Request, handler):
    """/readyz says 503 from the first moment of draining, whatever the stores say."""
    if request.path == "/readyz" and request.app[DRAIN].draining:
        return web.json_response({"status": "draining"}, status=503)
    return await handler(request)


def drain_on_sigterm(app: web.Application, grace_s: float) -> None:
    """For `serve` only: SIGTERM starts draining, and the graceful exit follows the grace."""
    async def install(app: web.Application) -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, _sigterm, app, loop, grace_s)
    app.on_startup.append(install)


def _sigterm(app: web.Application, loop: asyncio.AbstractEventLoop, grace_s: float) -> None:
    state = app[DRAIN]
    if state.draining or grace_s <= 0:
        _exit()
    state.begin(app)
    loop.call_later(grace_s, _exit)


def _exit() -> None:
    raise GracefulExit()  # run_app catches it and runs the graceful shutdown
