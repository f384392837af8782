"""Restaurants through the API: an owner creates, reads, changes and deletes only their own."""
import asyncpg
import pytest

from domain.roles import Role
from tests.support.catalogue import PARIS, fields_of, make_article, make_restaurant, problem, restaurant_body
from tests.support.factories import make_person


async def test_a_restaurateur_opens_a_restaurant_and_anyone_can_read_it(client):
    owner = await make_person(client, Role.restaurateur)
    created = await make_restaurant(client, owner, name="  Chez Léa ", cuisines=["Française", "bistrot", "française"])
    response = await client.get(f"/api/v1/restaurants/{created['id']}")
    seen = await response.json()
    assert response.status == 200
    assert seen["name"] == "Chez Léa" and seen["cuisines"] == ["française", "bistrot"]
    assert seen["position"] == PARIS and seen["delivery_radius_m"] == 3000 and seen["timezone"] == "Europe/Paris"
    assert seen["photo"] is None and "owner_id" not in seen


async def test_an_owner_lists_only_their_own_restaurants_page_by_page(client):
    owner, rival = await make_person(client, Role.restaurateur), await make_person(client, Role.restaurateur)
    mine = [(await make_restaurant(client, owner, name=f"Mine {i}"))["id"] for i in range(3)]
    await make_restaurant(client, rival, name="Theirs")
    first = await (await client.get("/api/v1/restaurants/mine?limit=2", headers=owner.headers)).json()
    rest = await (await client.get(f"/api/v1/restaurants/mine?limit=2&cursor={first['next_cursor']}",
                                   headers=owner.headers)).json()
    assert [r["id"] for r in first["items"] + rest["items"]] == mine
    assert rest["next_cursor"] is None


async def test_an_owner_changes_only_the_fields_sent(client):
    owner = await make_person(client, Role.restaurateur)
    created = await make_restaurant(client, owner)
    response = await client.patch(f"/api/v1/restaurants/{created['id']}", headers=owner.headers,
                                  json={"is_open": False, "delivery_radius_m": 4500})
    changed = await response.json()
    assert response.status == 200
    assert (changed["is_open"], changed["delivery_radius_m"], changed["name"]) == (False, 4500, "Chez Léa")
    assert changed["open_now"] is False and changed["next_opening_at"] is None


async def test_another_restaurateur_cannot_see_change_or_delete_a_restaurant_as_theirs(client, database_url):
    owner, rival = await make_person(client, Role.restaurateur), await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner)
    article = await make_article(client, owner, restaurant["id"])
    base = f"/api/v1/restaurants/{restaurant['id']}"
    attempts = [
        ("PATCH", base, {"name": "Stolen"}), ("DELETE", base, None),
        ("POST", base + "/articles", {"name": "Intruder", "price_cents": 100}),
        ("PATCH", f"{base}/articles/{article['id']}", {"price_cents": 1}),
        ("DELETE", f"{base}/articles/{article['id']}", None),
        ("POST", base + "/menus", {"name": "M", "price_cents": 1, "slots": [
            {"name": "S", "article_ids": [article["id"]]}]}),
        ("GET", base + "/stats", None),
    ]
    for method, url, body in attempts:
        response = await client.request(method, url, json=body, headers=rival.headers)
        assert response.status == 404, (method, url, response.status)
        assert (await problem(response))["detail"] == "no such restaurant"
    conn = await asyncpg.connect(database_url)
    names = await conn.fetch("SELECT name FROM restaurants UNION ALL SELECT name || ':' || price_cents FROM articles")
    await conn.close()
    assert sorted(r["name"] for r in names) == ["Burger:1250", "Chez Léa"]


async def test_a_deleted_restaurant_is_gone_for_everyone(client):
    owner = await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner)
    response = await client.delete(f"/api/v1/restaurants/{restaurant['id']}", headers=owner.headers)
    assert response.status == 204
    for url in ("", "/menu", "/articles"):
        assert (await client.get(f"/api/v1/restaurants/{restaurant['id']}{url}")).status == 404
    mine = await (await client.get("/api/v1/restaurants/mine", headers=owner.headers)).json()
    assert mine["items"] == []


