"""Socket edge: one Socket.IO server per node, rooms fanned out across nodes through Redis."""
from __future__ import annotations

from aiohttp import web

from realtime import courier_events  # noqa: F401  (registers the couriers' socket events)
from realtime.connection import bind_connection
from realtime.handlers import bind_events
from realtime.live import Live
from realtime.recovery import recheck_people, refresh_kpi, tell_resumed
from realtime.subscribe import catch_up
from server.keys import CONTEXT
from server.ops.drain import DRAIN_HOOKS
from server.live import kpi, publish  # noqa: F401  (registers the live publishers)

LIVE = web.AppKey("live", Live)


def setup(app: web.Application) -> Live:
    """Attach Socket.IO at /socket.io; its Redis channels open with the app's resources."""
    live = app[LIVE] = Live()
    bind_connection(live)
    bind_events(live)
    live.on_resubscribed.extend([catch_up, recheck_people, refresh_kpi, tell_resumed])
    live.sio.attach(app)
    app.cleanup_ctx.append(_live_ctx)
    app.on_shutdown.append(_close_sockets)
    return live


async def _live_ctx(app: web.Application):
    live = app[LIVE]
    live.start(app[CONTEXT])
    yield
    await live.stop()
    await kpi.kpi_stream(app[CONTEXT]).close()


async def _close_sockets(app: web.Application) -> None:
    """Before aiohttp waits for open handlers: a websocket would hold the shutdown up.

    Closed at the engine level, so clients reconnect (through the load balancer, to a node
    that stays) and resume their streams by seq: a drained node loses nobody's events.
    """
    await app[LIVE].close_sockets()


if _close_sockets not in DRAIN_HOOKS:
    DRAIN_HOOKS.append(_close_sockets)
