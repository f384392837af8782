"""Restaurant use cases: create, read, change, delete, list an owner's."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
import msgspec

from domain.geo import Position
from domain.hours import WeeklyHours
from domain.restaurants import RestaurantInput, RestaurantPatch, clean_settings, open_state, sent_fields
from domain.text_search import document
from server.catalogue import queries
from server.catalogue.clock import now
from server.catalogue.cursor import decode_cursor, encode_cursor
from server.catalogue.geocoding import locate
from server.catalogue.ownership import live_restaurant, locked_restaurant
from server.catalogue.versions import changed
from server.catalogue.views import Page, RestaurantView, photo_urls
from server.context import Context

_COPIED = ("id", "name", "description", "cuisines", "address", "closures", "timezone",
           "delivery_radius_m", "avg_prep_minutes", "is_open", "created_at", "updated_at")


def restaurant_view(row: asyncpg.Record, at: datetime) -> RestaurantView:
    hours = msgspec.convert(row["hours"], WeeklyHours)
    open_now, opening = open_state(hours, row["closures"], row["timezone"], row["is_open"], at)
    return RestaurantView(
        **{f: row[f] for f in _COPIED}, hours=hours, position=Position(lat=row["lat"], lng=row["lng"]), open_now=open_now,
        next_opening_at=opening, photo=photo_urls(row["photo_id"]))


async def create_restaurant(ctx: Context, owner_id: uuid.UUID, data: RestaurantInput) -> RestaurantView:
    fields = clean_settings(sent_fields(data))
    position = fields.pop("position") or await locate(ctx, fields["address"])
    columns = {**fields, "lat": position.lat, "lng": position.lng}
    async with ctx.db.acquire() as conn:
        row = await queries.insert_restaurant(conn, owner_id, columns, _search_text(columns))
    await changed(ctx, row["id"])
    return restaurant_view(row, now(ctx))


async def update_restaurant(ctx: Context, owner_id: uuid.UUID, restaurant_id: uuid.UUID,
                            patch: RestaurantPatch) -> RestaurantView:
    fields = clean_settings(sent_fields(patch))
    if "address" in fields and "position" not in fields:
        fields["position"] = await locate(ctx, fields["address"])  # before taking any lock
    if position := fields.pop("position", None):
        fields.update(lat=position.lat, lng=position.lng)
    async with ctx.db.acquire() as conn, conn.transaction():
        row = await locked_restaurant(conn, restaurant_id, owner_id)
        row = await queries.update_restaurant(conn, restaurant_id, fields,
                                              _search_text({**dict(row), **fields}))
    await changed(ctx, restaurant_id)
    return restaurant_view(row, now(ctx))


async def get_restaurant(ctx: Context, restaurant_id: uuid.UUID,
                         at: datetime | None = None) -> RestaurantView:
    """The restaurant, open or not at `at` (now by default)."""
    async with ctx.db.acquire() as conn:
        row = await live_restaurant(conn, restaurant_id)
    return restaurant_view(row, at or now(ctx))


async def delete_restaurant(ctx: Context, owner_id: uuid.UUID, restaurant_id: uuid.UUID) -> None:
    """Soft delete: past orders keep pointing at it, nobody finds it any more."""
    async with ctx.db.acquire() as conn, conn.transaction():
        await locked_restaurant(conn, restaurant_id, owner_id)
        await queries.delete_restaurant(conn, restaurant_id)
    await changed(ctx, restaurant_id)


async def restaurants_of(ctx: Context, owner_id: uuid.UUID, cursor: str | None,
                         limit: int) -> Page[RestaurantView]:
    after = decode_cursor(cursor, tuple[datetime, uuid.UUID])
    async with ctx.db.acquire() as conn:
        rows = await queries.restaurants_of_owner(conn, owner_id, after, limit + 1)
    at = now(ctx)
    items = [restaurant_view(row, at) for row in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    return Page(items=items, next_cursor=encode_cursor([last["created_at"], last["id"]]) if last else None)


def _search_text(columns: dict) -> str:
    return document(columns["name"], " ".join(columns.get("cuisines", [])), columns.get("description", ""))
