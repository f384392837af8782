"""What a courier earns per delivery, and earnings per day and per week."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec

from domain.errors import Invalid
from domain.geo import Position, distance_m

BASE_CENTS = 300
PER_STARTED_KM_CENTS = 100   # each kilometre begun after the first
BATCH_BONUS_CENTS = 150      # for the second order of a batch
# Couriers live their days in France: a delivery at 00:30 Paris time belongs to that day.
LOCAL_TZ = ZoneInfo("Europe/Paris")


class PeriodTotal(msgspec.Struct, frozen=True):
    """Earnings of one day ("2024-05-17") or ISO week ("2024-W20") starting on `start`."""

    period: str
    start: date
    deliveries: int
    pay_cents: int


def pay_for_distance_cents(distance_m: float, *, batched: bool = False) -> int:
    """Pay for a trip of `distance_m` metres; `batched` for the second order of a batch."""
    if not 0 <= distance_m < math.inf:
        raise Invalid(errors=[{"field": "distance_m", "message": "must be a finite number >= 0"}])
    # Whole metres first: 2000.0000001 m from float noise must not start a third km.
    metres = round(distance_m)
    started_km = -(-metres // 1000)
    extra = PER_STARTED_KM_CENTS * max(0, started_km - 1)
    return BASE_CENTS + extra + (BATCH_BONUS_CENTS if batched else 0)


def delivery_pay_cents(restaurant: Position, customer: Position, *, batched: bool = False) -> int:
    """Pay for one delivery, from the straight-line distance restaurant -> customer."""
    return pay_for_distance_cents(distance_m(restaurant, customer), batched=batched)


def totals_by_day(items: Iterable[tuple[datetime, int]]) -> list[PeriodTotal]:
    """Deliveries and pay per Paris calendar day, oldest first."""
    return _totals(items, lambda day: (day, day.isoformat()))


def totals_by_week(items: Iterable[tuple[datetime, int]]) -> list[PeriodTotal]:
    """Deliveries and pay per ISO week (Monday to Sunday, Paris time), oldest first."""
    def week(day: date) -> tuple[date, str]:
        year, number, weekday = day.isocalendar()
        return day - timedelta(days=weekday - 1), f"{year}-W{number:02d}"
    return _totals(items, week)


def _totals(items: Iterable[tuple[datetime, int]],
            period_of: Callable[[date], tuple[date, str]]) -> list[PeriodTotal]:
    """Sum (delivered_at, pay_cents) pairs per period of the local day."""
    sums: dict[tuple[date, str], list[int]] = {}
    for delivered_at, pay_cents in items:
        if delivered_at.tzinfo is None or delivered_at.utcoffset() is None:
            raise ValueError("delivered_at must be timezone-aware")
        bucket = sums.setdefault(period_of(delivered_at.astimezone(LOCAL_TZ).date()), [0, 0])
        bucket[0] += 1
        bucket[1] += pay_cents
    return [PeriodTotal(label, start, n, cents) for (start, label), (n, cents) in sorted(sums.items())]
