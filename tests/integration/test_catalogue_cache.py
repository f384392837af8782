"""Cached catalogue reads: a change made through one node shows on the next read on another."""
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import redis.exceptions

from domain.roles import Role
from server.catalogue.cached_reads import cached_reads
from server.catalogue.versions import changed
from server.keys import CONTEXT
from tests.support.catalogue import PARIS, make_article, make_restaurant, set_clock
from tests.support.factories import make_person

NEARBY = f"/api/v1/restaurants?lat={PARIS['lat']}&lng={PARIS['lng']}"
LUNCH = datetime(2025, 1, 10, 11, 0, 10, tzinfo=UTC)  # 12:00:10 in Paris, a Friday


@pytest.fixture
async def nodes(make_app, aiohttp_client):
    """Two nodes on the same Postgres and Redis, as behind a load balancer."""
    return await aiohttp_client(make_app(node_id="a")), await aiohttp_client(make_app(node_id="b"))


async def read(client, path):
    response = await client.get(path)
    assert response.status == 200, await response.text()
    return await response.json()


def dishes(menu):
    return {a["name"]: a for c in menu["categories"] for a in c["articles"]}


async def test_an_article_changed_on_one_node_shows_on_the_next_menu_read_on_another(nodes):
    a, b = nodes
    owner = await make_person(a, Role.restaurateur)
    restaurant = await make_restaurant(a, owner)
    burger = await make_article(a, owner, restaurant["id"], name="Burger", price_cents=1250)
    menu_path = f"/api/v1/restaurants/{restaurant['id']}/menu"
    assert dishes(await read(b, menu_path))["Burger"]["price_cents"] == 1250

    response = await a.patch(f"/api/v1/restaurants/{restaurant['id']}/articles/{burger['id']}",
                             json={"price_cents": 1400}, headers=owner.headers)
    assert response.status == 200
    assert dishes(await read(b, menu_path))["Burger"]["price_cents"] == 1400

    await a.patch(f"/api/v1/restaurants/{restaurant['id']}/articles/{burger['id']}",
                  json={"available": False}, headers=owner.headers)
    assert "Burger" not in dishes(await read(b, menu_path))


async def test_a_menu_added_on_one_node_shows_on_another(nodes):
    a, b = nodes
    owner = await make_person(a, Role.restaurateur)
    restaurant = await make_restaurant(a, owner)
    burger = await make_article(a, owner, restaurant["id"])
    menu_path = f"/api/v1/restaurants/{restaurant['id']}/menu"
    assert (await read(b, menu_path))["menus"] == []
    slot = {"name": "Plat", "min_choices": 1, "max_choices": 1, "article_ids": [burger["id"]]}
    response = await a.post(f"/api/v1/restaurants/{restaurant['id']}/menus", headers=owner.headers,
                            json={"name": "Formule", "price_cents": 1500, "slots": [slot]})
    assert response.status == 201, await response.text()
    assert [m["name"] for m in (await read(b, menu_path))["menus"]] == ["Formule"]


async def test_restaurant_settings_and_searches_follow_a_change_made_on_another_node(nodes):
    a, b = nodes
    owner = await make_person(a, Role.restaurateur)
    first = await make_restaurant(a, owner, name="Chez Léa")
    assert [r["name"] for r in (await read(b, NEARBY))["items"]] == ["Chez Léa"]
    assert (await read(b, f"/api/v1/restaurants/{first['id']}"))["name"] == "Chez Léa"

    await a.patch(f"/api/v1/restaurants/{first['id']}", json={"name": "Chez Lou"}, headers=owner.headers)
    await make_restaurant(a, owner, name="Chez Max", position={"lat": PARIS["lat"] + 0.01, "lng": PARIS["lng"]})
    assert [r["name"] for r in (await read(b, NEARBY))["items"]] == ["Chez Lou", "Chez Max"]
    assert (await read(b, f"/api/v1/restaurants/{first['id']}"))["name"] == "Chez Lou"


async def test_a_dish_added_on_one_node_is_found_by_a_search_on_another(nodes):
    a, b = nodes
    owner = await make_person(a, Role.restaurateur)
    restaurant = await make_restaurant(a, owner)
    assert (await read(b, NEARBY + "&q=tajine"))["items"] == []
    await make_article(a, owner, restaurant["id"], name="Tajine")
    assert [r["id"] for r in (await read(b, NEARBY + "&q=tajine"))["items"]] == [restaurant["id"]]


async def test_a_restaurant_closed_for_good_on_one_node_is_gone_on_another(nodes):
    a, b = nodes
    owner = await make_person(a, Role.restaurateur)
    restaurant = await make_restaurant(a, owner)
    await read(b, f"/api/v1/restaurants/{restaurant['id']}/menu")
    assert (await a.delete(f"/api/v1/restaurants/{restaurant['id']}", headers=owner.headers)).status == 204
    assert (await b.get(f"/api/v1/restaurants/{restaurant['id']}/menu")).status == 404
    assert (await read(b, NEARBY))["items"] == []


async def test_a_repeated_read_comes_from_the_cache_until_the_version_changes(client, database_url):
    owner = await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner)
    await make_article(client, owner, restaurant["id"], name="Burger")
    menu_path = f"/api/v1/restaurants/{restaurant['id']}/menu"
    set_clock(client, LUNCH)  # one minute throughout: only the version can make it read again
    await read(client, menu_path)
    conn = await asyncpg.connect(database_url)  # behind the API's back: no version is stamped
    await conn.execute("UPDATE articles SET name = 'Kebab'")
    await conn.close()
    assert set(dishes(await read(client, menu_path))) == {"Burger"}
    await changed(client.app[CONTEXT], restaurant["id"])
    assert set(dishes(await read(client, menu_path))) == {"Kebab"}


async def test_an_open_restaurant_is_read_at_each_instant_and_its_state_each_minute(client):
    owner = await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner, hours={"days": [[{"open": "12:00", "close": "14:00"}]] * 7})
    menu_path, later = f"/api/v1/restaurants/{restaurant['id']}/menu", LUNCH + timedelta(seconds=30)
    for at in (LUNCH, later):
        set_clock(client, at)
        menu = await read(client, menu_path)
        found = (await read(client, NEARBY))["items"][0]
        seen = await read(client, f"/api/v1/restaurants/{restaurant['id']}")
        expected = at.isoformat().replace("+00:00", "Z")
        assert menu["open_now"] and menu["next_opening_at"] == expected
        assert menu["restaurant"]["next_opening_at"] == expected
        assert found["next_opening_at"] == expected and seen["next_opening_at"] == expected
    set_clock(client, LUNCH + timedelta(hours=2))  # 14:00:10: closed until tomorrow noon
    menu = await read(client, menu_path)
    assert not menu["open_now"] and menu["next_opening_at"] == "2025-01-11T11:00:00Z"
    assert (await read(client, NEARBY + "&open_now=true"))["items"] == []


async def test_reads_go_to_postgres_when_the_versions_cannot_be_read(client, monkeypatch):
    owner = await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner, name="Chez Léa")

    async def unreachable(key):
        raise redis.exceptions.ConnectionError("Redis is away")
    monkeypatch.setattr(cached_reads(client.app[CONTEXT]).versions, "read", unreachable)
    assert (await read(client, f"/api/v1/restaurants/{restaurant['id']}/menu"))["restaurant"]["name"] == "Chez Léa"
    assert [r["name"] for r in (await read(client, NEARBY))["items"]] == ["Chez Léa"]
    assert len(cached_reads(client.app[CONTEXT]).restaurants) == 0
