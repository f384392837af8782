"""Which courier is offered a delivery first, how far to look, and when to batch."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

import msgspec

from domain.delivery import DeliveryStatus
from domain.eta import DETOUR_FACTOR, Vehicle, pace_mps
from domain.geo import Position, fast_distance_m

BAND_M = 500                      # couriers this close to each other are equally near
RADIUS_FACTORS = (1.0, 5 / 3, 8 / 3)  # 3 km, 5 km, 8 km from the usual 3 km base
BASE_RADIUS_M = 3_000
BATCH_MAX_DELAY_S = 5 * 60


class Candidate(msgspec.Struct, frozen=True):
    """An online, free courier, as seen by the dispatcher for one delivery."""

    courier_id: uuid.UUID
    position: Position
    available_since: datetime
    vehicle: Vehicle
    declined: bool = False


class Ranked(msgspec.Struct, frozen=True):
    """A candidate and its straight-line distance to the restaurant, for the offer."""

    candidate: Candidate
    distance_m: float


class SearchStep(msgspec.Struct, frozen=True):
    """How far one round of offers looks, and whether staff must be told."""

    radius_m: int
    alert_staff: bool


class HeldDelivery(msgspec.Struct, frozen=True):
    """The delivery a courier already holds, as far as batching cares."""

    restaurant_id: uuid.UUID
    status: DeliveryStatus
    restaurant_pos: Position
    customer_pos: Position
    batched: bool = False  # already carries a second order


class BatchOrder(msgspec.Struct, frozen=True):
    """An order looking for a courier, as far as batching cares."""

    restaurant_id: uuid.UUID
    customer_pos: Position


def rank_candidates(restaurant_pos: Position, candidates: Iterable[Candidate], radius_m: float) -> list[Ranked]:
    """Candidates within the radius who did not decline, nearest band first, then longest wait."""
    ranked = [
        Ranked(c, d) for c in candidates if not c.declined
        if (d := fast_distance_m(restaurant_pos, c.position)) <= radius_m
    ]
    ranked.sort(key=lambda r: (int(r.distance_m // BAND_M), r.candidate.available_since, r.distance_m))
    return ranked


def search_radii(base_m: int = BASE_RADIUS_M) -> tuple[int, ...]:
    """The widening radii of the search, one per round of offers."""
    return tuple(round(base_m * f) for f in RADIUS_FACTORS)


def search_step(round_no: int, base_m: int = BASE_RADIUS_M) -> SearchStep:
    """Radius of round `round_no` (from 0); once every radius found nobody, alert staff.

    A round ends when every ranked candidate has declined or let the offer expire.
    The search goes on at the widest radius after the alert: a courier may come online.
    """
    radii = search_radii(base_m)
    if round_no < len(radii):
        return SearchStep(radii[round_no], alert_staff=False)
    return SearchStep(radii[-1], alert_staff=True)


def first_customer_delay_s(first: HeldDelivery, second_customer: Position, vehicle: Vehicle) -> float:
    """Extra seconds the first customer waits if the courier also carries the second order.

    The courier drops the customer nearer the restaurant first; the first customer waits
    more only when that is the second one.
    """
    restaurant, first_customer = first.restaurant_pos, first.customer_pos
    direct = fast_distance_m(restaurant, first_customer)
    to_second = fast_distance_m(restaurant, second_customer)
    if to_second >= direct:
        return 0.0
    detour = to_second + fast_distance_m(second_customer, first_customer) - direct
    return max(0.0, detour) * DETOUR_FACTOR / pace_mps(vehicle)


def can_batch(first: HeldDelivery, second: BatchOrder, vehicle: Vehicle, *, extra_wait_s: float = 0.0) -> bool:
    """Whether the courier holding `first` may take `second` too.

    Only before pick-up, from the same restaurant, one extra order at most, and only if the
    first customer waits less than 5 more minutes; `extra_wait_s` is the time the courier
    would stand at the restaurant for the second order's food.
    """
    if first.batched or first.status != DeliveryStatus.assigned:
        return False
    if first.restaurant_id != second.restaurant_id:
        return False
    delay = first_customer_delay_s(first, second.customer_pos, vehicle) + max(0.0, extra_wait_s)
    return delay < BATCH_MAX_DELAY_S
