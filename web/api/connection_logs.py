"""/api/v1/admin/connection-logs: every sign-in attempt, for the tech staff."""
from __future__ import annotations

from aiohttp import web

from domain.roles import Role
from server.accounts import connection_logs
from server.accounts.paging import Page
from server.keys import CONTEXT
from web.auth import requires
from web.decode import query_as
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()


@routes.get("/api/v1/admin/connection-logs")
@endpoint("Sign-in attempts", tags=("admin",), query=connection_logs.LogQuery, response=Page,
          errors=(401, 403, 422),
          description="Newest first; filter by `user_id`, `email`, `success`, `from` and `to`"
                      " (RFC 3339, `to` exclusive).")
@requires(Role.tech)
async def list_connection_logs(request: web.Request) -> web.Response:
    query = query_as(request, connection_logs.LogQuery)
    return json_response(await connection_logs.search(request.app[CONTEXT], query))
