"""Weekly opening hours: open now, past midnight, closures, daylight saving, validation."""
from __future__ import annotations

from datetime import UTC, date, datetime

import msgspec
import pytest

from domain.errors import Invalid
from domain.hours import TimeRange, WeeklyHours, is_open, next_opening, validate_hours

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def hours(**by_day):
    """WeeklyHours from e.g. fri=["19:00-02:00"]; days not named are closed."""
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days = [[TimeRange(*span.split("-")) for span in by_day.get(name, [])] for name in names]
    return WeeklyHours(days=days)


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


# 2025-01-06 is a Monday; Paris is UTC+1 in January.
LUNCH = hours(mon=["12:00-14:00"])


def test_a_restaurant_is_open_inside_a_range_from_its_opening_minute():
    assert is_open(LUNCH, [], utc(2025, 1, 6, 11, 0))  # 12:00 in Paris
    assert is_open(LUNCH, [], utc(2025, 1, 6, 12, 59))


def test_a_restaurant_is_closed_before_a_range_and_from_its_closing_minute():
    assert not is_open(LUNCH, [], utc(2025, 1, 6, 10, 59))
    assert not is_open(LUNCH, [], utc(2025, 1, 6, 13, 0))  # 14:00 in Paris


def test_hours_are_read_on_the_restaurant_clock_not_in_utc():
    assert is_open(LUNCH, [], utc(2025, 1, 6, 11, 0))
    assert not is_open(LUNCH, [], utc(2025, 1, 6, 11, 0), tz="UTC")
    assert is_open(LUNCH, [], utc(2025, 1, 6, 4, 0), tz="Asia/Tokyo")  # 13:00 in Tokyo


def test_a_range_closing_before_it_opens_runs_past_midnight_into_the_next_day():
    late = hours(fri=["19:00-02:00"])  # 2025-01-10 is a Friday
    assert is_open(late, [], utc(2025, 1, 10, 23, 30))  # Saturday 00:30 in Paris
    assert is_open(late, [], utc(2025, 1, 11, 0, 59))
    assert not is_open(late, [], utc(2025, 1, 11, 1, 0))  # Saturday 02:00


def test_sunday_night_spills_into_monday_morning():
    late = hours(sun=["20:00-01:00"])  # 2025-01-12 is a Sunday
    assert is_open(late, [], utc(2025, 1, 12, 23, 30))  # Monday 00:30 in Paris


def test_a_range_from_midnight_to_midnight_is_open_all_day():
    always = hours(mon=["00:00-00:00"])
    assert is_open(always, [], utc(2025, 1, 5, 23, 0))  # Monday 00:00
    assert is_open(always, [], utc(2025, 1, 6, 22, 59))  # Monday 23:59
    assert not is_open(always, [], utc(2025, 1, 6, 23, 0))  # Tuesday 00:00


def test_a_closure_date_closes_the_whole_day():
    assert not is_open(LUNCH, [date(2025, 1, 6)], utc(2025, 1, 6, 11, 30))


def test_a_range_started_the_day_before_keeps_running_into_a_closure_date():
    late = hours(fri=["19:00-02:00"])
    assert is_open(late, [date(2025, 1, 11)], utc(2025, 1, 11, 0, 30))  # Saturday 01:30


def test_a_range_opening_on_a_closure_date_is_cancelled_past_midnight_too():
    late = hours(fri=["19:00-02:00"])
    assert not is_open(late, [date(2025, 1, 10)], utc(2025, 1, 11, 0, 30))


def test_on_the_spring_forward_day_a_range_follows_the_clock():
    # 2025-03-30, Sunday: Paris jumps from 02:00 (UTC+1) to 03:00 (UTC+2).
    noon = hours(sun=["12:00-14:00"])
    assert is_open(noon, [], utc(2025, 3, 30, 10, 0))  # 12:00 summer time
    assert not is_open(noon, [], utc(2025, 3, 30, 12, 0))  # 14:00 summer time


def test_a_range_spanning_the_skipped_hour_stays_open_across_it():
    night = hours(sat=["22:00-03:30"])
    assert is_open(night, [], utc(2025, 3, 30, 0, 59))  # 01:59 winter time
    assert is_open(night, [], utc(2025, 3, 30, 1, 0))  # 03:00 summer time
    assert not is_open(night, [], utc(2025, 3, 30, 1, 30))  # 03:30 summer time


