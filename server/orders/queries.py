"""SQL for orders and their lines; the caller owns the transaction."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
import msgspec

from domain.pricing import PriceBreakdown
from server.catalogue.item_queries import ARTICLE_COLUMNS, MAX_ARTICLES, MAX_MENUS, MENU_COLUMNS
from server.catalogue.queries import RESTAURANT_COLUMNS
from server.events import FIRST_EVENT_SQL, Event, first_event

ORDER_COLUMNS = (
    "o.id, o.customer_id, o.restaurant_id, o.courier_id, o.status, o.seq, o.items_cents,"
    " o.delivery_fee_cents, o.service_fee_cents, o.credit_cents, o.total_cents, o.distance_m,"
    " o.delivery_address, o.delivery_lat, o.delivery_lng, o.note, o.prep_minutes, o.reason,"
    " o.payment_id, o.captured_at, o.released_at, o.deadline_at, o.placed_at, o.accepted_at,"
    " o.preparing_at, o.ready_at, o.picked_up_at, o.delivered_at, o.refused_at, o.cancelled_at,"
    " o.updated_at, r.name AS restaurant_name, r.owner_id AS restaurant_owner_id,"
    " r.timezone AS restaurant_timezone"
)
_FROM = "FROM orders o JOIN restaurants r ON r.id = o.restaurant_id"
LINE_COLUMNS = "kind, item_id, name, quantity, unit_price_cents, total_cents, options, choices"
# the column stamped when an order reaches each status
STAMPS = {
    "accepted": "accepted_at", "preparing": "preparing_at", "ready": "ready_at",
    "picked_up": "picked_up_at", "delivered": "delivered_at", "refused": "refused_at",
    "cancelled": "cancelled_at",
}


# Everything pricing a cart reads, in one statement: the live restaurant, its live articles
# and menus (as JSON arrays), and the customer's referral credit, their row locked if asked.
_CART_CONTEXT = (
    "SELECT {restaurant}, (SELECT credit_cents FROM users WHERE id = $2 AND deleted_at IS NULL{lock})"
    " AS credit_cents,"
    " (SELECT coalesce(json_agg(a), '[]') FROM (SELECT {articles} FROM articles"
    "  WHERE restaurant_id = $1 AND deleted_at IS NULL ORDER BY position, id LIMIT {max_articles}) a)"
    " AS articles,"
    " (SELECT coalesce(json_agg(m), '[]') FROM (SELECT {menus} FROM menus"
    "  WHERE restaurant_id = $1 AND deleted_at IS NULL ORDER BY position, id LIMIT {max_menus}) m)"
    " AS menus"
    " FROM restaurants r WHERE r.id = $1 AND r.deleted_at IS NULL")
_CART_CONTEXT_SQL = {lock: _CART_CONTEXT.format(
    restaurant=", ".join("r." + c.strip() for c in RESTAURANT_COLUMNS.split(",")), lock=lock,
    articles=ARTICLE_COLUMNS, menus=MENU_COLUMNS, max_articles=MAX_ARTICLES, max_menus=MAX_MENUS)
    for lock in ("", " FOR UPDATE")}


async def cart_context(conn: asyncpg.Connection, restaurant_id: uuid.UUID, customer_id: uuid.UUID | None,
                       *, lock: bool = False) -> asyncpg.Record | None:
    """The restaurant row with `credit_cents`, `articles` and `menus`; None if no such restaurant.

    `lock` locks the customer's row so two placings never spend the same credit.
    """
    return await conn.fetchrow(_CART_CONTEXT_SQL[" FOR UPDATE" if lock else ""], restaurant_id, customer_id)


async def order_by_id(conn: asyncpg.Connection, order_id: uuid.UUID, *,
                      lock: bool = False) -> asyncpg.Record | None:
    """The order with its restaurant's name and owner; `lock` serialises its transitions."""
    suffix = " FOR UPDATE OF o" if lock else ""
    return await conn.fetchrow(f"SELECT {ORDER_COLUMNS} {_FROM} WHERE o.id = $1{suffix}", order_id)


