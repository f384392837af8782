"""/api/v1/me: the signed-in person's own account."""
from __future__ import annotations

from aiohttp import web

from domain.accounts import MePatch
from domain.errors import NotFound
from server.accounts import queries
from server.accounts.erasure import erase_account
from server.accounts.profile import update_me
from server.accounts.views import AccountView, account_view
from server.keys import CONTEXT
from web.auth import principal_of, requires
from web.decode import read_json
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


@routes.patch("/api/v1/me")
@endpoint("Change your details, profile, e-mail address or password", tags=("me",),
          body=MePatch, response=AccountView, errors=(401, 404, 409, 413, 422, 429),
          description="`profile` is checked for your role: a courier's `vehicle` (bike, scooter,"
                      " car, foot), a customer's `addresses` (at most 10 of {label, address, lat,"
                      " lng}). Changing `email` or `password` needs `current_password`; a new"
                      " password ends every session, so sign in again.")
@requires()
async def patch_me(request: web.Request) -> web.Response:
    patch = await read_json(request, MePatch)
    user = await update_me(request.app[CONTEXT], principal_of(request).user_id, patch)
    return json_response(account_view(user))


@routes.delete("/api/v1/me")
@endpoint("Erase your account", tags=("me",), status=204, errors=(401, 404),
          description="Name, e-mail address, phone, password and profile are erased and every"
                      " session ends at once; anonymous figures (orders, deliveries) remain.")
@requires()
async def delete_me(request: web.Request) -> web.Response:
    await erase_account(request.app[CONTEXT], principal_of(request).user_id)
    return web.Response(status=204)
