"""Reading deliveries: one as its parties see it, a courier's list, their offer, their earnings."""
from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated

import asyncpg
import msgspec

from domain.accounts import Principal
from domain.codes import CodeKind
from domain.earnings import totals_by_day, totals_by_week
from domain.errors import Invalid, NotFound
from domain.roles import STAFF, Role
from server.catalogue.clock import now as clock
from server.context import Context
from server.couriers import codes, queries
from server.couriers.views import DeliveryPage, DeliveryView, Earnings, delivery_view

GONE = "no such delivery"
SHOWN = {"active": ["assigned", "picked_up"], "done": ["delivered", "failed", "cancelled"]}


class DeliveryQuery(msgspec.Struct, forbid_unknown_fields=True):
    status: str = "active"
    cursor: str | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 20


def party(row: asyncpg.Record, principal: Principal) -> bool:
    """Its courier, its restaurant's owner, its customer and staff may see a delivery."""
    if principal.role in STAFF:
        return True
    column = {Role.courier: "courier_id", Role.restaurateur: "restaurant_owner_id",
              Role.customer: "customer_id"}.get(principal.role)
    return column is not None and row[column] == principal.user_id


def shown_to(ctx: Context, row: asyncpg.Record, principal: Principal) -> DeliveryView:
    """The courier carrying it sees the customer's address and the pickup code; no one else does."""
    carrier = principal.role == Role.courier and row["courier_id"] == principal.user_id
    code = None
    if carrier and row["status"] == "assigned":
        code = codes.view(ctx.settings, row, CodeKind.pickup)
    return delivery_view(row, principal.role, show_customer=carrier or principal.role in STAFF,
                         pickup_code=code)


async def view_for(conn: asyncpg.Connection, ctx: Context, principal: Principal,
                   delivery_id: uuid.UUID) -> DeliveryView:
    row = await queries.by_id(conn, delivery_id)
    if row is None or not party(row, principal):
        raise NotFound(GONE)
    return shown_to(ctx, row, principal)


async def get_delivery(ctx: Context, principal: Principal, delivery_id: uuid.UUID) -> DeliveryView:
    async with ctx.db.acquire() as conn:
        return await view_for(conn, ctx, principal, delivery_id)


async def delivery_of_order(ctx: Context, principal: Principal, order_id: uuid.UUID) -> DeliveryView:
    async with ctx.db.acquire() as conn:
        row = await queries.by_order(conn, order_id)
    if row is None or not party(row, principal):
        raise NotFound("this order has no delivery yet, or is not yours")
    return shown_to(ctx, row, principal)


async def my_deliveries(ctx: Context, principal: Principal, query: DeliveryQuery) -> DeliveryPage:
    statuses = SHOWN.get(query.status)
    if statuses is None:
        raise Invalid("the query has invalid parameters",
                      errors=[{"field": "status", "message": "must be active or done"}])
    before = _decode(query.cursor) if query.cursor else None
    async with ctx.db.acquire() as conn:
        rows = await queries.of_courier(conn, principal.user_id, statuses, before, query.limit + 1)
    items = [shown_to(ctx, row, principal) for row in rows[:query.limit]]
    more = len(rows) > query.limit
    return DeliveryPage(items=items, next_cursor=_encode(rows[query.limit - 1]) if more else None)


async def my_offer(ctx: Context, principal: Principal) -> asyncpg.Record | None:
    async with ctx.db.acquire() as conn:
        return await queries.offered_to(conn, principal.user_id, clock(ctx))


async def earnings(ctx: Context, courier_id: uuid.UUID) -> Earnings:
    async with ctx.db.acquire() as conn:
        rows = await queries.delivered_pay(conn, courier_id)
    items = [(row["delivered_at"], row["pay_cents"]) for row in rows]
    return Earnings(deliveries=len(items), total_cents=sum(cents for _, cents in items),
                    by_day=totals_by_day(items), by_week=totals_by_week(items))


def _encode(row: asyncpg.Record) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode((row["created_at"], row["id"]))).decode()


def _decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        return msgspec.json.decode(base64.urlsafe_b64decode(cursor.encode()), type=tuple[datetime, uuid.UUID])
    except (ValueError, msgspec.DecodeError):
        raise Invalid("the query has invalid parameters",
                      errors=[{"field": "cursor", "message": "is not a cursor we gave"}]) from None
