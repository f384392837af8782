"""/api/v1/webhooks: a developer's endpoints, their delivery log, and redelivery."""
from __future__ import annotations

from aiohttp import web

from domain.api_keys import Scope
from domain.roles import Role
from domain.webhooks import WebhookInput, WebhookPatch
from server.keys import CONTEXT
from server.webhooks import endpoints
from server.webhooks.delivery_log import DeliveryQuery, list_deliveries, redeliver
from server.webhooks.views import DeliveryPage, DeliveryView, WebhookView
from web.api.catalogue_paths import path_id
from web.auth import principal_of, requires
from web.decode import query_as, read_json
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()
TAGS = ("webhooks",)
DEVELOPERS = (Role.developer,)
MANAGE = Scope.webhooks_manage
WHO_SEES_WHAT = ("An endpoint receives the events of the orders its owner placed (with one of"
                 " their API keys or signed in) and of those orders' deliveries.")


@routes.get("/api/v1/webhooks")
@endpoint("Your webhook endpoints", tags=TAGS, response=list[WebhookView], errors=(401, 403))
@requires(*DEVELOPERS, scope=MANAGE)
async def index(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    return json_response(await endpoints.list_endpoints(ctx, principal_of(request).user_id))


@routes.post("/api/v1/webhooks")
@endpoint("Subscribe a URL to events; the signing secret is in this answer only", tags=TAGS,
          body=WebhookInput, response=WebhookView, status=201, errors=(401, 403, 409, 422),
          description=WHO_SEES_WHAT + " Each delivery is a POST of {id, type, created_at, data}"
          " signed in CesiEats-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"t.body\">. URLs to"
          " private, loopback, link-local or reserved addresses are refused. Not replayed by"
          " Idempotency-Key: the answer holds the secret, which is never stored in plain;"
          " after a lost answer, list your endpoints and delete the extra one.")
@requires(*DEVELOPERS, scope=MANAGE)
async def create(request: web.Request) -> web.Response:
    data = await read_json(request, WebhookInput)
    view = await endpoints.create_endpoint(request.app[CONTEXT], principal_of(request).user_id, data)
    return json_response(view, status=201, headers={"Location": f"/api/v1/webhooks/{view.id}"})


@routes.get("/api/v1/webhooks/{id}")
@endpoint("A webhook endpoint", tags=TAGS, response=WebhookView, errors=(401, 403, 404))
@requires(*DEVELOPERS, scope=MANAGE)
async def show(request: web.Request) -> web.Response:
    ctx, user_id = request.app[CONTEXT], principal_of(request).user_id
    return json_response(await endpoints.get_endpoint(ctx, user_id, path_id(request)))


@routes.patch("/api/v1/webhooks/{id}")
@endpoint("Change an endpoint, pause it, or rotate its secret", tags=TAGS, body=WebhookPatch,
          response=WebhookView, errors=(401, 403, 404, 422),
          description="With rotate_secret the new secret is in this answer only; for 24 hours"
                      " every delivery is signed with both (v1=new,v1=old).")
@requires(*DEVELOPERS, scope=MANAGE)
async def change(request: web.Request) -> web.Response:
    endpoint_id, patch = path_id(request), await read_json(request, WebhookPatch)
    view = await endpoints.update_endpoint(request.app[CONTEXT], principal_of(request).user_id,
                                           endpoint_id, patch)
    return json_response(view)


@routes.delete("/api/v1/webhooks/{id}")
@endpoint("Delete an endpoint and its delivery log", tags=TAGS, status=204, errors=(401, 403, 404))
@requires(*DEVELOPERS, scope=MANAGE)
async def remove(request: web.Request) -> web.Response:
    await endpoints.delete_endpoint(request.app[CONTEXT], principal_of(request).user_id,
                                    path_id(request))
    return web.Response(status=204)


@routes.get("/api/v1/webhooks/{id}/deliveries")
@endpoint("The endpoint's deliveries, newest first, each with every attempt", tags=TAGS,
          query=DeliveryQuery, response=DeliveryPage, errors=(401, 403, 404, 422))
@requires(*DEVELOPERS, scope=MANAGE)
async def deliveries(request: web.Request) -> web.Response:
    query = query_as(request, DeliveryQuery)
    page = await list_deliveries(request.app[CONTEXT], principal_of(request).user_id,
                                 path_id(request), query.cursor, query.limit)
    return json_response(page)


@routes.post("/api/v1/webhooks/{id}/deliveries/{did}/redeliver")
@endpoint("Send a delivery's event again, now", tags=TAGS, response=DeliveryView, status=202,
          errors=(401, 403, 404),
          description="A new delivery of the same event (same CesiEats-Event-Id), outside its"
                      " order's sequence; the original stays in the log.")
@requires(*DEVELOPERS, scope=MANAGE)
async def send_again(request: web.Request) -> web.Response:
    view = await redeliver(request.app[CONTEXT], principal_of(request).user_id, path_id(request),
                           path_id(request, "did"))
    return json_response(view, status=202)
