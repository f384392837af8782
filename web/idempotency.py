"""`@idempotent`: a creating POST sent again with the same Idempotency-Key gets its first answer."""
from __future__ import annotations

import functools
import hashlib
import re

import asyncpg
import msgspec
from aiohttp import web

from domain.errors import Invalid, PayloadTooLarge
from server.keys import CONTEXT
from server.platform import idempotency
from server.platform.idempotency import StoredAnswer
from web.auth import PRINCIPAL, Handler, authenticate

HEADER = "Idempotency-Key"
_KEY_SHAPE = re.compile(r"^[\x21-\x7e]{1,255}$")
# per-request or per-connection headers: a replay gets its own
_NOT_KEPT = frozenset({"content-length", "date", "server", "x-request-id", "set-cookie",
                       "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"})


class _Claim(msgspec.Struct):
    """The key this request holds, and whether its answer is already kept."""

    owner: str
    key: str
    answered: bool = False


_CLAIM = web.RequestKey("idempotency_claim", _Claim)


def idempotent(handler: Handler) -> Handler:
    """Run the handler once per (caller, Idempotency-Key); replay its answer to repeats.

    Put it right above the handler function, under `@requires(...)`. Requests without the
    header run as usual. Same key with another body or path: 422. Failed answers (an error
    raised, or a 5xx) are not kept, so a retry runs afresh. Keys live 24 hours.
    """
    @functools.wraps(handler)
    async def once(request: web.Request) -> web.StreamResponse:
        key = request.headers.get(HEADER)
        if key is None:
            return await handler(request)
        if not _KEY_SHAPE.match(key):
            raise Invalid("the Idempotency-Key must be 1 to 255 visible ASCII characters",
                          errors=[{"field": HEADER, "message": "1 to 255 visible characters"}])
        ctx = request.app[CONTEXT]
        owner = await _owner(request, guarded=getattr(once, "admitted_roles", None) is not None)
        fingerprint = _fingerprint(request.method, request.path, await _body(request))
        stored = await idempotency.claim(ctx, owner, key, fingerprint)
        if stored is not None:
            return web.Response(status=stored.status, body=stored.body,
                                headers={**stored.headers, "Idempotent-Replayed": "true"})
        claim = request[_CLAIM] = _Claim(owner, key)
        try:
            response = await handler(request)
        except BaseException:
            await idempotency.release(ctx, owner, key)  # an answer already committed stays
            raise
        if claim.answered:
            return response
        if response.status >= 500 or not isinstance(getattr(response, "body", None), bytes):
            await idempotency.release(ctx, owner, key)
            return response
        await idempotency.complete(ctx, owner, key, _stored(response))
        return response
    once.idempotent = True
    return once


async def answer_within(request: web.Request, conn: asyncpg.Connection, response: web.Response) -> None:
    """Keep `response` as the key's answer in the handler's own open transaction.

    For a handler whose work is one transaction: the answer commits with the work, one
    statement and one commit fewer than keeping it afterwards, and a repeat never finds
    the work done but its answer missing. Does nothing for a request sent without a key.
    """
    claim = request.get(_CLAIM)
    if claim is None:
        return
    await idempotency.complete_within(conn, claim.owner, claim.key, _stored(response))
    claim.answered = True


def _stored(response: web.Response) -> StoredAnswer:
    headers = {k: v for k, v in response.headers.items() if k.lower() not in _NOT_KEPT}
    return StoredAnswer(response.status, headers, response.body)


async def _owner(request: web.Request, guarded: bool) -> str:
    """Keys are per caller: one person's key never answers another's request."""
    if PRINCIPAL in request:
        return f"user:{request[PRINCIPAL].user_id}"
    if guarded:  # placed above @requires: find the caller the same way it will
        return f"user:{(await authenticate(request)).user_id}"
    return "anonymous"


async def _body(request: web.Request) -> bytes:
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise PayloadTooLarge(exc.text or "the request body is too large") from None


def _fingerprint(method: str, path: str, body: bytes) -> bytes:
    """What "the same request" means: method, path and the body's JSON, key order aside."""
    try:
        canonical = msgspec.json.encode(msgspec.json.decode(body), order="sorted")
    except (msgspec.DecodeError, TypeError):
        canonical = body
    return hashlib.sha256(f"{method} {path}\n".encode() + canonical).digest()
