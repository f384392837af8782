import uuid
from datetime import UTC, datetime, timedelta

import pytest
from geopy.distance import geodesic

from domain.delivery import DeliveryStatus
from domain.dispatch import (
    BatchOrder, Candidate, HeldDelivery, can_batch, first_customer_delay_s, rank_candidates,
    search_radii, search_step,
)
from domain.eta import Vehicle
from domain.geo import Position

RESTAURANT = Position(48.8566, 2.3522)
RESTAURANT_ID = uuid.uuid4()
T0 = datetime(2024, 5, 17, 12, 0, tzinfo=UTC)


def _at(bearing: float, metres: float) -> Position:
    p = geodesic(meters=metres).destination((RESTAURANT.lat, RESTAURANT.lng), bearing)
    return Position(p.latitude, p.longitude)


def _courier(metres: float, waited_min: float, *, bearing: float = 90, declined: bool = False) -> Candidate:
    return Candidate(uuid.uuid4(), _at(bearing, metres), T0 - timedelta(minutes=waited_min), Vehicle.bike, declined)


def _ids(ranked):
    return [r.candidate.courier_id for r in ranked]


def test_a_courier_in_a_nearer_band_comes_first_even_if_another_waited_longer():
    far_patient, near_new = _courier(1_200, 60), _courier(300, 1)
    assert _ids(rank_candidates(RESTAURANT, [far_patient, near_new], 3_000)) == [
        near_new.courier_id, far_patient.courier_id]


def test_within_a_band_the_courier_who_waited_longest_comes_first():
    nearest, patient = _courier(100, 5, bearing=0), _courier(450, 10, bearing=180)
    assert _ids(rank_candidates(RESTAURANT, [nearest, patient], 3_000)) == [
        patient.courier_id, nearest.courier_id]


def test_equal_band_and_wait_fall_back_to_the_nearer_courier():
    a, b = _courier(400, 5), _courier(150, 5)
    assert _ids(rank_candidates(RESTAURANT, [a, b], 3_000)) == [b.courier_id, a.courier_id]


def test_couriers_who_declined_or_are_beyond_the_radius_are_not_offered():
    declined, outside, inside = _courier(200, 30, declined=True), _courier(3_100, 30), _courier(2_900, 1)
    ranked = rank_candidates(RESTAURANT, [declined, outside, inside], 3_000)
    assert _ids(ranked) == [inside.courier_id]
    assert ranked[0].distance_m == pytest.approx(2_900, rel=0.005)


def test_no_candidate_gives_an_empty_list():
    assert rank_candidates(RESTAURANT, [], 3_000) == []


def test_the_search_widens_from_3_to_5_to_8_km():
    assert search_radii() == (3_000, 5_000, 8_000)
    assert search_radii(1_500) == (1_500, 2_500, 4_000)


def test_staff_are_alerted_only_once_every_radius_found_nobody():
    steps = [search_step(n) for n in range(5)]
    assert [s.radius_m for s in steps] == [3_000, 5_000, 8_000, 8_000, 8_000]
    assert [s.alert_staff for s in steps] == [False, False, False, True, True]


def _held(customer: Position, **changes) -> HeldDelivery:
    fields = dict(restaurant_id=RESTAURANT_ID, status=DeliveryStatus.assigned,
                  restaurant_pos=RESTAURANT, customer_pos=customer)
    return HeldDelivery(**(fields | changes))


FIRST = _held(_at(0, 2_000))


@pytest.mark.parametrize("second_customer", [_at(0, 1_000), _at(10, 1_500), _at(0, 4_000), _at(180, 300)])
def test_a_second_order_from_the_same_restaurant_on_the_way_or_beyond_is_batched(second_customer):
    assert can_batch(FIRST, BatchOrder(RESTAURANT_ID, second_customer), Vehicle.bike)


def test_a_detour_of_more_than_five_minutes_for_the_first_customer_is_refused():
    # 1 km south then 3 km back north: 2 km extra, 9.6 minutes by bike.
    second = BatchOrder(RESTAURANT_ID, _at(180, 1_000))
    assert first_customer_delay_s(FIRST, second.customer_pos, Vehicle.bike) == pytest.approx(578, abs=3)
    assert not can_batch(FIRST, second, Vehicle.bike)


def test_the_same_detour_depends_on_the_vehicles_speed():
    second = BatchOrder(RESTAURANT_ID, _at(180, 500))  # 1 km extra
    assert can_batch(FIRST, second, Vehicle.bike)
    assert not can_batch(FIRST, second, Vehicle.foot)


def test_waiting_for_the_second_orders_food_counts_as_detour():
    second = BatchOrder(RESTAURANT_ID, _at(180, 500))  # 289 s by bike
    assert can_batch(FIRST, second, Vehicle.bike, extra_wait_s=5)
    assert not can_batch(FIRST, second, Vehicle.bike, extra_wait_s=20)


@pytest.mark.parametrize("first, second", [
    (FIRST, BatchOrder(uuid.uuid4(), _at(0, 1_000))),
    (_held(_at(0, 2_000), status=DeliveryStatus.picked_up), BatchOrder(RESTAURANT_ID, _at(0, 1_000))),
    (_held(_at(0, 2_000), batched=True), BatchOrder(RESTAURANT_ID, _at(0, 1_000))),
])
def test_no_batch_from_another_restaurant_after_pick_up_or_beyond_two_orders(first, second):
    assert not can_batch(first, second, Vehicle.bike)