async def lines_of(conn: asyncpg.Connection, order_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {LINE_COLUMNS} FROM order_lines WHERE order_id = $1 ORDER BY position", order_id)


_PLACED_EVENT = FIRST_EVENT_SQL.format(aggregate="'order'", aggregate_id="$1", type="$19", data="$20")
_INSERT_ORDER = (
    "WITH o AS (INSERT INTO orders (id, customer_id, restaurant_id, status, seq, items_cents,"
    " delivery_fee_cents, service_fee_cents, credit_cents, total_cents, distance_m,"
    " delivery_address, delivery_lat, delivery_lng, note, payment_id, deadline_at, placed_at)"
    " VALUES ($1, $2, $3, 'placed', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    " RETURNING *),"
    f" lines AS (INSERT INTO order_lines (order_id, position, {LINE_COLUMNS})"
    f" SELECT $1, position, {LINE_COLUMNS} FROM json_to_recordset($18::json) AS l(position integer,"
    " kind text, item_id uuid, name text, quantity integer, unit_price_cents integer,"
    " total_cents integer, options jsonb, choices jsonb)),"
    f" event AS ({_PLACED_EVENT})"
    f" SELECT {ORDER_COLUMNS}, event.id AS event_id, event.created_at AS event_at"
    " FROM o JOIN restaurants r ON r.id = o.restaurant_id CROSS JOIN event"
)


async def insert_order(conn: asyncpg.Connection, order: dict, price: PriceBreakdown,
                       event_type: str, event_data: dict) -> tuple[asyncpg.Record, Event]:
    """A new order, its priced lines and its first event, in one statement.

    `order` holds every column the INSERT names. Returns the order as order_by_id reads it,
    and the event as the outbox holds it.
    """
    row = await conn.fetchrow(
        _INSERT_ORDER,
        order["id"], order["customer_id"], order["restaurant_id"], order["seq"],
        order["items_cents"], order["delivery_fee_cents"], order["service_fee_cents"],
        order["credit_cents"], order["total_cents"], order["distance_m"], order["delivery_address"],
        order["delivery_lat"], order["delivery_lng"], order["note"], order["payment_id"],
        order["deadline_at"], order["placed_at"],
        [{"position": i, **msgspec.to_builtins(line)} for i, line in enumerate(price.lines)],
        event_type, event_data)
    return row, first_event(row["event_id"], row["event_at"], "order", order["id"], event_type, event_data)


async def replace_lines(conn: asyncpg.Connection, order_id: uuid.UUID, price: PriceBreakdown) -> None:
    """The order's lines become the priced cart's, names and prices as they are now."""
    await conn.execute("DELETE FROM order_lines WHERE order_id = $1", order_id)
    await conn.executemany(
        f"INSERT INTO order_lines (order_id, position, {LINE_COLUMNS})"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [(order_id, i, line.kind, line.item_id, line.name, line.quantity, line.unit_price_cents,
          line.total_cents, msgspec.to_builtins(line.options), msgspec.to_builtins(line.choices))
         for i, line in enumerate(price.lines)])


async def set_status(conn: asyncpg.Connection, order_id: uuid.UUID, status: str, seq: int,
                     prep_minutes: int | None, reason: str | None, at: datetime) -> None:
    stamp = STAMPS[status]  # a name from the table above, never from a request
    await conn.execute(
        f"UPDATE orders SET status = $2, seq = $3, prep_minutes = $4, reason = $5, {stamp} = $6,"
        " updated_at = $6 WHERE id = $1", order_id, status, seq, prep_minutes, reason, at)


async def update_contents(conn: asyncpg.Connection, order_id: uuid.UUID, seq: int, fields: dict) -> None:
    """An edit: new prices, delivery, note and hold, with the order's new seq."""
    await conn.execute(
        "UPDATE orders SET seq = $2, items_cents = $3, delivery_fee_cents = $4, service_fee_cents = $5,"
        " credit_cents = $6, total_cents = $7, distance_m = $8, delivery_address = $9,"
        " delivery_lat = $10, delivery_lng = $11, note = $12, payment_id = $13, updated_at = now()"
        " WHERE id = $1", order_id, seq, fields["items_cents"], fields["delivery_fee_cents"],
        fields["service_fee_cents"], fields["credit_cents"], fields["total_cents"],
        fields["distance_m"], fields["delivery_address"], fields["delivery_lat"],
        fields["delivery_lng"], fields["note"], fields["payment_id"])


async def add_credit(conn: asyncpg.Connection, user_id: uuid.UUID, cents: int) -> None:
    """Spend (negative) or give back (positive) referral credit."""
    await conn.execute("UPDATE users SET credit_cents = credit_cents + $2, updated_at = now()"
                       " WHERE id = $1", user_id, cents)


async def set_courier(conn: asyncpg.Connection, order_id: uuid.UUID, courier_id: uuid.UUID | None) -> None:
    await conn.execute("UPDATE orders SET courier_id = $2, updated_at = now() WHERE id = $1",
                       order_id, courier_id)


async def mark_money_moved(conn: asyncpg.Connection, order_id: uuid.UUID, column: str) -> None:
    assert column in ("captured_at", "released_at")
    await conn.execute(f"UPDATE orders SET {column} = now() WHERE id = $1 AND {column} IS NULL", order_id)
