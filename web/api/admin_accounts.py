"""/api/v1/admin/accounts: sales staff manage every account; staff create staff."""
from __future__ import annotations

import uuid

from aiohttp import web

from domain.accounts import AccountPatch, RegisterInput
from domain.errors import Forbidden, NotFound
from domain.roles import Role
from server.accounts import admin
from server.accounts.erasure import erase_account
from server.accounts.paging import Page
from server.accounts.views import AccountView, account_view
from server.keys import CONTEXT
from web.auth import principal_of, requires
from web.decode import query_as, read_json
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()
TAGS = ("admin",)


def _user_id(request: web.Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.match_info["id"])
    except ValueError:
        raise NotFound("no such account") from None


@routes.get("/api/v1/admin/accounts")
@endpoint("Search accounts", tags=TAGS, query=admin.AccountQuery, response=Page,
          errors=(401, 403, 422), description="Newest first; `q` matches name or e-mail address.")
@requires(Role.sales)
async def list_accounts(request: web.Request) -> web.Response:
    query = query_as(request, admin.AccountQuery)
    return json_response(await admin.list_accounts(request.app[CONTEXT], query))


@routes.post("/api/v1/admin/accounts")
@endpoint("Create a sales or tech account", tags=TAGS, body=RegisterInput, response=AccountView,
          status=201, errors=(401, 403, 409, 422))
@requires(Role.sales, Role.tech)
async def create_account(request: web.Request) -> web.Response:
    data = await read_json(request, RegisterInput)
    user = await admin.create_staff(request.app[CONTEXT], data)
    return json_response(account_view(user), status=201)


@routes.get("/api/v1/admin/accounts/{id}")
@endpoint("View an account", tags=TAGS, response=AccountView, errors=(401, 403, 404))
@requires(Role.sales)
async def get_account(request: web.Request) -> web.Response:
    user = await admin.get_account(request.app[CONTEXT], _user_id(request))
    return json_response(account_view(user))


@routes.patch("/api/v1/admin/accounts/{id}")
@endpoint("Edit, suspend or reactivate an account", tags=TAGS, body=AccountPatch,
          response=AccountView, errors=(401, 403, 404, 409, 422),
          description="`suspend: {reason, until}` with `until` null for indefinitely; the person's"
                      " tokens stop at once and `user.suspended` is published."
                      " `reactivate: true` lifts a suspension.")
@requires(Role.sales)
async def patch_account(request: web.Request) -> web.Response:
    user_id = _user_id(request)
    patch = await read_json(request, AccountPatch)
    user = await admin.edit_account(request.app[CONTEXT], principal_of(request).user_id,
                                    user_id, patch)
    return json_response(account_view(user))


@routes.delete("/api/v1/admin/accounts/{id}")
@endpoint("Erase an account", tags=TAGS, status=204, errors=(401, 403, 404))
@requires(Role.sales)
async def delete_account(request: web.Request) -> web.Response:
    user_id, actor = _user_id(request), principal_of(request).user_id
    if user_id == actor:
        raise Forbidden("erase your own account from your profile", code="self-deletion")
    await erase_account(request.app[CONTEXT], user_id, by=actor)
    return web.Response(status=204)
