"""SQL of the nearby search: an index-backed box around the position, then a distance bound."""
from __future__ import annotations

import asyncpg

from domain.geo import MEAN_RADIUS_M

# Haversine on the mean sphere differs from the ellipsoid by under 0.5 %; this margin keeps
# every restaurant the exact (geodesic) test would accept, which the caller then applies.
SPHERE_MARGIN = 1.01
_COLUMNS = ("r.id, r.name, r.description, r.cuisines, r.address, r.lat, r.lng, r.hours, r.closures,"
            " r.timezone, r.delivery_radius_m, r.avg_prep_minutes, r.is_open, r.photo_id")
_HAVERSINE = (
    f"2 * {MEAN_RADIUS_M} * asin(least(1.0, sqrt(sin(radians(r.lat - $5) / 2) ^ 2"
    " + cos(radians($5)) * cos(radians(r.lat)) * sin(radians(r.lng - $6) / 2) ^ 2)))"
)
NEARBY_SQL = (
    f"SELECT {_COLUMNS} FROM restaurants r WHERE r.deleted_at IS NULL"
    " AND point(r.lng, r.lat) <@ box(point($2, $1), point($4, $3))"
    f" AND {_HAVERSINE} <= least(r.delivery_radius_m, $7::float8) * {SPHERE_MARGIN} + 1"
    " AND ($8::text IS NULL OR r.cuisines @> ARRAY[$8::text])"
    " AND ($9::text IS NULL OR r.search @@ to_tsquery('simple', $9) OR EXISTS ("
    " SELECT 1 FROM articles a WHERE a.restaurant_id = r.id AND a.deleted_at IS NULL"
    " AND a.search @@ to_tsquery('simple', $9)))"
)


async def widest_radius(conn: asyncpg.Connection) -> int | None:
    """The largest delivery radius in use (read from its index), or None without restaurants."""
    return await conn.fetchval(
        "SELECT max(delivery_radius_m) FROM restaurants WHERE deleted_at IS NULL")


async def restaurants_around(conn: asyncpg.Connection, box: tuple[float, float, float, float],
                             lat: float, lng: float, max_m: float, cuisine: str | None,
                             words: str | None) -> list[asyncpg.Record]:
    """Restaurants in `box` (min_lat, min_lng, max_lat, max_lng) whose radius and `max_m`
    roughly cover (lat, lng); `words` is a to_tsquery string matching a name or a dish."""
    return await conn.fetch(NEARBY_SQL, *box, lat, lng, max_m, cuisine, words)
