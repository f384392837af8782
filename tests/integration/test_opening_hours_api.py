"""open_now through the API: ranges past midnight, closure days, the open switch, the filter."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from domain.roles import Role
from tests.support.catalogue import PARIS, make_restaurant, set_clock
from tests.support.factories import make_person

# 2025-01-10 is a Friday; Paris is UTC+1 in January.
LATE_FRIDAY = {"days": [[], [], [], [], [{"open": "19:00", "close": "02:00"}],
                        [{"open": "19:00", "close": "02:00"}], []]}
NOON_DAILY = {"days": [[{"open": "12:00", "close": "14:00"}]] * 7}


def paris(*parts):
    """A Paris wall-clock time as an aware UTC instant."""
    return datetime(*parts, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)


async def state(client, restaurant_id):
    seen = await (await client.get(f"/api/v1/restaurants/{restaurant_id}")).json()
    menu = await (await client.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    assert menu["open_now"] == seen["open_now"]
    return seen["open_now"], seen["next_opening_at"]


async def test_a_friday_night_range_is_open_after_midnight_and_closed_at_its_end(client):
    owner = await make_person(client, Role.restaurateur)
    late = await make_restaurant(client, owner, hours=LATE_FRIDAY)
    set_clock(client, paris(2025, 1, 11, 0, 30))  # Saturday 00:30
    assert await state(client, late["id"]) == (True, "2025-01-10T23:30:00Z")
    set_clock(client, paris(2025, 1, 11, 2, 0))  # Saturday 02:00
    assert await state(client, late["id"]) == (False, "2025-01-11T18:00:00Z")  # Saturday 19:00


async def test_a_closure_day_closes_the_day_and_the_next_opening_skips_it(client):
    owner = await make_person(client, Role.restaurateur)
    closed = await make_restaurant(client, owner, hours=NOON_DAILY, closures=["2025-01-11"])
    set_clock(client, paris(2025, 1, 11, 12, 30))
    assert await state(client, closed["id"]) == (False, "2025-01-12T11:00:00Z")  # Sunday noon
    set_clock(client, paris(2025, 1, 10, 12, 30))
    assert (await state(client, closed["id"]))[0] is True


async def test_a_night_that_began_before_a_closure_day_runs_on_until_its_close(client):
    owner = await make_person(client, Role.restaurateur)
    late = await make_restaurant(client, owner, hours=LATE_FRIDAY, closures=["2025-01-11"])
    set_clock(client, paris(2025, 1, 11, 1, 30))
    assert (await state(client, late["id"]))[0] is True
    set_clock(client, paris(2025, 1, 11, 20, 0))  # Saturday evening is cancelled by the closure
    assert (await state(client, late["id"]))[0] is False


async def test_the_switch_closes_a_restaurant_inside_its_hours(client):
    owner = await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner, hours=NOON_DAILY, is_open=False)
    set_clock(client, paris(2025, 1, 10, 12, 30))
    assert await state(client, restaurant["id"]) == (False, None)


async def test_the_open_now_filter_keeps_only_restaurants_open_at_that_moment(client):
    owner = await make_person(client, Role.restaurateur)
    await make_restaurant(client, owner, name="Nuit", hours=LATE_FRIDAY)
    await make_restaurant(client, owner, name="Midi", hours=NOON_DAILY)
    set_clock(client, paris(2025, 1, 11, 0, 30))
    url = f"/api/v1/restaurants?lat={PARIS['lat']}&lng={PARIS['lng']}"
    everyone = await (await client.get(url)).json()
    open_ones = await (await client.get(url + "&open_now=true")).json()
    assert sorted((r["name"], r["open_now"]) for r in everyone["items"]) == [("Midi", False), ("Nuit", True)]
    assert [r["name"] for r in open_ones["items"]] == ["Nuit"]
