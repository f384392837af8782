import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from geopy.distance import geodesic

from domain.earnings import (
    PeriodTotal, delivery_pay_cents, pay_for_distance_cents, totals_by_day, totals_by_week,
)
from domain.errors import Invalid
from domain.geo import Position


@pytest.mark.parametrize("metres, cents", [
    (0, 300), (999, 300), (1_000, 300), (1_000.4, 300), (1_000.6, 400), (1_001, 400),
    (2_000, 400), (2_000.0000001, 400), (2_001, 500), (5_500, 800), (12_000, 1_400),
])
def test_pay_is_300_cents_plus_100_per_started_km_after_the_first(metres, cents):
    assert pay_for_distance_cents(metres) == cents


def test_the_second_order_of_a_batch_earns_150_cents_more():
    assert pay_for_distance_cents(2_500, batched=True) == 500 + 150


def test_delivery_pay_uses_the_distance_from_restaurant_to_customer():
    restaurant = Position(48.8566, 2.3522)
    p = geodesic(meters=2_500).destination((restaurant.lat, restaurant.lng), 45)
    assert delivery_pay_cents(restaurant, Position(p.latitude, p.longitude)) == 500
    assert delivery_pay_cents(restaurant, restaurant, batched=True) == 450


@pytest.mark.parametrize("metres", [-1, math.nan, math.inf])
def test_a_negative_or_non_finite_distance_is_refused(metres):
    with pytest.raises(Invalid):
        pay_for_distance_cents(metres)


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_days_are_paris_days_in_winter_and_in_summer():
    totals = totals_by_day([
        (_utc(2024, 1, 15, 22, 59), 300), (_utc(2024, 1, 15, 23, 0), 400),   # UTC+1
        (_utc(2024, 6, 1, 21, 59), 500), (_utc(2024, 6, 1, 22, 0), 600),     # UTC+2
    ])
    assert [(t.period, t.deliveries, t.pay_cents) for t in totals] == [
        ("2024-01-15", 1, 300), ("2024-01-16", 1, 400), ("2024-06-01", 1, 500), ("2024-06-02", 1, 600)]


def test_deliveries_of_one_day_are_counted_and_summed_whatever_their_order_or_offset():
    paris_summer = timezone(timedelta(hours=2))
    totals = totals_by_day([
        (_utc(2024, 5, 17, 18, 0), 700), (_utc(2024, 5, 16, 9, 0), 300),
        (datetime(2024, 5, 17, 1, 0, tzinfo=paris_summer), 400),
    ])
    assert totals == [
        PeriodTotal("2024-05-16", date(2024, 5, 16), 1, 300),
        PeriodTotal("2024-05-17", date(2024, 5, 17), 2, 1_100),
    ]


def test_weeks_run_monday_to_sunday_in_paris_time():
    totals = totals_by_week([
        (_utc(2024, 3, 10, 22, 59), 300),  # Sunday 23:59 in Paris
        (_utc(2024, 3, 10, 23, 0), 400),   # Monday 00:00 in Paris
        (_utc(2024, 3, 17, 12, 0), 500),   # Sunday of the same week
    ])
    assert totals == [
        PeriodTotal("2024-W10", date(2024, 3, 4), 1, 300),
        PeriodTotal("2024-W11", date(2024, 3, 11), 2, 900),
    ]


def test_iso_weeks_cross_the_new_year():
    totals = totals_by_week([(_utc(2024, 12, 30, 12, 0), 300), (_utc(2021, 1, 3, 12, 0), 400)])
    assert [(t.period, t.start) for t in totals] == [
        ("2020-W53", date(2020, 12, 28)), ("2025-W01", date(2024, 12, 30))]


def test_no_delivery_gives_no_period():
    assert totals_by_day([]) == [] and totals_by_week([]) == []


def test_a_naive_delivery_time_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        totals_by_day([(datetime(2024, 5, 17, 12, 0), 300)])
