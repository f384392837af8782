"""Ratings and receipts: what a customer gives after delivery, and what they keep."""
from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from domain.accounts import Principal
from domain.errors import Conflict, Invalid
from domain.order_input import Rating
from domain.order_machine import OrderStatus
from server.catalogue.clock import now
from server.context import Context
from server.orders.access import visible_order
from server.orders.reading import view_of
from server.orders.views import OrderView, RatingView


class PaymentLine(msgspec.Struct):
    operation: str
    amount_cents: int
    succeeded: bool
    at: datetime


class Receipt(msgspec.Struct, kw_only=True):
    order: OrderView
    restaurant_address: str
    payments: list[PaymentLine]
    issued_at: datetime


async def rate_order(ctx: Context, principal: Principal, order_id: uuid.UUID, rating: Rating) -> RatingView:
    """Once per order, only once it is delivered; a courier score only if a courier carried it."""
    async with ctx.db.acquire() as conn, conn.transaction():
        row = await visible_order(conn, principal, order_id, lock=True)
        if row["status"] != OrderStatus.delivered:
            raise Conflict("an order is rated once it is delivered", code="not-delivered")
        if rating.courier_score is not None and row["courier_id"] is None:
            raise Invalid("no courier delivered this order",
                          errors=[{"field": "courier_score", "message": "no courier to rate"}])
        stored = await conn.fetchrow(
            "INSERT INTO order_ratings (order_id, restaurant_id, courier_id, restaurant_score,"
            " courier_score, comment) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING"
            " RETURNING restaurant_score, courier_score, comment, created_at",
            order_id, row["restaurant_id"], row["courier_id"], rating.restaurant_score,
            rating.courier_score, rating.comment.strip() or None)
    if stored is None:
        raise Conflict("this order is already rated", code="already-rated")
    return RatingView(**dict(stored))


async def receipt(ctx: Context, principal: Principal, order_id: uuid.UUID) -> Receipt:
    """The order as bought, where from, and every movement of its money."""
    async with ctx.db.acquire() as conn:
        row = await visible_order(conn, principal, order_id)
        view = await view_of(conn, order_id, principal.role)
        address = await conn.fetchval("SELECT address FROM restaurants WHERE id = $1", row["restaurant_id"])
        payments = await conn.fetch(
            "SELECT operation, amount_cents, succeeded, created_at AS at FROM payments"
            " WHERE order_id = ANY($1::uuid[]) AND succeeded ORDER BY created_at",
            list({order_id, row["payment_id"]}))
    return Receipt(order=view, restaurant_address=address or "",
                   payments=[PaymentLine(**dict(p)) for p in payments], issued_at=now(ctx))
