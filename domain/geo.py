"""Positions on the Earth, distances between them and boxes around them."""
from __future__ import annotations

import functools
import math
from typing import Annotated

import msgspec
from geopy.distance import geodesic

from domain.errors import Invalid

Latitude = Annotated[float, msgspec.Meta(ge=-90.0, le=90.0, description="Degrees north (WGS 84).")]
Longitude = Annotated[float, msgspec.Meta(ge=-180.0, le=180.0, description="Degrees east (WGS 84).")]

# Mean Earth radius (IUGG); haversine with it stays within 0.5 % of the ellipsoid.
MEAN_RADIUS_M = 6_371_008.8
# Smaller than every radius of curvature of WGS 84 (6,335,439 m at the equator,
# north-south), so angles computed with it are never too small and boxes never too tight.
SAFE_RADIUS_M = 6_335_000.0


class Position(msgspec.Struct, frozen=True):
    """A point in WGS 84 degrees; decoding and construction refuse out-of-range values."""

    lat: Latitude
    lng: Longitude

    def __post_init__(self) -> None:
        # msgspec checks the Meta bounds only when decoding; NaN fails both comparisons.
        if not -90.0 <= self.lat <= 90.0:
            raise ValueError("lat must be a number between -90 and 90")
        if not -180.0 <= self.lng <= 180.0:
            raise ValueError("lng must be a number between -180 and 180")


_RADIANS, _HALF_RADIANS, _DIAMETER_M = math.pi / 180, math.pi / 360, 2 * MEAN_RADIUS_M


@functools.lru_cache(maxsize=4096)
def distance_m(a: Position, b: Position) -> float:
    """Exact distance in metres on the WGS 84 ellipsoid.

    Remembered for the last few thousand pairs: the exact solution costs tens of
    microseconds, and one order asks for the same pair when it is priced and again when
    it is written, as dispatch and earnings do later for the same trip.
    """
    return geodesic((a.lat, a.lng), (b.lat, b.lng)).meters


def fast_distance_m(a: Position, b: Position) -> float:
    """Haversine distance in metres: a sphere, within 0.5 % of `distance_m`, many times faster.

    Written for speed (every GPS fix asks for a few): plain products, no min() call."""
    lat1, lat2 = a.lat * _RADIANS, b.lat * _RADIANS
    half_dlat, half_dlng = math.sin((lat2 - lat1) / 2), math.sin((b.lng - a.lng) * _HALF_RADIANS)
    h = half_dlat * half_dlat + math.cos(lat1) * math.cos(lat2) * half_dlng * half_dlng
    return _DIAMETER_M * math.asin(math.sqrt(h) if h < 1.0 else 1.0)


def bounding_box(center: Position, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, min_lng, max_lat, max_lng) of a box that contains the circle around `center`.

    When the circle reaches a pole or crosses the 180th meridian the box spans every
    longitude, so a plain `BETWEEN` pre-filter never misses a point.
    """
    if not radius_m >= 0 or math.isinf(radius_m):
        raise Invalid(errors=[{"field": "radius_m", "message": "must be a finite number >= 0"}])
    angle = radius_m / SAFE_RADIUS_M
    dlat = math.degrees(angle)
    min_lat, max_lat = center.lat - dlat, center.lat + dlat
    if min_lat <= -90.0 or max_lat >= 90.0 or angle >= math.pi / 2:
        return max(min_lat, -90.0), -180.0, min(max_lat, 90.0), 180.0
    # Widest longitude of a spherical cap, reached poleward of the centre's parallel.
    ratio = math.sin(angle) / math.cos(math.radians(center.lat))
    if ratio >= 1.0:
        return min_lat, -180.0, max_lat, 180.0
    dlng = math.degrees(math.asin(ratio))
    min_lng, max_lng = center.lng - dlng, center.lng + dlng
    if min_lng < -180.0 or max_lng > 180.0:
        return min_lat, -180.0, max_lat, 180.0
    return min_lat, min_lng, max_lat, max_lng
