"""/api/v1/deliveries: a courier's deliveries, answering offers, hand-overs by code; tracking."""
from __future__ import annotations

from aiohttp import web

from domain.roles import Role
from server.couriers.codes import CodeInput, CodeView
from server.couriers.handoff import deliver, pick_up
from server.couriers.offers import accept, decline
from server.couriers.reading import DeliveryQuery, delivery_of_order, get_delivery, my_deliveries
from server.couriers.tracking import delivery_code, track
from server.couriers.views import DeliveryPage, DeliveryView, Location
from server.keys import CONTEXT
from web.api.catalogue_paths import path_id
from web.auth import principal_of, requires
from web.decode import query_as, read_json
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()
TAGS = ("deliveries",)
PARTIES = (Role.customer, Role.restaurateur, Role.courier, Role.sales, Role.tech)
ERRORS = (401, 403, 404, 409, 422)


@routes.get("/api/v1/deliveries")
@endpoint("Your deliveries: in hand (status=active) or finished (status=done)", tags=TAGS,
          query=DeliveryQuery, response=DeliveryPage, errors=(401, 403, 422))
@requires(Role.courier)
async def list_deliveries(request: web.Request) -> web.Response:
    query = query_as(request, DeliveryQuery)
    return json_response(await my_deliveries(request.app[CONTEXT], principal_of(request), query))


@routes.get("/api/v1/deliveries/{id}")
@endpoint("One delivery", tags=TAGS, response=DeliveryView, errors=(401, 403, 404),
          description="Its courier also sees the customer's address and, until pick-up, the pickup"
                      " code to show at the restaurant.")
@requires(*PARTIES)
async def read_delivery(request: web.Request) -> web.Response:
    return json_response(await get_delivery(request.app[CONTEXT], principal_of(request), path_id(request)))


@routes.post("/api/v1/deliveries/{id}/accept")
@endpoint("Accept the delivery offered to you", tags=TAGS, response=DeliveryView, errors=(401, 403, 409),
          description="409 offer-gone when the offer expired or went to someone else. Also the"
                      " socket event `offer.accept {delivery_id}`.")
@requires(Role.courier)
async def accept_offer(request: web.Request) -> web.Response:
    return json_response(await accept(request.app[CONTEXT], principal_of(request), path_id(request)))


@routes.post("/api/v1/deliveries/{id}/decline")
@endpoint("Decline the delivery offered to you", tags=TAGS, status=204, errors=(401, 403, 404),
          description="It goes to the next courier at once. Also `offer.decline {delivery_id}`.")
@requires(Role.courier)
async def decline_offer(request: web.Request) -> web.Response:
    await decline(request.app[CONTEXT], principal_of(request), path_id(request))
    return web.Response(status=204)


@routes.post("/api/v1/deliveries/{id}/pickup")
@endpoint("Confirm the pick-up with the courier's pickup code", tags=TAGS, body=CodeInput,
          response=DeliveryView, errors=ERRORS,
          description="By the restaurant (scanning or typing the code the courier shows) or the"
                      " courier. The order must be ready. 422 wrong-code with attempts_left; 409"
                      " code-locked after five wrong tries.")
@requires(Role.courier, Role.restaurateur)
async def confirm_pickup(request: web.Request) -> web.Response:
    data = await read_json(request, CodeInput)
    return json_response(await pick_up(request.app[CONTEXT], principal_of(request), path_id(request), data))


@routes.post("/api/v1/deliveries/{id}/deliver")
@endpoint("Confirm the delivery with the customer's code", tags=TAGS, body=CodeInput,
          response=DeliveryView, errors=ERRORS,
          description="Typed or scanned from the customer's QR code. The order becomes delivered"
                      " and its payment is captured.")
@requires(Role.courier)
async def confirm_delivery(request: web.Request) -> web.Response:
    data = await read_json(request, CodeInput)
    return json_response(await deliver(request.app[CONTEXT], principal_of(request), path_id(request), data))


@routes.get("/api/v1/orders/{id}/tracking")
@endpoint("Where the order's courier is, with the ETA", tags=("orders",), response=Location,
          errors=(401, 403, 404),
          description="Only while a courier carries the order: 404 not-tracking before and after."
                      " Live updates arrive as `courier.location` in the order's room.")
@requires(*PARTIES, scope="orders:read")
async def order_tracking(request: web.Request) -> web.Response:
    return json_response(await track(request.app[CONTEXT], principal_of(request), path_id(request)))


@routes.get("/api/v1/orders/{id}/delivery")
@endpoint("The order's delivery", tags=("orders",), response=DeliveryView, errors=(401, 403, 404))
@requires(*PARTIES, scope="orders:read")
async def order_delivery(request: web.Request) -> web.Response:
    return json_response(await delivery_of_order(request.app[CONTEXT], principal_of(request),
                                                 path_id(request)))


@routes.get("/api/v1/orders/{id}/delivery-code")
@endpoint("The code to give the courier, as digits and a QR code", tags=("orders",), response=CodeView,
          errors=(401, 403, 404), description="Only the order's customer sees it, from acceptance on.")
@requires(Role.customer, scope="orders:read")
async def order_delivery_code(request: web.Request) -> web.Response:
    return json_response(await delivery_code(request.app[CONTEXT], principal_of(request), path_id(request)))
