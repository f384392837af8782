"""Wires the third-party platform into a node: API-key callers and rate-limit headers."""
from __future__ import annotations

import logging
import uuid

import redis.exceptions
from aiohttp import web

from domain.accounts import Principal
from domain.errors import DomainError
from server.keys import CONTEXT
from server.platform import api_keys, limits
from server.platform.limits import Limits
from server.ratelimit import Decision
from web.auth import API_KEY_RESOLVERS, bearer_claims
from web.middleware import REQUEST_ID, is_api
from web.problem import problem_response

log = logging.getLogger(__name__)
LIMITS = web.AppKey("rate_limits", Limits)
# the key's resolution (or its refusal) is kept for the request: the guard asks again
_KEY_RESULT = web.RequestKey("api_key_result", object)


def setup_platform(app: web.Application) -> None:
    """Register the API-key resolver, default limits and the platform's routes."""
    # imported here: those handler modules import this one
    from web import pages_developers
    from web.api import api_keys as api_keys_routes, docs

    if resolve_api_key not in API_KEY_RESOLVERS:
        API_KEY_RESOLVERS.append(resolve_api_key)
    app[LIMITS] = Limits()
    app[docs.DOCUMENT] = {}
    for table in (api_keys_routes.routes, docs.routes, pages_developers.routes):
        app.router.add_routes(table)


async def key_caller(request: web.Request, raw: str) -> api_keys.KeyCaller:
    """The key behind this request's X-API-Key, resolved once per request."""
    cached = request.get(_KEY_RESULT)
    if cached is None or cached[0] != raw:
        try:
            cached = (raw, await api_keys.resolve_key(request.app[CONTEXT], raw))
        except DomainError as refusal:
            cached = (raw, refusal)
        request[_KEY_RESULT] = cached
    if isinstance(cached[1], DomainError):
        raise cached[1]
    return cached[1]


async def resolve_api_key(request: web.Request, raw: str) -> Principal:
    return (await key_caller(request, raw)).principal


def caller_key(request: web.Request) -> api_keys.KeyCaller | None:
    """The API key a request was made with, if it was made with one that is valid."""
    cached = request.get(_KEY_RESULT)
    return cached[1] if cached and isinstance(cached[1], api_keys.KeyCaller) else None


async def _decide(request: web.Request) -> Decision | None:
    """The request's budget decision, or None when it carries no valid credentials."""
    ctx, plan = request.app[CONTEXT], request.app[LIMITS]
    header = request.headers.get("Authorization", "")
    try:
        if header[:7].lower() == "bearer ":
            # the signature proves whose budget it is; revocation is the guard's to check
            claims = bearer_claims(request, header[7:].strip())
            return await limits.hit_person(ctx, plan, uuid.UUID(claims["sub"]))
        if raw := request.headers.get("X-API-Key"):
            caller = await key_caller(request, raw)
            return await limits.hit_key(ctx, plan, caller.key_id, caller.plan)
    except DomainError:
        return None
    except (redis.exceptions.RedisError, OSError):
        log.warning("rate limiter unavailable; request let through", exc_info=True)
    return None


@web.middleware
async def rate_limits(request: web.Request, handler):
    """Authenticated API answers carry their budget; past it, 429 before any work is done."""
    decision = await _decide(request) if is_api(request) else None
    if decision is None:
        return await handler(request)
    if not decision.allowed:
        return problem_response(
            429, f"the limit is {decision.limit} requests per window; retry in"
            f" {decision.retry_after_s} s", title="Too many requests", code="rate-limited",
            headers=decision.headers(),
            request_id=request.get(REQUEST_ID, ""))
    response = await handler(request)
    if not response.prepared:
        response.headers.update(decision.headers())
    return response
