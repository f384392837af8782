"""/api/v1/orders/{id}/...: the kitchen's decisions, cancelling, and rating."""
from __future__ import annotations

from typing import TypeVar

from aiohttp import web

from domain.order_input import Accept, Cancel, Rating, Refuse
from domain.order_machine import OrderAction
from domain.roles import Role
from server.keys import CONTEXT
from server.orders.ratings import rate_order
from server.orders.transitions import act
from server.orders.views import OrderView, RatingView
from web.api.catalogue_paths import path_id
from web.auth import principal_of, requires
from web.decode import decode_as, read_json
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()
TAGS = ("orders",)
WRITE = "orders:write"
ERRORS = (401, 403, 404, 409, 422)
T = TypeVar("T")


async def _optional_body(request: web.Request, kind: type[T]) -> T:
    """An action whose fields are all optional may come with no body at all."""
    raw = await request.read()
    return decode_as(raw, kind) if raw.strip() else kind()


async def _act(request: web.Request, action: OrderAction, **params) -> web.Response:
    view = await act(request.app[CONTEXT], principal_of(request), path_id(request), action, **params)
    return json_response(view)


@routes.post("/api/v1/orders/{id}/accept")
@endpoint("Accept an order, with its preparation time", tags=TAGS, body=Accept, response=OrderView,
          errors=ERRORS)
@requires(Role.restaurateur, scope=WRITE)
async def accept(request: web.Request) -> web.Response:
    data = await read_json(request, Accept)
    return await _act(request, OrderAction.accept, prep_minutes=data.prep_minutes)


@routes.post("/api/v1/orders/{id}/refuse")
@endpoint("Refuse an order, with a reason; the customer is refunded", tags=TAGS, body=Refuse,
          response=OrderView, errors=ERRORS)
@requires(Role.restaurateur, scope=WRITE)
async def refuse(request: web.Request) -> web.Response:
    data = await read_json(request, Refuse)
    return await _act(request, OrderAction.refuse, reason=data.reason)


@routes.post("/api/v1/orders/{id}/preparing")
@endpoint("Start preparing an accepted order", tags=TAGS, response=OrderView, errors=ERRORS)
@requires(Role.restaurateur, scope=WRITE)
async def preparing(request: web.Request) -> web.Response:
    return await _act(request, OrderAction.start_preparing)


@routes.post("/api/v1/orders/{id}/ready")
@endpoint("Mark an order ready for its courier", tags=TAGS, response=OrderView, errors=ERRORS)
@requires(Role.restaurateur, scope=WRITE)
async def ready(request: web.Request) -> web.Response:
    return await _act(request, OrderAction.mark_ready)


@routes.post("/api/v1/orders/{id}/cancel")
@endpoint("Cancel an order: customers before acceptance, staff until delivery; refunded",
          tags=TAGS, body=Cancel, response=OrderView, errors=ERRORS)
@requires(Role.customer, Role.sales, Role.tech, scope=WRITE)
async def cancel(request: web.Request) -> web.Response:
    data = await _optional_body(request, Cancel)
    return await _act(request, OrderAction.cancel, reason=data.reason)


@routes.post("/api/v1/orders/{id}/rating")
@endpoint("Rate a delivered order, once", tags=TAGS, body=Rating, response=RatingView, status=201,
          errors=ERRORS)
@requires(Role.customer, scope=WRITE)
async def rate(request: web.Request) -> web.Response:
    data = await read_json(request, Rating)
    view = await rate_order(request.app[CONTEXT], principal_of(request), path_id(request), data)
    return json_response(view, status=201)
