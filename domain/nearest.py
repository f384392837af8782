"""The nearest places whose delivery radius covers a position, with few exact distances.

Exact (geodesic) distances are slow, haversine ones fast and within 0.5 % of them. Each
place gets a haversine bracket; only places whose bracket could matter get an exact
distance, in order of their lower bound, until no remaining place can enter the page.
The answer is the same as computing every exact distance and sorting.
"""
from __future__ import annotations

import uuid
from typing import Callable, Iterable, TypeVar

from domain.geo import Position, distance_m, fast_distance_m

T = TypeVar("T")
ERROR = 0.01  # twice the documented haversine error, so the brackets are safe
Key = tuple[float, uuid.UUID]


class Place:
    """A candidate: its id, position and delivery radius, and whatever the caller carries."""

    __slots__ = ("id", "position", "radius_m", "data", "low", "high")

    def __init__(self, id: uuid.UUID, position: Position, radius_m: float, data=None) -> None:
        self.id, self.position, self.radius_m, self.data = id, position, radius_m, data


def nearest(places: Iterable[Place], here: Position, limit: int, *, max_m: float = float("inf"),
            after: Key | None = None, keep: Callable[[Place, float], T | None] = lambda p, d: p
            ) -> tuple[list[tuple[Key, T]], bool]:
    """The first `limit` (key, kept) past `after` by (exact distance, id), and whether more follow.

    A place counts when its exact distance is within its radius and max_m, and `keep`
    (called with the place and its exact distance) returns something other than None.
    """
    candidates = sorted(_bracketed(places, here, max_m, after), key=lambda p: p.low)
    found: list[tuple[Key, T]] = []
    for place in candidates:
        if len(found) > limit and place.low > found[limit][0][0]:
            break  # every remaining place is farther than the page plus one
        metres = distance_m(place.position, here)
        key = (metres, place.id)
        if metres > place.radius_m or metres > max_m or (after is not None and key <= after):
            continue
        kept = keep(place, metres)
        if kept is not None:
            found.append((key, kept))
            found.sort(key=lambda item: item[0])
    return found[:limit], len(found) > limit


def _bracketed(places: Iterable[Place], here: Position, max_m: float, after: Key | None):
    """Places that may count, each with low/high bounds of its exact distance."""
    for place in places:
        rough = fast_distance_m(place.position, here)
        place.low, place.high = rough / (1 + ERROR), rough / (1 - ERROR)
        if place.low > place.radius_m or place.low > max_m:
            continue
        if after is not None and place.high < after[0]:
            continue
        yield place
