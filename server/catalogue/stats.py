"""Restaurant statistics over a period of local days: orders, revenue, basket, best sellers."""
from __future__ import annotations

import uuid
import datetime as dt
from zoneinfo import ZoneInfo

import msgspec

from domain.errors import Invalid
from server.catalogue import stats_queries as sql
from server.catalogue.clock import now
from server.catalogue.ownership import owned_restaurant
from server.context import Context

MAX_DAYS = 366
DEFAULT_DAYS = 30


class StatsQuery(msgspec.Struct, kw_only=True, rename={"first": "from", "last": "to"}):
    first: dt.date | None = None
    last: dt.date | None = None


class DayFigures(msgspec.Struct, kw_only=True):
    date: dt.date
    orders: int
    refused: int
    revenue_cents: int
    average_basket_cents: int | None


class PrepFigures(msgspec.Struct, kw_only=True):
    average_minutes: float | None
    median_minutes: float | None
    p90_minutes: float | None


class BestSeller(msgspec.Struct, kw_only=True):
    kind: str
    item_id: uuid.UUID
    name: str
    quantity: int
    revenue_cents: int


class RestaurantStats(msgspec.Struct, kw_only=True, rename={"first": "from", "last": "to"}):
    """Orders counts every order placed; revenue and baskets leave out refused and cancelled ones."""

    restaurant_id: uuid.UUID
    first: dt.date
    last: dt.date
    timezone: str
    orders: int
    refused: int
    revenue_cents: int
    average_basket_cents: int | None
    preparation: PrepFigures
    best_sellers: list[BestSeller]
    days: list[DayFigures]


async def restaurant_stats(ctx: Context, owner_id: uuid.UUID, restaurant_id: uuid.UUID,
                           query: StatsQuery) -> RestaurantStats:
    async with ctx.db.acquire() as conn:
        tz = (await owned_restaurant(conn, restaurant_id, owner_id))["timezone"]
        first, last = _period(query, now(ctx).astimezone(ZoneInfo(tz)).date())
        days = await sql.figures_by_day(conn, restaurant_id, first, last, tz)
        prep = await sql.preparation(conn, restaurant_id, first, last, tz)
        sellers = await sql.best_sellers(conn, restaurant_id, first, last, tz)
    counted, revenue = sum(d["counted"] for d in days), sum(d["revenue_cents"] for d in days)
    return RestaurantStats(
        restaurant_id=restaurant_id, first=first, last=last, timezone=tz,
        orders=sum(d["orders"] for d in days), refused=sum(d["refused"] for d in days),
        revenue_cents=revenue, average_basket_cents=_average(revenue, counted),
        preparation=PrepFigures(average_minutes=_minutes(prep["average"]),
                                median_minutes=_minutes(prep["median"]), p90_minutes=_minutes(prep["p90"])),
        best_sellers=[BestSeller(**dict(s)) for s in sellers],
        days=[DayFigures(date=d["day"], orders=d["orders"], refused=d["refused"], revenue_cents=d["revenue_cents"],
                         average_basket_cents=_average(d["revenue_cents"], d["counted"])) for d in days])


def _period(query: StatsQuery, today: dt.date) -> tuple[dt.date, dt.date]:
    last = query.last or today
    first = query.first or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise Invalid("the period ends before it starts",
                      errors=[{"field": "from", "message": "must not be after to"}])
    if (last - first).days >= MAX_DAYS:
        raise Invalid(f"a period covers at most {MAX_DAYS} days",
                      errors=[{"field": "from", "message": f"must be at most {MAX_DAYS} days before to"}])
    return first, last


def _average(total: int, count: int) -> int | None:
    return (total + count // 2) // count if count else None  # rounded half up to the cent


def _minutes(value) -> float | None:
    return None if value is None else round(float(value), 1)
