"""The composition root: create_app(settings) wires every package together."""
from __future__ import annotations

from aiohttp import web

import realtime
from server.db.pool import create_pool
from server.context import build_context
from server.keys import CONTEXT, DB, REDIS, SETTINGS
from server.ops.setup import setup_ops
from server.redis_client import create_redis
from server.settings import Settings
from web import cors, i18n, middleware, platform
from web.pages import setup_templates
from web.routes import setup_routes


async def postgres_ctx(app: web.Application):
    app[DB] = await create_pool(app[SETTINGS].database_url)
    yield
    await app[DB].close()


async def redis_ctx(app: web.Application):
    app[REDIS] = create_redis(app[SETTINGS].redis_url)
    yield
    await app[REDIS].aclose()


async def context_ctx(app: web.Application):
    app[CONTEXT] = build_context(app[DB], app[REDIS], app[SETTINGS])
    yield


def create_app(settings: Settings) -> web.Application:
    """One node: REST, pages, static files and health, bound to its resources."""
    if not settings.database_url or not settings.redis_url:
        raise ValueError("create_app needs database_url and redis_url; the CLI fills them")
    app = web.Application(
        client_max_size=settings.max_body_bytes,
        middlewares=[middleware.request_context, cors.api_key_cors, i18n.language,
                     platform.rate_limits, middleware.errors],
    )
    app[SETTINGS] = settings
    app.cleanup_ctx.extend([postgres_ctx, redis_ctx, context_ctx])
    setup_ops(app)
    setup_templates(app)
    setup_routes(app)
    realtime.setup(app)
    platform.setup_platform(app)
    return app
