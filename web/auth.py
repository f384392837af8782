"""Who is calling, and may they: every API handler states the roles it admits."""
from __future__ import annotations

import functools
from typing import Awaitable, Callable

from aiohttp import web

from domain.accounts import Principal
from domain.errors import Forbidden, Unauthenticated
from domain.roles import Role
from server.auth.principal import principal_from_claims
from server.auth.tokens import decode_access_token
from server.keys import CONTEXT

PRINCIPAL = web.RequestKey("principal", Principal)
_CLAIMS = web.RequestKey("access_token_claims", tuple)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Set by the API-keys feature: resolves an X-API-Key header into a principal with scopes.
API_KEY_RESOLVERS: list[Callable[[web.Request, str], Awaitable[Principal]]] = []


async def authenticate(request: web.Request) -> Principal:
    """The caller behind a bearer token or an API key, or Unauthenticated."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return await _from_token(request, header[7:].strip())
    api_key = request.headers.get("X-API-Key")
    if api_key and API_KEY_RESOLVERS:
        return await API_KEY_RESOLVERS[0](request, api_key)
    raise Unauthenticated("sign in, or send an API key", code="no-credentials")


async def _from_token(request: web.Request, token: str) -> Principal:
    # the socket edge asks the same question on connect: one answer for both
    return await principal_from_claims(request.app[CONTEXT], bearer_claims(request, token))


def bearer_claims(request: web.Request, token: str) -> dict:
    """The access token's claims, decoded once a request: the rate limiter asks first."""
    kept = request.get(_CLAIMS)
    if kept is None or kept[0] != token:
        kept = request[_CLAIMS] = (token, decode_access_token(request.app[CONTEXT].settings, token))
    return kept[1]


def requires(*roles: Role, scope: str | None = None) -> Callable[[Handler], Handler]:
    """Admit only these roles (all roles if none given); API keys also need `scope`."""
    admitted = frozenset(roles) or frozenset(Role)

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            principal = await authenticate(request)
            if principal.role not in admitted:
                raise Forbidden("your role may not do this", code="role-not-allowed")
            if principal.scopes is not None and (scope is None or scope not in principal.scopes):
                raise Forbidden(f"this API key lacks the scope {scope or '(none)'}",
                                code="scope-missing")
            request[PRINCIPAL] = principal
            return await handler(request)
        guarded.admitted_roles = admitted
        guarded.required_scope = scope
        return guarded
    return decorate


def public(handler: Handler) -> Handler:
    """Mark a handler as open to anyone, so the rights test knows it is on purpose."""
    handler.admitted_roles = None
    return handler


def principal_of(request: web.Request) -> Principal:
    return request[PRINCIPAL]