@pytest.mark.parametrize("changes, field", [
    ({"name": "   "}, "name"),
    ({"name": ""}, "name"),
    ({"position": {"lat": 91, "lng": 2}}, "position.lat"),
    ({"position": {"lat": 48, "lng": -180.5}}, "position.lng"),
    ({"delivery_radius_m": 50}, "delivery_radius_m"),
    ({"delivery_radius_m": 100_000}, "delivery_radius_m"),
    ({"avg_prep_minutes": 0}, "avg_prep_minutes"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"hours": {"days": [[{"open": "25:00", "close": "23:00"}]] * 7}}, "hours.days.0.0.open"),
    ({"hours": {"days": [[{"open": "12:00", "close": "15:00"}, {"open": "14:00", "close": "16:00"}]]
               + [[]] * 6}}, "hours.days.0.1"),
    ({"hours": {"days": [[]] * 6}}, "hours.days"),
    ({"cuisines": ["x" * 41]}, "cuisines.0"),
    ({"owner_id": "00000000-0000-0000-0000-000000000000"}, "owner_id"),
])
async def test_bad_restaurant_settings_are_refused_and_nothing_is_created(client, database_url, changes, field):
    owner = await make_person(client, Role.restaurateur)
    response = await client.post("/api/v1/restaurants", json=restaurant_body(**changes), headers=owner.headers)
    assert response.status == 422
    assert field in await fields_of(response)
    conn = await asyncpg.connect(database_url)
    assert await conn.fetchval("SELECT count(*) FROM restaurants") == 0
    await conn.close()


async def test_a_bad_change_is_refused_and_leaves_the_restaurant_as_it_was(client):
    owner = await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner)
    url = f"/api/v1/restaurants/{restaurant['id']}"
    response = await client.patch(url, headers=owner.headers, json={"name": "Nouveau", "position": {"lat": -100, "lng": 0}})
    assert response.status == 422 and await fields_of(response) == {"position.lat"}
    assert (await (await client.get(url)).json())["name"] == "Chez Léa"


async def test_an_address_without_a_position_is_refused_when_no_geocoder_is_configured(client):
    owner = await make_person(client, Role.restaurateur)
    body = restaurant_body()
    del body["position"]
    response = await client.post("/api/v1/restaurants", json=body, headers=owner.headers)
    assert response.status == 422
    assert await fields_of(response) == {"position"}
    assert "no geocoder" in (await problem(response))["errors"][0]["message"]


async def test_an_address_alone_is_placed_by_the_configured_geocoder(make_app, aiohttp_client, monkeypatch):
    from geopy.geocoders import SERVICE_TO_GEOCODER
    from geopy.location import Location

    class FakeGeocoder:
        def __init__(self, user_agent):
            pass

        def geocode(self, address, timeout):
            return Location(address, (45.764, 4.8357), {}) if "Lyon" in address else None

    monkeypatch.setitem(SERVICE_TO_GEOCODER, "fake", FakeGeocoder)
    client = await aiohttp_client(make_app(geocoder="fake"))
    owner = await make_person(client, Role.restaurateur)
    body = restaurant_body(address="Place Bellecour, Lyon")
    del body["position"]
    response = await client.post("/api/v1/restaurants", json=body, headers=owner.headers)
    assert (await response.json())["position"] == {"lat": 45.764, "lng": 4.8357}
    body["address"] = "Nowhere at all"
    response = await client.post("/api/v1/restaurants", json=body, headers=owner.headers)
    assert response.status == 422 and await fields_of(response) == {"address"}


async def test_an_unknown_or_malformed_restaurant_id_is_404(client):
    assert (await client.get("/api/v1/restaurants/00000000-0000-0000-0000-000000000000")).status == 404
    assert (await client.get("/api/v1/restaurants/not-a-uuid")).status == 404
