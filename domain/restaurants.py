"""A restaurant's settings: what owners send, the rules they follow, and whether it is open."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import available_timezones

import msgspec
from msgspec import UNSET, Meta, UnsetType

from domain.catalogue_input import Description, Name
from domain.checks import Problems, clean_name
from domain.errors import Invalid
from domain.geo import Position
from domain.hours import WeeklyHours, is_open, next_opening, validate_hours

MIN_RADIUS_M, MAX_RADIUS_M = 100, 30_000
MAX_CUISINES = 10
MAX_CLOSURES = 366

Cuisine = Annotated[str, Meta(min_length=1, max_length=40)]
Address = Annotated[str, Meta(max_length=300)]
Radius = Annotated[int, Meta(ge=MIN_RADIUS_M, le=MAX_RADIUS_M, description="metres")]
PrepMinutes = Annotated[int, Meta(ge=1, le=240)]
Cuisines = Annotated[list[Cuisine], Meta(max_length=MAX_CUISINES)]
Closures = Annotated[list[date], Meta(max_length=MAX_CLOSURES, description="local dates closed all day")]
Timezone = Annotated[str, Meta(max_length=64, examples=["Europe/Paris"])]


def closed_week() -> WeeklyHours:
    return WeeklyHours(days=[[] for _ in range(7)])


class RestaurantInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new restaurant; give `position`, or an address the configured geocoder can place."""

    name: Name
    description: Description = ""
    cuisines: Cuisines = []
    address: Address = ""
    position: Position | None = None
    hours: WeeklyHours = msgspec.field(default_factory=closed_week)
    closures: Closures = []
    timezone: Timezone = "Europe/Paris"
    delivery_radius_m: Radius = 5000
    avg_prep_minutes: PrepMinutes = 20
    is_open: bool = True


class RestaurantPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: only the fields sent are changed."""

    name: Name | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    cuisines: Cuisines | UnsetType = UNSET
    address: Address | UnsetType = UNSET
    position: Position | UnsetType = UNSET
    hours: WeeklyHours | UnsetType = UNSET
    closures: Closures | UnsetType = UNSET
    timezone: Timezone | UnsetType = UNSET
    delivery_radius_m: Radius | UnsetType = UNSET
    avg_prep_minutes: PrepMinutes | UnsetType = UNSET
    is_open: bool | UnsetType = UNSET


def sent_fields(data: msgspec.Struct) -> dict:
    """The fields of an input or patch that were given."""
    values = {name: getattr(data, name) for name in data.__struct_fields__}
    return {name: value for name, value in values.items() if value is not UNSET}


def clean_settings(fields: dict) -> dict:
    """Return the fields trimmed and normalised, or raise Invalid naming every bad one."""
    problems = Problems()
    cleaned = dict(fields)
    if "name" in fields:
        cleaned["name"] = clean_name(fields["name"], "name", problems)
    if "cuisines" in fields:
        cleaned["cuisines"] = _clean_cuisines(fields["cuisines"], problems)
    if "address" in fields:
        cleaned["address"] = fields["address"].strip()
    if "timezone" in fields and fields["timezone"] not in _timezones():
        problems.add("timezone", "is not a known time zone, e.g. Europe/Paris")
    if "closures" in fields:
        cleaned["closures"] = sorted(set(fields["closures"]))
    if "hours" in fields:
        cleaned["hours"] = _checked_hours(fields["hours"], problems)
    problems.raise_if_any("The restaurant is invalid")
    return cleaned


def open_state(hours: WeeklyHours, closures: list[date], tz: str, switch_on: bool,
               at: datetime) -> tuple[bool, datetime | None]:
    """(open now, next opening in UTC) of a restaurant; a switched-off one has no next opening."""
    if not switch_on:
        return False, None
    return is_open(hours, closures, at, tz), next_opening(hours, closures, at, tz)


def _clean_cuisines(cuisines: list[str], problems: Problems) -> list[str]:
    tags = [clean_name(c, f"cuisines.{i}", problems, max_length=40).casefold()
            for i, c in enumerate(cuisines)]
    return list(dict.fromkeys(tags))  # a repeated tag is harmless, so drop it quietly


def _checked_hours(hours: WeeklyHours, problems: Problems) -> WeeklyHours:
    try:
        return validate_hours(hours)
    except Invalid as exc:
        for error in exc.errors:
            problems.add(f"hours.{error['field']}", error["message"])
        return hours


_ZONES: set[str] = set()


def _timezones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES
