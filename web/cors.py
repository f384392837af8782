"""Cross-origin calls with an API key, so a third party's page (the order tracker) can call the API.

Only requests made with X-API-Key are answered for other origins: a key is no ambient
credential (no cookie rides along), so `*` is safe. Browsers ask first (a preflight) because
of the X-API-Key header; the preflight is answered here, before any route or limit.
"""
from __future__ import annotations

from aiohttp import web

_ALLOWED_HEADERS = "X-API-Key, Content-Type, Idempotency-Key, X-Request-Id"
_EXPOSED_HEADERS = ("RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, Location,"
                    " X-Request-Id, Idempotent-Replayed")
_METHODS = "GET, POST, PATCH, PUT, DELETE"


def _is_preflight(request: web.Request) -> bool:
    return (request.method == "OPTIONS" and "Origin" in request.headers
            and "Access-Control-Request-Method" in request.headers)


@web.middleware
async def api_key_cors(request: web.Request, handler):
    if not request.path.startswith("/api/v1/"):
        return await handler(request)
    if _is_preflight(request):
        asked = {h.strip().lower() for h in request.headers.get("Access-Control-Request-Headers", "").split(",")}
        if "x-api-key" not in asked:
            return await handler(request)  # not a key's call: no cross-origin answer
        return web.Response(status=204, headers={
            "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": _METHODS,
            "Access-Control-Allow-Headers": _ALLOWED_HEADERS, "Access-Control-Max-Age": "600",
            "Vary": "Origin"})
    response = await handler(request)
    if "Origin" in request.headers and "X-API-Key" in request.headers and not response.prepared:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = _EXPOSED_HEADERS
    return response
