from datetime import UTC, datetime, timedelta

import pytest
from geopy.distance import geodesic

from domain.eta import Eta, Vehicle, eta_seconds, pace_mps, recent_speed
from domain.geo import Position
from domain.gps import GpsFix

NOW = datetime(2024, 5, 17, 12, 0, tzinfo=UTC)
RESTAURANT = Position(48.8566, 2.3522)


def _north(metres: float, of: Position = RESTAURANT) -> Position:
    p = geodesic(meters=metres).destination((of.lat, of.lng), 0)
    return Position(p.latitude, p.longitude)


def _track(steps: list[tuple[float, float]]) -> list[GpsFix]:
    """Fixes from (seconds since start, metres north of the restaurant)."""
    t0 = 1_700_000_000_000
    return [GpsFix(lat=_north(m).lat, lng=RESTAURANT.lng, ts=t0 + s * 1000) for s, m in steps]


@pytest.mark.parametrize("vehicle, speed", [("bike", 4.5), ("scooter", 7.0), ("car", 6.0), ("foot", 1.4)])
def test_without_a_recent_speed_the_vehicles_city_speed_and_the_detour_factor_are_used(vehicle, speed):
    eta = eta_seconds(_north(1_000), RESTAURANT, _north(-2_000), Vehicle(vehicle), now=NOW)
    assert eta.to_restaurant_s == pytest.approx(1_000 * 1.3 / speed, rel=0.005)
    assert eta.to_customer_s == pytest.approx(3_000 * 1.3 / speed, rel=0.005)


def test_a_recent_speed_replaces_the_typical_one():
    eta = eta_seconds(_north(1_300), RESTAURANT, RESTAURANT, Vehicle.bike, now=NOW, speed_mps=6.5)
    assert eta.to_restaurant_s == pytest.approx(260, abs=2)


@pytest.mark.parametrize("measured, used", [(0.1, 2.25), (30.0, 9.0), (5.0, 5.0)])
def test_a_recent_speed_is_kept_within_half_and_twice_the_typical_speed(measured, used):
    assert pace_mps(Vehicle.bike, measured) == used


def test_the_courier_waits_at_the_restaurant_when_the_food_is_not_ready():
    ready_at = NOW + timedelta(minutes=15)
    eta = eta_seconds(_north(1_000), RESTAURANT, _north(-1_000), Vehicle.bike, now=NOW, ready_at=ready_at)
    assert eta.to_restaurant_s == pytest.approx(289, abs=2)
    assert eta.to_customer_s == pytest.approx(15 * 60 + 289, abs=2)


def test_food_ready_before_the_courier_arrives_adds_no_wait():
    early = eta_seconds(_north(1_000), RESTAURANT, _north(-1_000), Vehicle.bike, now=NOW, ready_at=NOW)
    unknown = eta_seconds(_north(1_000), RESTAURANT, _north(-1_000), Vehicle.bike, now=NOW)
    assert early == unknown
    assert early.to_customer_s == pytest.approx(578, abs=2)


def test_after_pick_up_the_eta_runs_from_the_courier_straight_to_the_customer():
    eta = eta_seconds(_north(500), RESTAURANT, _north(1_400), Vehicle.foot, now=NOW,
                      ready_at=NOW + timedelta(hours=1), picked_up=True)
    assert (eta.to_restaurant_s, eta.to_customer_s) == (0, pytest.approx(900 * 1.3 / 1.4, abs=2))


def test_the_arrival_time_is_now_plus_the_time_to_the_customer_in_utc():
    eta = eta_seconds(_north(1_000), RESTAURANT, _north(-1_000), Vehicle.car, now=NOW)
    assert isinstance(eta, Eta)
    assert eta.arrives_at == NOW + timedelta(seconds=eta.to_customer_s)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        eta_seconds(RESTAURANT, RESTAURANT, RESTAURANT, Vehicle.car, now=datetime(2024, 5, 17, 12))


def test_recent_speed_is_the_pace_over_the_last_fixes():
    assert recent_speed(_track([(0, 0), (4, 20), (8, 40), (12, 60)])) == pytest.approx(5.0, rel=0.005)


def test_recent_speed_ignores_stops_and_absurd_jumps():
    fixes = _track([(0, 0), (4, 20), (8, 20), (12, 20), (16, 40), (17, 540), (21, 560)])
    assert recent_speed(fixes) == pytest.approx(5.0, rel=0.005)


def test_recent_speed_looks_only_at_the_last_six_fixes_of_the_last_two_minutes():
    slow_then_fast = _track([(0, 0), (10, 20), (20, 40), (30, 60)] + [(30 + 2 * i, 60 + 16 * i) for i in range(1, 6)])
    assert recent_speed(slow_then_fast) == pytest.approx(8.0, rel=0.005)
    old_then_recent = _track([(0, 0), (4, 200), (200, 300), (204, 320)])
    assert recent_speed(old_then_recent) == pytest.approx(5.0, rel=0.005)


@pytest.mark.parametrize("steps", [[], [(0, 0)], [(0, 0), (5, 1), (10, 2)]])
def test_recent_speed_is_unknown_without_movement(steps):
    assert recent_speed(_track(steps)) is None
