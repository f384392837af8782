"""A customer's edit before acceptance: re-priced, and paid again when the total moves.

A hold is authorised for one amount, once per payment id, and the server never keeps a
card token. So an edit that changes the total needs a fresh `payment_token`: the new total
is held under a new payment id before the edit is written, and the old hold is voided after
the commit (the new one is voided instead if the edit is not written). An edit that keeps
the total (the note, an address at the same delivery fee) needs no token.
"""
from __future__ import annotations

import uuid

import asyncpg
import msgspec
from msgspec import UNSET

from domain.accounts import Principal
from domain.errors import Conflict, Invalid
from domain.geo import Position
from domain.order_edits import needs_new_hold, reprice_delivery
from domain.order_input import Delivery, OrderPatch
from domain.order_machine import OrderAction
from domain.pricing import PriceBreakdown, PricedLine
from server.catalogue.ordering import orderable_restaurant
from server.catalogue.clock import now
from server.context import Context
from server.orders import queries
from server.orders.access import visible_order
from server.orders.placing import priced, void_quietly
from server.orders.reading import view_of
from server.orders.transitions import checked_apply, order_of, recorded
from server.orders.views import OrderView
from server.payments.service import authorize_order, release_order


async def edit_order(ctx: Context, principal: Principal, order_id: uuid.UUID, patch: OrderPatch) -> OrderView:
    row, price = await _preview(ctx, principal, order_id, patch)
    payment_id = _payment_for(row, price.total_cents, patch)
    new_hold = payment_id != row["payment_id"]
    try:
        if new_hold and price.total_cents > 0:
            await authorize_order(ctx, payment_id, patch.payment_token, price.total_cents)
        async with ctx.db.acquire() as conn, conn.transaction():
            outcome = await _write(conn, ctx, principal, order_id, patch, price.total_cents, payment_id)
    except BaseException:
        if new_hold:
            await void_quietly(ctx, payment_id)
        raise
    if new_hold:
        outcome.then.append(lambda: release_order(ctx, row["payment_id"]))
    async with ctx.db.acquire() as conn:
        view = await view_of(conn, order_id, principal.role)
    await outcome.after_commit(ctx)
    return view


async def _preview(ctx: Context, principal: Principal, order_id: uuid.UUID,
                   patch: OrderPatch) -> tuple[asyncpg.Record, PriceBreakdown]:
    """The order and its price once edited, checked before any money moves (409 if too late)."""
    if patch.lines is UNSET and patch.delivery is UNSET and patch.note is UNSET:
        raise Invalid("send lines, delivery or note to change",
                      errors=[{"field": "(body)", "message": "nothing to change"}])
    async with ctx.db.acquire() as conn:
        row = await visible_order(conn, principal, order_id)
        checked_apply(order_of(row), OrderAction.edit, principal.role, changes={})
        return row, await _new_price(conn, ctx, row, patch)


def _payment_for(row: asyncpg.Record, total_cents: int, patch: OrderPatch) -> uuid.UUID:
    """The hold in force if it still fits the total, else a new payment id (a token is then needed)."""
    if not needs_new_hold(row["total_cents"], total_cents):
        return row["payment_id"]
    if patch.payment_token is UNSET:
        raise Invalid("the total changes: pay the new amount with your card",
                      code="payment-token-needed", extra={"total_cents": total_cents},
                      errors=[{"field": "payment_token", "message": "needed when the total changes"}])
    return uuid.uuid4()


async def _write(conn: asyncpg.Connection, ctx: Context, principal: Principal, order_id: uuid.UUID,
                 patch: OrderPatch, expected_cents: int, payment_id: uuid.UUID):
    row = await visible_order(conn, principal, order_id, lock=True)
    order = order_of(row)
    price = await _new_price(conn, ctx, row, patch)
    if price.total_cents != expected_cents:
        raise Conflict("the price changed while paying; check the order and pay again", code="price-changed")
    changed = [name for name in ("lines", "delivery", "note") if getattr(patch, name) is not UNSET]
    event = checked_apply(order, OrderAction.edit, principal.role,
                        changes={"fields": changed, "total_cents": price.total_cents})
    delivery = _delivery(row, patch)
    await queries.update_contents(conn, order_id, order.seq, {
        "items_cents": price.items_cents, "delivery_fee_cents": price.delivery_fee_cents,
        "service_fee_cents": price.service_fee_cents, "credit_cents": price.credit_cents,
        "total_cents": price.total_cents, "distance_m": await _distance(conn, ctx, row, patch),
        "delivery_address": delivery.address, "delivery_lat": delivery.position.lat,
        "delivery_lng": delivery.position.lng,
        "note": row["note"] if patch.note is UNSET else patch.note.strip(), "payment_id": payment_id})
    if patch.lines is not UNSET:
        await queries.replace_lines(conn, order_id, price)
    if price.credit_cents < row["credit_cents"]:  # a smaller order gives back the credit it no longer uses
        await queries.add_credit(conn, row["customer_id"], row["credit_cents"] - price.credit_cents)
    return await recorded(conn, ctx, order_id, event)


async def _new_price(conn: asyncpg.Connection, ctx: Context, row: asyncpg.Record,
                     patch: OrderPatch) -> PriceBreakdown:
    """Lines sent are priced afresh; lines kept keep their snapshot; the credit used stays at most the same."""
    delivery = _delivery(row, patch)
    if patch.lines is not UNSET:
        _, price = await priced(conn, ctx, row["restaurant_id"], patch.lines, delivery,
                                credit_cents=row["credit_cents"])
        return price
    lines = [msgspec.convert(dict(line), PricedLine) for line in await queries.lines_of(conn, row["id"])]
    return reprice_delivery(lines, distance_m=await _distance(conn, ctx, row, patch),
                            credit_cents=row["credit_cents"])


async def _distance(conn: asyncpg.Connection, ctx: Context, row: asyncpg.Record, patch: OrderPatch) -> int:
    """The stored distance, unless the address moves: then the restaurant must still deliver there."""
    if patch.delivery is UNSET:
        return row["distance_m"]
    place = await orderable_restaurant(conn, row["restaurant_id"], patch.delivery.position, now(ctx))
    return place.distance_m


def _delivery(row: asyncpg.Record, patch: OrderPatch) -> Delivery:
    if patch.delivery is not UNSET:
        return patch.delivery
    return Delivery(address=row["delivery_address"],
                    position=Position(lat=row["delivery_lat"], lng=row["delivery_lng"]))
