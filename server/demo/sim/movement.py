"""How couriers move: straight toward the target at their vehicle's town speed.

Straight lines are the fallback the demo accepts: no street data is shipped, so a courier
cuts across blocks; the pace over a trip stays that of a bike or scooter in town.
"""
from __future__ import annotations

import math

from domain.eta import CITY_SPEED_MPS, DETOUR_FACTOR, Vehicle
from domain.geo import Position, fast_distance_m

MAX_SIM_MPS = 40.0   # below the 60 m/s the server believes, whatever --speed asks


def speed_mps(vehicle: str, multiplier: float) -> float:
    """The vehicle's speed along a straight line: town speed over the streets' detour."""
    try:
        base = CITY_SPEED_MPS[Vehicle(vehicle)]
    except ValueError:
        base = CITY_SPEED_MPS[Vehicle.bike]
    return min(MAX_SIM_MPS, base / DETOUR_FACTOR * multiplier)


def heading(start: Position, end: Position) -> float:
    """Degrees clockwise from north, 0 to 360."""
    d_lng = math.radians(end.lng - start.lng) * math.cos(math.radians((start.lat + end.lat) / 2))
    d_lat = math.radians(end.lat - start.lat)
    return math.degrees(math.atan2(d_lng, d_lat)) % 360


def step(here: Position, target: Position, metres: float) -> tuple[Position, bool]:
    """Where one is after going `metres` toward the target, and whether it is reached."""
    left = fast_distance_m(here, target)
    if left <= metres or left < 1.0:
        return target, True
    share = metres / left
    return Position(lat=here.lat + (target.lat - here.lat) * share,
                    lng=here.lng + (target.lng - here.lng) * share), False
