"""A customer's orders in their data export, and their personal parts blanked on erasure."""
from __future__ import annotations

import uuid

import asyncpg

from server.accounts.erasure import ERASERS
from server.accounts.export import EXPORT_SECTIONS


async def export_orders(conn: asyncpg.Connection, user_id: uuid.UUID) -> list[dict]:
    """Every order the person placed, with its lines and rating."""
    rows = await conn.fetch(
        "SELECT o.id, o.status, r.name AS restaurant, o.items_cents, o.delivery_fee_cents,"
        " o.service_fee_cents, o.credit_cents, o.total_cents, o.delivery_address, o.delivery_lat,"
        " o.delivery_lng, o.note, o.placed_at, o.delivered_at, o.refused_at, o.cancelled_at,"
        " coalesce((SELECT jsonb_agg(jsonb_build_object('name', l.name, 'quantity', l.quantity,"
        "   'total_cents', l.total_cents, 'options', l.options, 'choices', l.choices)"
        "   ORDER BY l.position) FROM order_lines l WHERE l.order_id = o.id), '[]') AS lines,"
        " (SELECT jsonb_build_object('restaurant_score', g.restaurant_score, 'courier_score',"
        "   g.courier_score, 'comment', g.comment) FROM order_ratings g WHERE g.order_id = o.id) AS rating"
        " FROM orders o JOIN restaurants r ON r.id = o.restaurant_id"
        " WHERE o.customer_id = $1 ORDER BY o.placed_at", user_id)
    return [dict(row) for row in rows]


async def erase_order_details(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    """Where they lived and what they wrote goes; what was bought, and for how much, stays."""
    await conn.execute(
        "UPDATE orders SET delivery_address = '', delivery_lat = NULL, delivery_lng = NULL, note = ''"
        " WHERE customer_id = $1", user_id)
    await conn.execute(
        "UPDATE order_ratings SET comment = NULL WHERE order_id IN"
        " (SELECT id FROM orders WHERE customer_id = $1)", user_id)


if not any(name == "orders" for name, _ in EXPORT_SECTIONS):
    EXPORT_SECTIONS.append(("orders", export_orders))
if erase_order_details not in ERASERS:
    ERASERS.append(erase_order_details)
