"""Liveness and readiness: /healthz says the process answers, /readyz checks its stores."""
from __future__ import annotations

import asyncio

from aiohttp import web

from server.keys import DB, REDIS
from web.problem import json_response

routes = web.RouteTableDef()
_CHECK_TIMEOUT_S = 2.0


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


@routes.get("/readyz")
async def readyz(request: web.Request) -> web.Response:
    postgres, redis = await asyncio.gather(
        _check(_ping_postgres(request.app)), _check(request.app[REDIS].ping()),
    )
    ready = postgres == "ok" and redis == "ok"
    body = {"status": "ready" if ready else "not ready", "postgres": postgres, "redis": redis}
    return json_response(body, status=200 if ready else 503)


async def _ping_postgres(app: web.Application) -> None:
    async with app[DB].acquire(timeout=_CHECK_TIMEOUT_S) as conn:
        await conn.fetchval("SELECT 1")


async def _check(probe) -> str:
    try:
        await asyncio.wait_for(probe, _CHECK_TIMEOUT_S)
    except Exception as exc:  # any failure means "not ready"; the reason is reported
        return f"error: {type(exc).__name__}"
    return "ok"
