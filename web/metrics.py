"""/metrics: the node's Prometheus metrics, for the scraper on the node's own host,
a bearer METRICS_TOKEN, or a signed-in tech person; anyone else is refused."""
from __future__ import annotations

import hmac
import ipaddress

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from domain.errors import Forbidden
from domain.roles import Role
from server.keys import SETTINGS
from server.ops.metrics import METRICS
from web.auth import authenticate

routes = web.RouteTableDef()
# A proxy on the same host would make every outside caller look local: its requests
# carry one of these, so they never count as local.
_FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def _from_this_host(request: web.Request) -> bool:
    if any(name in request.headers for name in _FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        return (request.remote or "").startswith("/")  # a unix socket is local too


def _bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else ""


async def _admit(request: web.Request) -> None:
    if _from_this_host(request):
        return
    token, expected = _bearer(request), request.app[SETTINGS].metrics_token
    if expected and hmac.compare_digest(token.encode(), expected.encode()):
        return
    principal = await authenticate(request)
    if principal.role != Role.tech:
        raise Forbidden("metrics are for the technical staff", code="role-not-allowed")


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.Response:
    await _admit(request)
    body = generate_latest(request.app[METRICS].registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
