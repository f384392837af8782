"""/api/v1/admin/stats: the sales staff's figures over a period, as JSON or CSV."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

import msgspec
from aiohttp import web

from domain.roles import Role
from server.keys import CONTEXT
from server.ops import stats
from web.auth import requires
from web.decode import query_as
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()


class StatsQuery(msgspec.Struct):
    start: date | None = msgspec.field(name="from", default=None)
    end: date | None = msgspec.field(name="to", default=None)
    by: stats.Grouping = "day"
    format: Literal["json", "csv"] = "json"


@routes.get("/api/v1/admin/stats")
@endpoint("Sales statistics over a period", tags=("admin",), query=StatsQuery,
          response=stats.PeriodStats, errors=(401, 403, 422),
          description="Orders placed from `from` to `to` (French days, both included; the"
                      " last 7 days by default) grouped `by` day, restaurant or zone."
                      " `format=csv` answers text/csv. Today's live figures come over the"
                      " socket as `kpi` events.")
@requires(Role.sales)
async def get_stats(request: web.Request) -> web.StreamResponse:
    query = query_as(request, StatsQuery)
    end = query.end or datetime.now(stats.ZONE).date()
    start = query.start or end - timedelta(days=6)
    async with request.app[CONTEXT].db.acquire() as conn:
        figures = await stats.period_stats(conn, start, end, query.by)
    if query.format == "json":
        return json_response(figures)
    name = f"cesi-eats-{query.by}-{start}-{end}.csv"
    return web.Response(text=stats.as_csv(figures), content_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
