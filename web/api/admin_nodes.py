"""/api/v1/admin/nodes: every node's latest figures and the stores' health, for tech staff."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import msgspec
from aiohttp import web

from domain.roles import Role
from server.keys import CONTEXT
from server.ops.figures import NodeFigures
from server.ops.registry import GoneNode, NodeList, NodeRegistry
from server.ops.stores import PostgresHealth, RedisHealth, postgres_health, redis_health
from web.auth import requires
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()


class NodesView(msgspec.Struct):
    at: datetime
    nodes: list[NodeFigures]
    gone: list[GoneNode]
    postgres: PostgresHealth
    redis: RedisHealth


@routes.get("/api/v1/admin/nodes")
@endpoint("Nodes and stores health", tags=("admin",), response=NodesView, errors=(401, 403),
          description="Live nodes announce every 2 s; a node silent for 6 s, or stopped,"
                      " is listed under `gone` for an hour. Rates are per second, times in ms.")
@requires(Role.tech)
async def list_nodes(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    listed, postgres, redis = await asyncio.gather(
        _registry(ctx), postgres_health(ctx.db), redis_health(ctx.redis))
    return json_response(NodesView(at=datetime.now(timezone.utc), nodes=listed.nodes,
                                   gone=listed.gone, postgres=postgres, redis=redis))


async def _registry(ctx) -> NodeList:
    """With Redis down the nodes are unknown; the Redis health says why."""
    try:
        return await NodeRegistry(ctx).read()
    except Exception:
        return NodeList([], [])
