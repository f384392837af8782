"""/api/v1/auth: register, login, refresh, logout."""
from __future__ import annotations

import msgspec
from aiohttp import web

from domain.accounts import LoginInput, RegisterInput
from server.accounts import registration, sessions
from server.accounts.views import AccountView, account_view
from server.keys import CONTEXT
from web.auth import public
from web.decode import read_json
from web.idempotency import idempotent
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()


class RefreshInput(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: str


@routes.post("/api/v1/auth/register")
@endpoint("Create an account", tags=("auth",), body=RegisterInput, response=AccountView,
          status=201, errors=(403, 409, 422))
@public
@idempotent
async def register(request: web.Request) -> web.Response:
    data = await read_json(request, RegisterInput)
    user = await registration.register(request.app[CONTEXT], data)
    return json_response(account_view(user), status=201)


@routes.post("/api/v1/auth/login")
@endpoint("Sign in and get tokens", tags=("auth",), body=LoginInput,
          response=sessions.TokenPair, errors=(401, 403, 422, 429))
@public
async def login(request: web.Request) -> web.Response:
    data = await read_json(request, LoginInput)
    client = sessions.Client(ip=request.remote, user_agent=request.headers.get("User-Agent"))
    return json_response(await sessions.login(request.app[CONTEXT], data, client))


@routes.post("/api/v1/auth/refresh")
@endpoint("Exchange a refresh token for a new pair (rotation)", tags=("auth",),
          body=RefreshInput, response=sessions.TokenPair, errors=(401, 403, 422))
@public
async def refresh(request: web.Request) -> web.Response:
    data = await read_json(request, RefreshInput)
    return json_response(await sessions.refresh(request.app[CONTEXT], data.refresh_token))


@routes.post("/api/v1/auth/logout")
@endpoint("End the session of a refresh token", tags=("auth",), body=RefreshInput,
          status=204, errors=(422,))
@public
async def logout(request: web.Request) -> web.Response:
    data = await read_json(request, RefreshInput)
    await sessions.logout(request.app[CONTEXT], data.refresh_token)
    return web.Response(status=204)
