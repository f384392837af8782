"""/api/v1/me: the signed-in person's own account."""
from __future__ import annotations

from aiohttp import web

from domain.errors import NotFound
from server.accounts import queries
from server.accounts.views import AccountView, account_view
from server.keys import CONTEXT
from web.auth import principal_of, requires
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()


@routes.get("/api/v1/me")
@endpoint("Your account", tags=("me",), response=AccountView, errors=(401, 404))
@requires()
async def get_me(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    async with ctx.db.acquire() as conn:
        user = await queries.user_by_id(conn, principal_of(request).user_id)
    if user is None or user["deleted_at"] is not None:
        raise NotFound("this account no longer exists")
    return json_response(account_view(user))
