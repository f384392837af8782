"""Pricing a cart and placing it: checked and priced by the server, paid before it exists."""
from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

import asyncpg
import msgspec

from domain.accounts import Principal
from domain.cart_lines import CartLine
from domain.catalogue import Article, Menu
from domain.errors import Conflict, NotFound
from domain.order_input import Cart, Delivery, PlaceOrder
from domain.orders import Order
from domain.pricing import PriceBreakdown, PricedLine, price_cart
from server.catalogue.clock import now
from server.catalogue.ordering import OrderableRestaurant, orderable
from server.catalogue.ownership import GONE
from server.context import Context
from server.orders import queries
from server.orders.outcome import Outcome
from server.orders.transitions import followed_up
from server.orders.views import OrderView, RestaurantRef, event_data, order_view
from server.payments.service import Hold, hold_unrecorded, record_hold, release_order

log = logging.getLogger(__name__)


class Quote(msgspec.Struct, kw_only=True):
    """The price of a cart as the server computes it; nothing is placed or held."""

    restaurant: RestaurantRef
    lines: list[PricedLine]
    items_cents: int
    delivery_fee_cents: int
    service_fee_cents: int
    credit_cents: int
    total_cents: int
    distance_m: int


async def priced(conn: asyncpg.Connection, ctx: Context, restaurant_id: uuid.UUID, lines: list[CartLine],
                 delivery: Delivery, *, credit_cents: int | None = None, customer_id: uuid.UUID | None = None,
                 lock: bool = False) -> tuple[OrderableRestaurant, PriceBreakdown]:
    """The restaurant if it takes this order now (else NotFound or Conflict), and the cart's price.

    The credit is `credit_cents`, or the customer's as read in the same statement (their row
    locked with `lock`): one round trip to Postgres reads all pricing needs.
    """
    row = await queries.cart_context(conn, restaurant_id, customer_id, lock=lock)
    if row is None:
        raise NotFound(GONE)
    place = orderable(row, delivery.position, now(ctx))
    articles = {a.id: a for a in msgspec.convert(row["articles"], list[Article])}
    menus = {m.id: m for m in msgspec.convert(row["menus"], list[Menu])}
    credit = credit_cents if credit_cents is not None else row["credit_cents"] or 0
    return place, price_cart(lines, articles, menus, distance_m=place.distance_m, credit_cents=credit)


async def quote(ctx: Context, principal: Principal, cart: Cart) -> Quote:
    async with ctx.db.acquire() as conn:
        place, price = await priced(conn, ctx, cart.restaurant_id, cart.lines, cart.delivery,
                                    customer_id=principal.user_id)
    return Quote(restaurant=RestaurantRef(id=place.id, name=place.name), lines=price.lines,
                 items_cents=price.items_cents, delivery_fee_cents=price.delivery_fee_cents,
                 service_fee_cents=price.service_fee_cents, credit_cents=price.credit_cents,
                 total_cents=price.total_cents, distance_m=place.distance_m)


async def place_order(ctx: Context, principal: Principal, data: PlaceOrder,
                      before_commit: Callable[[asyncpg.Connection, OrderView], Awaitable[None]] | None = None,
                      ) -> OrderView:
    """Price, hold the money, then write the order; the hold is voided if the order is not written.

    `before_commit` gets the order's view inside its transaction, for what must be kept
    if and only if the order is (the request's idempotent answer).
    """
    order_id = uuid.uuid4()
    async with ctx.db.acquire() as conn:
        _, first = await priced(conn, ctx, data.restaurant_id, data.lines, data.delivery,
                                customer_id=principal.user_id)
    hold = None
    try:
        if first.total_cents > 0:  # a cart paid in full by credit holds nothing
            hold = await hold_unrecorded(ctx, order_id, data.payment_token, first.total_cents)
        async with ctx.db.acquire() as conn, conn.transaction():
            if hold is not None:
                await record_hold(conn, ctx, hold)
            row, price, outcome = await _write(conn, ctx, order_id, principal, data, first.total_cents)
            # what was just written is what a read would show: a new order has no rating yet
            view = msgspec.structs.replace(order_view(row, [], principal.role), lines=price.lines)
            if before_commit is not None:
                await before_commit(conn, view)
    except BaseException:
        await void_quietly(ctx, order_id, hold)
        raise
    await outcome.after_commit(ctx)
    return view


async def _write(conn: asyncpg.Connection, ctx: Context, order_id: uuid.UUID, principal: Principal,
                 data: PlaceOrder, held_cents: int) -> tuple[asyncpg.Record, PriceBreakdown, Outcome]:
    # priced again under the customer's lock: the credit, the menu or the hours may have moved
    place, price = await priced(conn, ctx, data.restaurant_id, data.lines, data.delivery,
                                customer_id=principal.user_id, lock=True)
    if price.total_cents != held_cents:
        raise Conflict("the price changed while paying; check your cart and pay again", code="price-changed")
    placed_at = now(ctx)
    deadline_at = placed_at + timedelta(seconds=ctx.settings.order_accept_timeout_s)
    _, event = Order.place(order_id, principal.user_id, place.id, {"deadline_at": deadline_at.isoformat()})
    order = {
        "id": order_id, "customer_id": principal.user_id, "restaurant_id": place.id, "seq": event.seq,
        **_money(price), "distance_m": place.distance_m, "delivery_address": data.delivery.address,
        "delivery_lat": data.delivery.position.lat, "delivery_lng": data.delivery.position.lng,
        "note": data.note.strip(), "payment_id": order_id, "deadline_at": deadline_at,
        "placed_at": placed_at}
    row, stored = await queries.insert_order(conn, order, price, event.type,
                                             {**event.data, **event_data(order)})
    if price.credit_cents:
        await queries.add_credit(conn, principal.user_id, -price.credit_cents)
    return row, price, await followed_up(conn, ctx, row, stored)


def _money(price: PriceBreakdown) -> dict:
    return {"items_cents": price.items_cents, "delivery_fee_cents": price.delivery_fee_cents,
            "service_fee_cents": price.service_fee_cents, "credit_cents": price.credit_cents,
            "total_cents": price.total_cents}


async def void_quietly(ctx: Context, payment_id: uuid.UUID, hold: Hold | None = None) -> None:
    """Give back a hold whose order was never written; logged, never raised over the real error.

    `hold` is one whose record went with the order's rolled-back transaction: recorded first.
    """
    try:
        if hold is not None:
            await record_hold(ctx.db, ctx, hold)
        await release_order(ctx, payment_id)
    except Exception:
        log.exception("could not void the hold of payment %s", payment_id)
