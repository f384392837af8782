"""Reading orders: one order, each role's history page by page, an order's events."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import asyncpg
import msgspec

from domain.accounts import Principal
from domain.errors import Invalid
from domain.order_machine import OrderStatus
from domain.roles import STAFF, Role
from server.accounts.paging import Limit, decode_cursor, encode_cursor
from server.context import Context
from server.events import events_after
from server.orders import queries
from server.orders.access import visible_order
from server.orders.views import OrderPage, OrderView, order_view

_WHO = {Role.customer: "o.customer_id = $1", Role.developer: "o.customer_id = $1",
        Role.restaurateur: "r.owner_id = $1",
        Role.courier: "o.courier_id = $1"}


class OrderQuery(msgspec.Struct, kw_only=True):
    """`status` is a comma-separated list, e.g. placed,accepted,preparing,ready."""

    cursor: str | None = None
    limit: Limit = 20
    status: str | None = None
    restaurant_id: uuid.UUID | None = None


class EventQuery(msgspec.Struct, kw_only=True):
    after: Annotated[int, msgspec.Meta(ge=0)] = 0
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 500


class EventView(msgspec.Struct):
    """What a live socket receives too: clients resume from the last seq they saw."""

    seq: int
    type: str
    data: dict[str, Any]
    at: datetime


class EventPage(msgspec.Struct):
    items: list[EventView]


async def view_of(conn: asyncpg.Connection, order_id: uuid.UUID, role: str | None) -> OrderView:
    row = await queries.order_by_id(conn, order_id)
    return (await _views(conn, [row], role))[0]


async def get_order(ctx: Context, principal: Principal, order_id: uuid.UUID) -> OrderView:
    async with ctx.db.acquire() as conn:
        row = await visible_order(conn, principal, order_id)
        return (await _views(conn, [row], principal.role))[0]


async def list_orders(ctx: Context, principal: Principal, query: OrderQuery) -> OrderPage:
    """The principal's orders, newest first: a customer's, a restaurateur's restaurants', all for staff."""
    where, params = _filters(principal, query)
    after = decode_cursor(query.cursor, tuple[datetime, uuid.UUID]) if query.cursor else None
    if after:
        params += list(after)
        where.append(f"(o.placed_at, o.id) < (${len(params) - 1}, ${len(params)})")
    params.append(query.limit + 1)
    sql = (f"SELECT {queries.ORDER_COLUMNS} FROM orders o JOIN restaurants r ON r.id = o.restaurant_id"
           f" WHERE {' AND '.join(where) or 'true'} ORDER BY o.placed_at DESC, o.id DESC LIMIT ${len(params)}")
    async with ctx.db.acquire() as conn:
        rows = await conn.fetch(sql, *params)
        items = await _views(conn, rows[:query.limit], principal.role)
    last = items[-1] if len(rows) > query.limit else None
    return OrderPage(items=items, next_cursor=encode_cursor(last.placed_at, last.id) if last else None)


async def order_events(ctx: Context, principal: Principal, order_id: uuid.UUID,
                       query: EventQuery) -> EventPage:
    async with ctx.db.acquire() as conn:
        await visible_order(conn, principal, order_id)
        events = await events_after(conn, "order", order_id, query.after, query.limit)
    return EventPage(items=[EventView(e.seq, e.type, e.data, e.at) for e in events])


def _filters(principal: Principal, query: OrderQuery) -> tuple[list[str], list[Any]]:
    where, params = [], []
    if principal.role not in STAFF:
        where.append(_WHO.get(principal.role, "false"))
        params.append(principal.user_id)
    if query.status:
        params.append(_statuses(query.status))
        where.append(f"o.status = ANY(${len(params)}::text[])")
    if query.restaurant_id:
        params.append(query.restaurant_id)
        where.append(f"o.restaurant_id = ${len(params)}")
    return where, params


def _statuses(raw: str) -> list[str]:
    names = [part.strip() for part in raw.split(",") if part.strip()]
    if not names or any(name not in OrderStatus.__members__ for name in names):
        raise Invalid("the query has invalid parameters", errors=[{
            "field": "status", "message": "a comma-separated list of " + ", ".join(OrderStatus)}])
    return names


async def _views(conn: asyncpg.Connection, rows: list[asyncpg.Record], role: str | None) -> list[OrderView]:
    """Views of several orders with two more queries, not two per order."""
    ids = [row["id"] for row in rows]
    lines: dict[uuid.UUID, list] = {i: [] for i in ids}
    for line in await conn.fetch(f"SELECT order_id, {queries.LINE_COLUMNS} FROM order_lines"
                                 " WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, position", ids):
        lines[line["order_id"]].append(line)
    ratings = {r["order_id"]: r for r in await conn.fetch(
        "SELECT order_id, restaurant_score, courier_score, comment, created_at FROM order_ratings"
        " WHERE order_id = ANY($1::uuid[])", ids)}
    return [order_view(row, lines[row["id"]], role, _rating(ratings.get(row["id"]))) for row in rows]


def _rating(row: asyncpg.Record | None) -> dict | None:
    return None if row is None else {k: row[k] for k in ("restaurant_score", "courier_score", "comment", "created_at")}
