"""Discovery: restaurants whose delivery radius covers a position, nearest first."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import asyncpg
import msgspec
from msgspec import Meta

from domain.geo import Latitude, Longitude, Position, bounding_box
from domain.hours import WeeklyHours
from domain.nearest import Place, nearest
from domain.restaurants import MAX_RADIUS_M, open_state
from domain.text_search import prefix_query
from server.catalogue import discovery_queries as sql
from server.catalogue.clock import now
from server.catalogue.cursor import decode_cursor, encode_cursor
from server.catalogue.views import NearbyRestaurant, Page, photo_urls
from server.context import Context


class NearbyQuery(msgspec.Struct, kw_only=True):
    lat: Latitude
    lng: Longitude
    radius_km: Annotated[float, Meta(gt=0, le=MAX_RADIUS_M / 1000, description="look no farther")] | None = None
    q: Annotated[str, Meta(max_length=100, description="words of a name, cuisine or dish")] | None = None
    cuisine: Annotated[str, Meta(max_length=40)] | None = None
    open_now: bool = False
    cursor: str | None = None
    limit: Annotated[int, Meta(ge=1, le=100)] = 20


async def nearby(ctx: Context, query: NearbyQuery, at: datetime | None = None) -> Page[NearbyRestaurant]:
    """Exactly the restaurants whose radius covers the position (geodesic), by distance then id;
    open or not at `at` (now by default)."""
    here = Position(lat=query.lat, lng=query.lng)
    after = decode_cursor(query.cursor, tuple[float, uuid.UUID])
    words = prefix_query(query.q or "")
    cuisine = query.cuisine.strip().casefold() if query.cuisine and query.cuisine.strip() else None
    async with ctx.db.acquire() as conn:
        rows = await _candidates(conn, here, query.radius_km, cuisine, words)
    max_m = query.radius_km * 1000 if query.radius_km else float("inf")
    at = at or now(ctx)

    def keep(place: Place, metres: float) -> NearbyRestaurant | None:
        item = _summary(place.data, metres, at)
        return item if item.open_now or not query.open_now else None
    places = (Place(row["id"], Position(lat=row["lat"], lng=row["lng"]), row["delivery_radius_m"], row)
              for row in rows)
    page, more = nearest(places, here, query.limit, max_m=max_m, after=after, keep=keep)
    return Page(items=[item for _, item in page],
                next_cursor=encode_cursor(list(page[-1][0])) if more else None)


async def _candidates(conn: asyncpg.Connection, here: Position, radius_km: float | None,
                      cuisine: str | None, words: str | None) -> list[asyncpg.Record]:
    widest = await sql.widest_radius(conn)
    if widest is None:
        return []
    reach = min(widest, radius_km * 1000) if radius_km else widest
    box = bounding_box(here, reach)
    return await sql.restaurants_around(conn, box, here.lat, here.lng, reach, cuisine, words)


def _summary(row: asyncpg.Record, metres: float, at: datetime) -> NearbyRestaurant:
    hours = msgspec.convert(row["hours"], WeeklyHours)
    open_now, opening = open_state(hours, row["closures"], row["timezone"], row["is_open"], at)
    return NearbyRestaurant(
        id=row["id"], name=row["name"], description=row["description"], cuisines=row["cuisines"],
        address=row["address"], position=Position(lat=row["lat"], lng=row["lng"]),
        distance_m=round(metres), delivery_radius_m=row["delivery_radius_m"],
        avg_prep_minutes=row["avg_prep_minutes"], open_now=open_now, next_opening_at=opening,
        photo=photo_urls(row["photo_id"]))

