"""The demo city: what `python -m server seed` creates, and that running it again changes nothing."""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import msgspec
import pytest

from domain.hours import WeeklyHours, is_open
from server.demo.people import people
from server.demo.seed import DEMO_PASSWORD, SeedRefused, seed
from server.keys import CONTEXT
from tests.support.catalogue_factories import make_shop
from tests.support.factories import sign_in

PARIS = ZoneInfo("Europe/Paris")
LYON_BOX = ((45.70, 45.80), (4.78, 4.91))
TABLES = {
    "users": "SELECT id, role, email, profile, updated_at FROM users",
    "restaurants": "SELECT id, name, hours, updated_at FROM restaurants",
    "articles": "SELECT id, name, option_groups, updated_at FROM articles",
    "menus": "SELECT id, name, slots, updated_at FROM menus",
    "api_keys": "SELECT id, revoked_at FROM api_keys",
}


async def snapshot(db) -> dict[str, set]:
    return {table: {tuple(map(str, row.values())) for row in await db.fetch(sql)} for table, sql in TABLES.items()}


@pytest.fixture
async def db(client):
    """The test database, through the app's own pool."""
    return client.app[CONTEXT].db


async def test_the_seed_creates_the_demo_city_and_running_it_again_changes_nothing(settings, db):
    first = await seed(settings)
    roles = Counter(r["role"] for r in await db.fetch("SELECT role FROM users"))
    assert roles == {"customer": 200, "courier": 60, "restaurateur": 40, "developer": 2, "sales": 1, "tech": 1}
    assert (first.accounts, first.restaurants) == (304, 45)
    assert sorted(first.api_keys) == sorted(a.email for a in people().developers)
    assert all(key.startswith("ce_live_") for key in first.api_keys.values())

    couriers = await db.fetch("SELECT profile FROM users WHERE role = 'courier'")
    assert {c["profile"]["vehicle"] for c in couriers} == {"bike", "scooter", "car", "foot"}
    customers = await db.fetch("SELECT profile FROM users WHERE role = 'customer'")
    addresses = [a for c in customers for a in c["profile"]["addresses"]]
    assert len(addresses) >= 200 and all(_in_lyon(a["lat"], a["lng"]) for a in addresses)

    restaurants = await db.fetch("SELECT id, lat, lng, cuisines FROM restaurants")
    assert len(restaurants) == 45 and all(_in_lyon(r["lat"], r["lng"]) for r in restaurants)
    assert len({c for r in restaurants for c in r["cuisines"]}) >= 15
    for restaurant in restaurants:
        articles = await db.fetch("SELECT option_groups FROM articles WHERE restaurant_id = $1", restaurant["id"])
        menus = await db.fetch("SELECT slots FROM menus WHERE restaurant_id = $1", restaurant["id"])
        assert len(articles) >= 8 and any(a["option_groups"] for a in articles)
        assert menus and all(len(m["slots"]) >= 2 for m in menus)

    before = await snapshot(db)
    again = await seed(settings)
    assert (again.accounts, again.restaurants, again.articles, again.menus, again.api_keys) == (0, 0, 0, 0, {})
    assert await snapshot(db) == before


async def test_the_demo_restaurants_open_at_plausible_hours(settings, db):
    await seed(settings)
    rows = await db.fetch("SELECT name, hours, closures, is_open FROM restaurants")

    def open_at(when: datetime) -> set[str]:
        return {r["name"] for r in rows
                if r["is_open"] and is_open(msgspec.convert(r["hours"], WeeklyHours), r["closures"], when, "Europe/Paris")}

    saturday_lunch = open_at(datetime(2025, 6, 14, 12, 30, tzinfo=PARIS))
    saturday_evening = open_at(datetime(2025, 6, 14, 20, 0, tzinfo=PARIS))
    after_midnight = open_at(datetime(2025, 6, 15, 1, 0, tzinfo=PARIS))
    small_hours = open_at(datetime(2025, 6, 15, 4, 0, tzinfo=PARIS))
    assert len(saturday_lunch) >= 0.8 * len(rows) and len(saturday_evening) >= 0.8 * len(rows)
    assert len(saturday_evening) < len(rows)  # some are closed even at dinner time
    assert small_hours < after_midnight < saturday_evening  # some serve past midnight, a few all night
    assert small_hours


async def test_every_demo_role_signs_in_with_the_demo_password_and_finds_its_things(client, settings):
    made = await seed(settings)
    city = people()
    for account in [city.customers[0], city.couriers[0], city.owners[0], *city.developers[:1], *city.staff]:
        tokens = await sign_in(client, account.email, DEMO_PASSWORD)
        me = await (await client.get("/api/v1/me", headers=_bearer(tokens))).json()
        assert (me["email"], me["role"]) == (account.email, account.role)
    home = city.customers[0].profile["addresses"][0]
    nearby = await (await client.get(f"/api/v1/restaurants?lat={home['lat']}&lng={home['lng']}")).json()
    assert len(nearby["items"]) >= 5
    menu = await (await client.get(f"/api/v1/restaurants/{nearby['items'][0]['id']}/menu")).json()
    assert menu["categories"] and menu["menus"]
    owner = await sign_in(client, city.owners[0].email, DEMO_PASSWORD)
    mine = await (await client.get("/api/v1/restaurants/mine", headers=_bearer(owner))).json()
    assert len(mine["items"]) == 2  # the first owners keep two restaurants
    key = made.api_keys[city.developers[0].email]
    current = await client.get("/api/v1/api-keys/current", headers={"X-API-Key": key})
    assert current.status == 200, await current.text()


async def test_the_seed_is_refused_in_production(settings, db):
    with pytest.raises(SeedRefused, match="production"):
        await seed(msgspec.structs.replace(settings, env="production"))
    with pytest.raises(SeedRefused, match="password"):
        await seed(settings, "short")
    assert await db.fetchval("SELECT count(*) FROM users") == 0


async def test_make_run_seeds_only_an_empty_database(client, settings, db):
    await make_shop(client)
    result = await seed(settings, if_empty=True)
    assert (result.seeded, result.demo_present) == (False, False)
    assert await db.fetchval("SELECT count(*) FROM restaurants") == 1


def _in_lyon(lat: float, lng: float) -> bool:
    (south, north), (west, east) = LYON_BOX
    return south <= lat <= north and west <= lng <= east


def _bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}
