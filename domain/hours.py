"""Weekly opening hours in the restaurant's local time, exceptional closures, open-now.

A range belongs to the weekday it opens on. One whose close is not after its open
(19:00-02:00, or 00:00-00:00 for a whole day) runs past midnight into the next day.
A closure date cancels every range that opens on that local date, including the part
that would run past midnight; a range opened the day before keeps running into a
closure date until its close, because the evening's service has already begun.
Times are wall-clock times: on a daylight-saving change a range follows the clock.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import msgspec
from msgspec import Meta

from domain.checks import Problems

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_RANGES_A_DAY = 6
DAY = 24 * 60
HORIZON = timedelta(days=8)

Clock = Annotated[str, Meta(pattern=HHMM.pattern, description="HH:MM, 00:00 to 23:59")]


class TimeRange(msgspec.Struct, forbid_unknown_fields=True):
    open: Clock
    close: Clock


class WeeklyHours(msgspec.Struct, forbid_unknown_fields=True):
    """Seven lists of ranges, Monday first; an empty list is a closed day."""

    days: Annotated[list[list[TimeRange]], Meta(min_length=7, max_length=7)]


def validate_hours(hours: WeeklyHours) -> WeeklyHours:
    """Return the hours with each day's ranges sorted, or raise Invalid naming the bad ranges."""
    problems = Problems()
    if len(hours.days) != 7:
        problems.add("days", "must list 7 days, Monday first")
    for d, ranges in enumerate(hours.days):
        for i, r in enumerate(ranges):
            for side in ("open", "close"):
                if not HHMM.match(getattr(r, side)):
                    problems.add(f"days.{d}.{i}.{side}", "must be a time as HH:MM")
        if len(ranges) > MAX_RANGES_A_DAY:
            problems.add(f"days.{d}", f"at most {MAX_RANGES_A_DAY} ranges a day")
    problems.raise_if_any("The opening hours are invalid")
    for d in range(len(hours.days)):
        _check_overlaps(hours.days, d, problems)
    problems.raise_if_any("The opening hours are invalid")
    return WeeklyHours(days=[sorted(ranges, key=lambda r: r.open) for ranges in hours.days])


def is_open(hours: WeeklyHours, closures: Collection[date], at: datetime, tz: str = "Europe/Paris") -> bool:
    """Whether the restaurant is open at the aware instant `at`, judged on its local clock."""
    if at.tzinfo is None:
        raise ValueError("at must be an aware datetime")
    local = at.astimezone(ZoneInfo(tz))
    minute, today = local.hour * 60 + local.minute, local.date()
    yesterday = today - timedelta(days=1)
    if today not in closures:
        for r in hours.days[today.weekday()]:
            start, end = _span(r)
            if start <= minute < min(end, DAY):
                return True
    if yesterday not in closures:
        for r in hours.days[yesterday.weekday()]:
            start, end = _span(r)
            if minute < end - DAY:
                return True
    return False


def next_opening(
    hours: WeeklyHours, closures: Collection[date], at: datetime, tz: str = "Europe/Paris"
) -> datetime | None:
    """The first instant from `at` (itself if open) when the restaurant is open, in UTC, within 8 days."""
    if is_open(hours, closures, at, tz):
        return at.astimezone(UTC)
    zone = ZoneInfo(tz)
    first_day = at.astimezone(zone).date()
    for offset in range(HORIZON.days + 1):
        day = first_day + timedelta(days=offset)
        if day in closures:
            continue
        for r in sorted(hours.days[day.weekday()], key=lambda r: r.open):
            opening = _first_instant(datetime.combine(day, time.fromisoformat(r.open)), zone)
            if at <= opening <= at + HORIZON and is_open(hours, closures, opening, tz):
                return opening
    return None


def _span(r: TimeRange) -> tuple[int, int]:
    """Minutes from the opening day's midnight; the end passes DAY when the range runs past midnight."""
    start, end = _minutes(r.open), _minutes(r.close)
    return start, end if end > start else end + DAY


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _check_overlaps(days: list[list[TimeRange]], d: int, problems: Problems) -> None:
    """Record ranges of day d that overlap each other or the previous day's spill-over."""
    spill = max((_span(r)[1] - DAY for r in days[d - 1]), default=0)  # day -1 is Sunday
    busy_until = spill
    for i, r in sorted(enumerate(days[d]), key=lambda item: _span(item[1])):
        start, end = _span(r)
        if start < busy_until:
            what = "the range running past midnight from the day before" if start < spill else "another range"
            problems.add(f"days.{d}.{i}", f"overlaps {what}")
        busy_until = max(busy_until, end)


def _first_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """The first UTC instant whose local clock reads `wall` or later (skips a spring-forward gap)."""
    earliest = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if earliest.astimezone(zone).replace(tzinfo=None) == wall:
        return earliest  # fold=0 is the first of the two readings on a fall-back night
    before, after = wall.replace(tzinfo=zone, fold=1).astimezone(UTC), earliest
    while after - before > timedelta(seconds=1):  # offsets change on whole seconds
        middle = before + timedelta(seconds=(after - before).total_seconds() // 2)
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            after = middle
        else:
            before = middle
    return after
