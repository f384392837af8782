"""SQL of restaurant statistics, read from the restaurant_order_facts and _lines views.

The views return no rows until the orders migration redefines them over real orders;
these queries need no change then. Days are the restaurant's local days.
"""
from __future__ import annotations

import uuid
from datetime import date

import asyncpg

_PERIOD = (
    "f.restaurant_id = $1 AND f.placed_at >= ($2::date)::timestamp AT TIME ZONE $4"
    " AND f.placed_at < ($3::date + 1)::timestamp AT TIME ZONE $4"
)
_PREP_MINUTES = "extract(epoch FROM f.ready_at - f.accepted_at) / 60"


async def figures_by_day(conn: asyncpg.Connection, restaurant_id: uuid.UUID, first: date,
                         last: date, tz: str) -> list[asyncpg.Record]:
    """One row per local day of the period, days without orders included."""
    return await conn.fetch(
        "WITH days AS (SELECT d::date AS day FROM generate_series($2::date, $3::date, interval '1 day') d),"
        f" facts AS (SELECT (f.placed_at AT TIME ZONE $4)::date AS day, f.* FROM restaurant_order_facts f"
        f" WHERE {_PERIOD})"
        " SELECT days.day, count(f.order_id) AS orders,"
        " count(f.order_id) FILTER (WHERE f.counted) AS counted,"
        " count(f.order_id) FILTER (WHERE f.refused) AS refused,"
        " coalesce(sum(f.items_cents) FILTER (WHERE f.counted), 0)::bigint AS revenue_cents"
        " FROM days LEFT JOIN facts f ON f.day = days.day GROUP BY days.day ORDER BY days.day",
        restaurant_id, first, last, tz)


async def preparation(conn: asyncpg.Connection, restaurant_id: uuid.UUID, first: date,
                      last: date, tz: str) -> asyncpg.Record:
    """Average, median and 90th percentile of accepted-to-ready minutes over the period."""
    return await conn.fetchrow(
        f"SELECT avg({_PREP_MINUTES}) AS average, percentile_cont(0.5) WITHIN GROUP"
        f" (ORDER BY {_PREP_MINUTES}) AS median, percentile_cont(0.9) WITHIN GROUP"
        f" (ORDER BY {_PREP_MINUTES}) AS p90 FROM restaurant_order_facts f WHERE {_PERIOD}"
        " AND f.counted AND f.accepted_at IS NOT NULL AND f.ready_at IS NOT NULL",
        restaurant_id, first, last, tz)


async def best_sellers(conn: asyncpg.Connection, restaurant_id: uuid.UUID, first: date,
                       last: date, tz: str, limit: int = 10) -> list[asyncpg.Record]:
    """Articles and menus sold most (by quantity) in counted orders, with their latest name."""
    return await conn.fetch(
        "SELECT l.kind, l.item_id, (array_agg(l.name ORDER BY f.placed_at DESC))[1] AS name,"
        " sum(l.quantity)::bigint AS quantity, sum(l.total_cents)::bigint AS revenue_cents"
        f" FROM restaurant_order_facts f JOIN restaurant_order_lines l ON l.order_id = f.order_id"
        f" WHERE {_PERIOD} AND f.counted GROUP BY l.kind, l.item_id"
        " ORDER BY quantity DESC, revenue_cents DESC, l.item_id LIMIT $5",
        restaurant_id, first, last, tz, limit)
