"""/api/v1/orders: pricing a cart, placing it, editing it, and reading orders by role."""
from __future__ import annotations

from aiohttp import web

from domain.order_input import Cart, OrderPatch, PlaceOrder
from domain.roles import Role
from server.keys import CONTEXT
from server.orders.editing import edit_order
from server.orders.placing import Quote, place_order, quote
from server.orders.ratings import Receipt, receipt
from server.orders.reading import EventPage, EventQuery, OrderQuery, get_order, list_orders, order_events
from server.orders.views import OrderPage, OrderView
from web.api.catalogue_paths import path_id
from web.auth import principal_of, requires
from web.decode import query_as, read_json
from web.idempotency import answer_within, idempotent
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()
TAGS = ("orders",)
# a developer places orders through their API keys and is the customer of record of those
READERS = (Role.customer, Role.developer, Role.restaurateur, Role.courier, Role.sales, Role.tech)
READ, WRITE = "orders:read", "orders:write"


@routes.post("/api/v1/orders/quote")
@endpoint("Price a cart without placing it", tags=TAGS, body=Cart, response=Quote,
          errors=(401, 403, 404, 409, 422),
          description="Items, delivery fee by distance, service fee and your referral credit, as"
                      " the server computes them. 409 when the restaurant is closed or too far.")
@requires(Role.customer, Role.developer, scope=WRITE)
async def price(request: web.Request) -> web.Response:
    cart = await read_json(request, Cart)
    return json_response(await quote(request.app[CONTEXT], principal_of(request), cart))


@routes.post("/api/v1/orders")
@endpoint("Place and pay for an order", tags=TAGS, body=PlaceOrder, response=OrderView, status=201,
          errors=(401, 402, 403, 404, 409, 422),
          description="The card is held for the total before the order exists; a declined card"
                      " (402) leaves no order. Send an Idempotency-Key: a retry gets the first"
                      " answer and never a second order or charge.")
@requires(Role.customer, Role.developer, scope=WRITE)
@idempotent
async def place(request: web.Request) -> web.Response:
    data = await read_json(request, PlaceOrder)
    created: web.Response | None = None

    async def answer(conn, view: OrderView) -> None:
        """The answer is kept for the Idempotency-Key in the order's own transaction."""
        nonlocal created
        created = json_response(view, status=201, headers={"Location": f"/api/v1/orders/{view.id}"})
        await answer_within(request, conn, created)
    await place_order(request.app[CONTEXT], principal_of(request), data, before_commit=answer)
    return created


@routes.get("/api/v1/orders")
@endpoint("Your orders, newest first", tags=TAGS, query=OrderQuery, response=OrderPage,
          errors=(401, 403, 422),
          description="A customer's own, a restaurateur's restaurants', a courier's deliveries,"
                      " every order for staff.")
@requires(*READERS, scope=READ)
async def index(request: web.Request) -> web.Response:
    query = query_as(request, OrderQuery)
    return json_response(await list_orders(request.app[CONTEXT], principal_of(request), query))


@routes.get("/api/v1/orders/{id}")
@endpoint("An order", tags=TAGS, response=OrderView, errors=(401, 403, 404))
@requires(*READERS, scope=READ)
async def show(request: web.Request) -> web.Response:
    return json_response(await get_order(request.app[CONTEXT], principal_of(request), path_id(request)))


@routes.patch("/api/v1/orders/{id}")
@endpoint("Change your order before the restaurant accepts it", tags=TAGS, body=OrderPatch,
          response=OrderView, errors=(401, 402, 403, 404, 409, 422),
          description="Lines sent are priced afresh. When the total changes, send a new"
                      " payment_token: the new total is held and the old hold released.")
@requires(Role.customer, scope=WRITE)
async def edit(request: web.Request) -> web.Response:
    order_id, patch = path_id(request), await read_json(request, OrderPatch)
    return json_response(await edit_order(request.app[CONTEXT], principal_of(request), order_id, patch))


@routes.get("/api/v1/orders/{id}/events")
@endpoint("The order's events after a sequence number", tags=TAGS, query=EventQuery,
          response=EventPage, errors=(401, 403, 404, 422))
@requires(*READERS, scope=READ)
async def events(request: web.Request) -> web.Response:
    order_id, query = path_id(request), query_as(request, EventQuery)
    return json_response(await order_events(request.app[CONTEXT], principal_of(request), order_id, query))


@routes.get("/api/v1/orders/{id}/receipt")
@endpoint("The order's receipt", tags=TAGS, response=Receipt, errors=(401, 403, 404))
@requires(*READERS, scope=READ)
async def show_receipt(request: web.Request) -> web.Response:
    return json_response(await receipt(request.app[CONTEXT], principal_of(request), path_id(request)))
