"""Nearby search: exactly the restaurants whose radius covers the position, nearest first."""
import random
import uuid

import asyncpg
from geopy.distance import geodesic

from domain.geo import bounding_box, Position
from domain.roles import Role
from server.catalogue.discovery_queries import NEARBY_SQL
from tests.support.catalogue import PARIS, fields_of, make_article, make_restaurant
from tests.support.factories import make_person

CLOSED = '{"days": [[], [], [], [], [], [], []]}'


async def insert_restaurants(database_url, owner_id, rows):
    """rows of (name, lat, lng, radius_m), inserted straight into the table."""
    conn = await asyncpg.connect(database_url)
    await conn.executemany(
        "INSERT INTO restaurants (id, owner_id, name, lat, lng, delivery_radius_m, avg_prep_minutes, hours, search)"
        f" VALUES ($1, $2, $3, $4, $5, $6, 20, '{CLOSED}', to_tsvector('simple', $3))",
        [(uuid.uuid4(), owner_id, *row) for row in rows])
    await conn.close()


async def every_page(client, url):
    items, cursor = [], ""
    while True:
        page = await (await client.get(url + cursor)).json()
        items += page["items"]
        if not page["next_cursor"]:
            return items
        cursor = f"&cursor={page['next_cursor']}"


async def test_the_search_matches_an_independent_geodesic_computation(client, database_url):
    owner = await make_person(client, Role.restaurateur)
    rng = random.Random(20250110)
    rows = [(f"R{i}", 48.70 + rng.random() * 0.32, 2.15 + rng.random() * 0.42, rng.randint(300, 12_000))
            for i in range(400)]
    await insert_restaurants(database_url, owner.id, rows)
    for _ in range(6):
        lat, lng = 48.75 + rng.random() * 0.2, 2.2 + rng.random() * 0.3
        expected = sorted((geodesic((lat, lng), (r_lat, r_lng)).meters, name)
                          for name, r_lat, r_lng, radius in rows
                          if geodesic((lat, lng), (r_lat, r_lng)).meters <= radius)
        found = await every_page(client, f"/api/v1/restaurants?lat={lat}&lng={lng}&limit=37")
        assert [r["name"] for r in found] == [name for _, name in expected]
        assert [r["distance_m"] for r in found] == [round(d) for d, _ in expected]
        assert len(found) > 20


async def test_a_position_just_inside_the_radius_is_served_and_just_outside_is_not(client):
    owner = await make_person(client, Role.restaurateur)
    await make_restaurant(client, owner, delivery_radius_m=1000)
    inside = geodesic(meters=999).destination((PARIS["lat"], PARIS["lng"]), bearing=40)
    outside = geodesic(meters=1001).destination((PARIS["lat"], PARIS["lng"]), bearing=40)
    near = await (await client.get(f"/api/v1/restaurants?lat={inside.latitude}&lng={inside.longitude}")).json()
    far = await (await client.get(f"/api/v1/restaurants?lat={outside.latitude}&lng={outside.longitude}")).json()
    assert [r["distance_m"] for r in near["items"]] == [999]
    assert far["items"] == []


async def test_radius_km_bounds_the_search_even_when_a_restaurant_delivers_farther(client):
    owner = await make_person(client, Role.restaurateur)
    await make_restaurant(client, owner, delivery_radius_m=10_000)
    there = geodesic(meters=4000).destination((PARIS["lat"], PARIS["lng"]), bearing=180)
    url = f"/api/v1/restaurants?lat={there.latitude}&lng={there.longitude}"
    assert len((await (await client.get(url)).json())["items"]) == 1
    assert (await (await client.get(url + "&radius_km=3.5")).json())["items"] == []


async def test_search_finds_a_name_or_a_dish_by_word_start_ignoring_case_and_accents(client):
    owner = await make_person(client, Role.restaurateur)
    crepes = await make_restaurant(client, owner, name="La Crêperie Bretonne", cuisines=["bretonne"])
    pizza = await make_restaurant(client, owner, name="Luigi", cuisines=["italienne"])
    await make_article(client, owner, pizza["id"], name="Pizza Reine")
    url = f"/api/v1/restaurants?lat={PARIS['lat']}&lng={PARIS['lng']}"

    async def names(query):
        return sorted(r["name"] for r in (await (await client.get(url + query)).json())["items"])
    assert await names("&q=CREPE") == [crepes["name"]]
    assert await names("&q=pizz") == ["Luigi"]
    assert await names("&q=reine%20pizza") == ["Luigi"]
    assert await names("&q=sushi") == []
    assert await names("&cuisine=Italienne") == ["Luigi"]
    assert await names("&q=%27%3A*%20%26%20!") == ["La Crêperie Bretonne", "Luigi"]  # no words: no filter


async def test_a_position_out_of_range_is_refused_clearly(client):
    response = await client.get("/api/v1/restaurants?lat=95&lng=2")
    assert response.status == 422 and await fields_of(response) == {"lat"}
    response = await client.get("/api/v1/restaurants?lng=2")
    assert response.status == 422 and await fields_of(response) == {"lat"}


async def test_the_nearby_query_reads_restaurants_through_the_position_index(client, database_url):
    owner = await make_person(client, Role.restaurateur)
    conn = await asyncpg.connect(database_url)
    await conn.execute(
        "INSERT INTO restaurants (owner_id, name, lat, lng, delivery_radius_m, avg_prep_minutes, hours, search)"
        f" SELECT $1, 'R' || i, 43 + random() * 6, -1 + random() * 7, 500 + (random() * 9500)::int, 20,"
        f" '{CLOSED}', to_tsvector('simple', 'r') FROM generate_series(1, 8000) i", owner.id)
    await conn.execute("ANALYZE restaurants")
    here = Position(lat=PARIS["lat"], lng=PARIS["lng"])
    plan = "\n".join(r[0] for r in await conn.fetch(
        "EXPLAIN " + NEARBY_SQL, *bounding_box(here, 10_000), here.lat, here.lng, 10_000.0, None, None))
    await conn.close()
    assert "restaurants_position" in plan, plan
    assert "Seq Scan on restaurants" not in plan, plan
