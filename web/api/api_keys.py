"""/api/v1/api-keys: a developer's keys, created with scopes and shown once, revocable."""
from __future__ import annotations

import uuid

import msgspec
from aiohttp import web

from domain.api_keys import ApiKeyInput, Plan, Scope
from domain.errors import Forbidden, NotFound
from domain.roles import Role
from server.keys import CONTEXT
from server.platform import api_keys
from server.platform.api_keys import ApiKeyView, CreatedApiKey
from web.auth import authenticate, principal_of, requires
from web.decode import read_json
from web.idempotency import idempotent
from web.platform import LIMITS, caller_key
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()


class CurrentKey(msgspec.Struct):
    """The key a request is made with, and its budget."""

    id: uuid.UUID
    name: str
    scopes: list[Scope]
    plan: Plan
    requests_per_period: int
    period_s: int


def _key_id(request: web.Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.match_info["id"])
    except ValueError:
        raise NotFound("no such API key") from None


@routes.get("/api/v1/api-keys")
@endpoint("Your active API keys", tags=("api-keys",), response=list[ApiKeyView],
          errors=(401, 403))
@requires(Role.developer)
async def list_keys(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    return json_response(await api_keys.list_keys(ctx, principal_of(request).user_id))


@routes.post("/api/v1/api-keys")
@endpoint("Create an API key; the whole key is in this answer only", tags=("api-keys",),
          body=ApiKeyInput, response=CreatedApiKey, status=201, errors=(401, 403, 409, 422))
@requires(Role.developer)
@idempotent
async def create_key(request: web.Request) -> web.Response:
    data = await read_json(request, ApiKeyInput)
    created = await api_keys.create_key(request.app[CONTEXT], principal_of(request).user_id, data)
    return json_response(created, status=201)


@routes.delete("/api/v1/api-keys/{id}")
@endpoint("Revoke an API key; every node refuses it from the next request on",
          tags=("api-keys",), status=204, errors=(401, 403, 404))
@requires(Role.developer)
async def revoke_key(request: web.Request) -> web.Response:
    key_id = _key_id(request)
    await api_keys.revoke_key(request.app[CONTEXT], principal_of(request).user_id, key_id)
    return web.Response(status=204)


@routes.get("/api/v1/api-keys/current")
@endpoint("The API key this request is made with, and its rate limit", tags=("api-keys",),
          response=CurrentKey, errors=(401, 403),
          description="Answers any valid key whatever its scopes; refuses people's tokens.")
async def current_key(request: web.Request) -> web.Response:
    await authenticate(request)
    caller = caller_key(request)
    if caller is None:
        raise Forbidden("only an API key can ask which key it is", code="api-key-required")
    limits = request.app[LIMITS]
    return json_response(CurrentKey(
        id=caller.key_id, name=caller.name, scopes=sorted(caller.principal.scopes), plan=caller.plan,
        requests_per_period=limits.plans.get(caller.plan, 0), period_s=limits.period_s))


current_key.admitted_roles = frozenset()  # no person's role: keys only
current_key.required_scope = None
current_key.keys_only = True
