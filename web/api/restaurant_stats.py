"""GET /api/v1/restaurants/{id}/stats: an owner's figures over a period of local days."""
from __future__ import annotations

from aiohttp import web

from domain.roles import Role
from server.catalogue.stats import RestaurantStats, StatsQuery, restaurant_stats
from server.keys import CONTEXT
from web.api.catalogue_paths import path_id
from web.auth import principal_of, requires
from web.decode import query_as
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()


@routes.get("/api/v1/restaurants/{id}/stats")
@endpoint("Your restaurant's figures from one local day to another (inclusive)",
          tags=("restaurants",), query=StatsQuery, response=RestaurantStats, errors=(401, 403, 404, 422),
          description="from and to are dates (YYYY-MM-DD); by default the last 30 days; at most 366.")
@requires(Role.restaurateur)
async def stats(request: web.Request) -> web.Response:
    restaurant_id, query = path_id(request), query_as(request, StatsQuery)
    return json_response(await restaurant_stats(
        request.app[CONTEXT], principal_of(request).user_id, restaurant_id, query))
