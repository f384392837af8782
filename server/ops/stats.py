"""Sales statistics over a period: orders and money per day, per restaurant or per zone.

Days are French days (Europe/Paris). A zone is a square of ZONE_DEGREES on the map around
where the order was delivered (the restaurant's position once the address is erased).
"""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import asyncpg
import msgspec

from domain.errors import Invalid

TIMEZONE = "Europe/Paris"
ZONE = ZoneInfo(TIMEZONE)
ZONE_DEGREES = 0.05  # about 5.5 km north-south, 3.7 km east-west at Paris
MAX_DAYS = 366
Grouping = Literal["day", "restaurant", "zone"]

_DAY = "to_char(o.placed_at AT TIME ZONE $3, 'YYYY-MM-DD')"
_ZONE = ("concat(round((coalesce(o.delivery_lat, r.lat) / $4::numeric)::numeric) * $4::numeric,"
         " ' ', round((coalesce(o.delivery_lng, r.lng) / $4::numeric)::numeric) * $4::numeric)")
# grouping -> (key, label, order of rows)
_GROUPS = {
    "day": (_DAY, _DAY, "key"),
    "restaurant": ("r.id::text", "r.name", "revenue_cents DESC, label"),
    "zone": (_ZONE, _ZONE, "orders DESC, key"),
}


class StatsRow(msgspec.Struct):
    key: str
    label: str
    orders: int
    delivered: int
    cancelled: int          # cancelled by anyone or refused by the restaurant
    revenue_cents: int      # totals of the delivered orders
    average_basket_cents: int


class PeriodStats(msgspec.Struct):
    start: date = msgspec.field(name="from")
    end: date = msgspec.field(name="to")
    by: str = "day"
    rows: list[StatsRow] = []


def _sql(by: Grouping) -> str:
    key, label, order = _GROUPS[by]
    return f"""
SELECT {key} AS key, {label} AS label, count(*) AS orders,
       count(*) FILTER (WHERE o.status = 'delivered') AS delivered,
       count(*) FILTER (WHERE o.status IN ('cancelled', 'refused')) AS cancelled,
       coalesce(sum(o.total_cents) FILTER (WHERE o.status = 'delivered'), 0) AS revenue_cents,
       coalesce(round(avg(o.total_cents) FILTER (WHERE o.status = 'delivered')), 0)::bigint
         AS average_basket_cents
FROM orders o JOIN restaurants r ON r.id = o.restaurant_id
WHERE o.placed_at >= ($1::date::timestamp AT TIME ZONE $3)
  AND o.placed_at < ($2::date::timestamp AT TIME ZONE $3)
GROUP BY 1, 2 ORDER BY {order}"""


async def period_stats(conn: asyncpg.Connection, start: date, end: date,
                       by: Grouping) -> PeriodStats:
    """From `start` to `end`, both days included."""
    if end < start or (end - start).days >= MAX_DAYS:
        raise Invalid(f"the period runs forward and spans at most {MAX_DAYS} days",
                      errors=[{"field": "to", "message": "is before `from` or too far"}])
    args = [start, end + timedelta(days=1), TIMEZONE] + ([ZONE_DEGREES] if by == "zone" else [])
    rows = await conn.fetch(_sql(by), *args)
    return PeriodStats(start, end, by, [StatsRow(**row) for row in rows])


def as_csv(stats: PeriodStats) -> str:
    """One line per row, money in cents, as a spreadsheet opens it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([stats.by, "label", "orders", "delivered", "cancelled", "revenue_cents",
                     "average_basket_cents"])
    for row in stats.rows:
        writer.writerow([row.key, row.label, row.orders, row.delivered, row.cancelled,
                         row.revenue_cents, row.average_basket_cents])
    return out.getvalue()
