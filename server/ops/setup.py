"""Wire operations into an app: metrics, request tracking, draining and the announcements."""
from __future__ import annotations

import asyncio

from aiohttp import web

from server.keys import CONTEXT, SETTINGS
from server.ops import drain
from server.ops.announce import Announcer
from server.ops.figures import FigureSource
from server.ops.loop_lag import LoopLag
from server.ops.metrics import METRICS, Metrics
from server.ops.registry import NodeRegistry
from server.ops.traffic import WINDOW, track_requests
from server.ops.window import RequestWindow


def setup_ops(app: web.Application) -> None:
    """Call once in create_app, after the stores' cleanup contexts."""
    app[METRICS] = Metrics(app[SETTINGS].node_id)
    app[WINDOW] = RequestWindow()
    app[drain.DRAIN] = drain.DrainState()
    # outermost, so every answer is counted, errors included
    app.middlewares.insert(0, drain.readiness)
    app.middlewares.insert(0, track_requests)
    app.on_shutdown.append(drain.on_shutdown)
    app.cleanup_ctx.append(ops_ctx)


async def ops_ctx(app: web.Application):
    """Sample the loop, announce the node; on the way out flush buffers and withdraw."""
    ctx = app[CONTEXT]
    ctx.extras["metrics"] = app[METRICS]
    lag = LoopLag(app[METRICS].loop_lag)
    lag_task = asyncio.create_task(lag.run(), name="loop-lag")
    announcer = Announcer(NodeRegistry(ctx), FigureSource(app, lag), app[drain.DRAIN])
    announcer.start()
    yield
    await drain.run_hooks(app, drain.FLUSH_HOOKS, "flush")
    await announcer.stop(app[SETTINGS].node_id)
    lag_task.cancel()
    await asyncio.gather(lag_task, return_exceptions=True)