def test_on_the_fall_back_night_a_range_is_open_on_both_readings_of_the_clock():
    # 2025-10-26, Sunday: 02:00-03:00 happens twice in Paris.
    twice = hours(sun=["02:30-02:45"])
    assert is_open(twice, [], utc(2025, 10, 26, 0, 35))  # 02:35 summer time
    assert is_open(twice, [], utc(2025, 10, 26, 1, 35))  # 02:35 winter time


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError):
        is_open(LUNCH, [], datetime(2025, 1, 6, 12, 0))


def test_next_opening_is_now_when_already_open():
    now = utc(2025, 1, 6, 11, 15)
    assert next_opening(LUNCH, [], now) == now


def test_next_opening_is_the_start_of_the_next_range_in_utc():
    assert next_opening(LUNCH, [], utc(2025, 1, 6, 9, 0)) == utc(2025, 1, 6, 11, 0)
    assert next_opening(LUNCH, [], utc(2025, 1, 6, 15, 0)) == utc(2025, 1, 13, 11, 0)


def test_next_opening_skips_closure_dates():
    assert next_opening(LUNCH, [date(2025, 1, 6)], utc(2025, 1, 6, 9, 0)) == utc(2025, 1, 13, 11, 0)


def test_next_opening_is_none_when_nothing_opens_within_eight_days():
    assert next_opening(hours(), [], utc(2025, 1, 6, 9, 0)) is None
    closed = [date(2025, 1, 6), date(2025, 1, 13)]
    assert next_opening(LUNCH, closed, utc(2025, 1, 6, 9, 0)) is None


def test_next_opening_follows_summer_time():
    assert next_opening(hours(mon=["12:00-14:00"]), [], utc(2025, 3, 30, 12, 0)) == utc(2025, 3, 31, 10, 0)


def test_next_opening_inside_the_skipped_hour_is_the_moment_the_clock_jumps():
    gap = hours(sun=["02:30-05:00"])
    assert next_opening(gap, [], utc(2025, 3, 29, 22, 0)) == utc(2025, 3, 30, 1, 0)


def test_valid_hours_come_back_with_each_day_sorted():
    checked = validate_hours(hours(mon=["18:00-22:00", "11:30-14:00"]))
    assert [r.open for r in checked.days[MON]] == ["11:30", "18:00"]


def invalid_fields(week):
    with pytest.raises(Invalid) as excinfo:
        validate_hours(week)
    return {e["field"] for e in excinfo.value.errors}


@pytest.mark.parametrize("clock", ["25:00", "9:00", "12:60", "noon", "24:00", "12:00 "])
def test_a_time_not_written_as_hh_mm_is_refused(clock):
    assert invalid_fields(hours(tue=[f"{clock}-23:00"])) == {"days.1.0.open"}


def test_overlapping_ranges_in_one_day_are_refused():
    assert invalid_fields(hours(wed=["11:00-15:00", "14:00-18:00"])) == {"days.2.1"}


def test_ranges_that_only_touch_are_accepted():
    assert len(validate_hours(hours(wed=["11:00-14:00", "14:00-18:00"])).days[WED]) == 2


def test_a_range_overlapping_the_previous_night_spill_over_is_refused():
    assert invalid_fields(hours(fri=["19:00-02:00"], sat=["01:00-03:00"])) == {"days.5.0"}


def test_sunday_spill_over_is_checked_against_monday():
    assert invalid_fields(hours(sun=["20:00-03:00"], mon=["02:00-04:00"])) == {"days.0.0"}


def test_a_range_running_past_midnight_clashes_with_a_later_range_the_same_day():
    assert invalid_fields(hours(thu=["20:00-01:00", "22:00-23:00"])) == {"days.3.1"}


def test_at_most_six_ranges_a_day_are_accepted():
    six = [f"{h:02d}:00-{h:02d}:30" for h in range(8, 14)]
    assert len(validate_hours(hours(mon=six)).days[MON]) == 6
    assert invalid_fields(hours(mon=six + ["20:00-21:00"])) == {"days.0"}


def test_hours_must_list_seven_days():
    assert invalid_fields(WeeklyHours(days=[[]] * 6)) == {"days"}


def test_decoding_refuses_a_badly_written_time_and_a_short_week():
    with pytest.raises(msgspec.ValidationError, match="open"):
        msgspec.json.decode(b'{"days": [[{"open": "9h", "close": "10:00"}],[],[],[],[],[],[]]}', type=WeeklyHours)
    with pytest.raises(msgspec.ValidationError, match="days"):
        msgspec.json.decode(b'{"days": [[]]}', type=WeeklyHours)
