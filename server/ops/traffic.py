"""The outermost middleware: counts and times every HTTP request of the node."""
from __future__ import annotations

import asyncio
import time

from aiohttp import web

from server.ops.metrics import METRICS
from server.ops.window import RequestWindow

WINDOW = web.AppKey("request_window", RequestWindow)
# Held open on purpose (long-polling, websockets): their duration is not a latency.
LONG_LIVED_PREFIXES = ("/socket.io",)


def route_of(request: web.Request) -> str:
    """The route's pattern (`/api/v1/orders/{id}`), so label values stay few."""
    resource = request.match_info.route.resource
    if resource is None:
        return "unmatched"
    return resource.canonical


def _long_lived(request: web.Request) -> bool:
    return (request.path.startswith(LONG_LIVED_PREFIXES)
            or request.headers.get("Upgrade", "").lower() == "websocket")


@web.middleware
async def track_requests(request: web.Request, handler):
    """Count, time and hold in-flight every request; errors are counted with their status."""
    metrics = request.app[METRICS]
    started = time.perf_counter()
    status = 500
    metrics.requests_in_flight += 1
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    except asyncio.CancelledError:
        status = 499  # the client went away before the answer
        raise
    finally:
        metrics.requests_in_flight -= 1
        elapsed = None if _long_lived(request) else time.perf_counter() - started
        metrics.count_request(request.method, route_of(request), status, elapsed)
        if elapsed is not None:
            request.app[WINDOW].record(elapsed)
