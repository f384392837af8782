"""Articles and menus through the API: validation, options, menu composition, sold out, menu page."""
import asyncpg
import pytest

from domain.roles import Role
from tests.support.catalogue import fields_of, make_article, make_restaurant, problem
from tests.support.factories import make_person

SIZE = {"name": "Taille", "min_choices": 1, "max_choices": 1, "options": [
    {"name": "Normale"}, {"name": "Grande", "price_delta_cents": 150}]}


@pytest.fixture
async def shop(client):
    owner = await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner)
    return owner, restaurant["id"], f"/api/v1/restaurants/{restaurant['id']}"


async def test_an_article_with_option_groups_is_created_and_listed_with_ids(client, shop):
    owner, rid, base = shop
    created = await make_article(client, owner, rid, name="Frites", category="side", price_cents=350,
                                 allergens=["gluten"], option_groups=[SIZE])
    listed = await (await client.get(base + "/articles")).json()
    assert [a["name"] for a in listed["items"]] == ["Frites"]
    group = listed["items"][0]["option_groups"][0]
    assert group["id"] == created["option_groups"][0]["id"]
    assert [(o["name"], o["price_delta_cents"]) for o in group["options"]] == [("Normale", 0), ("Grande", 150)]
    assert all(o["id"] for o in group["options"])


@pytest.mark.parametrize("changes, field", [
    ({"price_cents": -1}, "price_cents"),
    ({"name": "  "}, "name"),
    ({"category": "weapon"}, "category"),
    ({"option_groups": [{**SIZE, "max_choices": 3}]}, "option_groups.0.max_choices"),
    ({"option_groups": [{**SIZE, "min_choices": 2, "max_choices": 1}]}, "option_groups.0.min_choices"),
    ({"option_groups": [{**SIZE, "options": []}]}, "option_groups.0.options"),
    ({"option_groups": [{**SIZE, "options": [{"name": "A"}, {"name": "a"}]}]}, "option_groups.0.options.1.name"),
    ({"option_groups": [SIZE, SIZE]}, "option_groups.1.name"),
    ({"option_groups": [{**SIZE, "options": [{"name": "A", "price_delta_cents": -5}]}]},
     "option_groups.0.options.0.price_delta_cents"),
])
async def test_bad_articles_are_refused_and_nothing_is_added(client, database_url, shop, changes, field):
    owner, rid, base = shop
    response = await client.post(base + "/articles", json={"name": "Plat", "price_cents": 900, **changes},
                                 headers=owner.headers)
    assert response.status == 422
    assert field in await fields_of(response)
    conn = await asyncpg.connect(database_url)
    assert await conn.fetchval("SELECT count(*) FROM articles") == 0
    await conn.close()


async def test_a_price_change_is_seen_at_once_and_a_bad_one_changes_nothing(client, shop):
    owner, rid, base = shop
    article = await make_article(client, owner, rid)
    url = f"{base}/articles/{article['id']}"
    assert (await client.patch(url, json={"price_cents": 1400}, headers=owner.headers)).status == 200
    refused = await client.patch(url, json={"price_cents": -3, "name": "Gratuit"}, headers=owner.headers)
    assert refused.status == 422
    listed = (await (await client.get(base + "/articles")).json())["items"]
    assert [(a["name"], a["price_cents"]) for a in listed] == [("Burger", 1400)]


async def test_a_sold_out_article_leaves_the_customer_menu_until_it_is_back(client, shop):
    owner, rid, base = shop
    article = await make_article(client, owner, rid)
    url = f"{base}/articles/{article['id']}"
    await client.patch(url, json={"available": False}, headers=owner.headers)
    page = await (await client.get(base + "/menu")).json()
    assert page["categories"] == []
    await client.patch(url, json={"available": True}, headers=owner.headers)
    page = await (await client.get(base + "/menu")).json()
    assert [c["category"] for c in page["categories"]] == ["dish"]
    assert page["categories"][0]["articles"][0]["name"] == "Burger"


def menu_body(*slots, **changes):
    return {"name": "Menu midi", "price_cents": 1490, "slots": list(slots), **changes}


async def test_a_menu_offers_choices_among_the_restaurant_articles(client, shop):
    owner, rid, base = shop
    burger = await make_article(client, owner, rid)
    cola = await make_article(client, owner, rid, name="Cola", category="drink", price_cents=300)
    water = await make_article(client, owner, rid, name="Eau", category="drink", price_cents=200)
    body = menu_body({"name": "Plat", "article_ids": [burger["id"]]},
                           {"name": "Boisson", "article_ids": [cola["id"], water["id"]]})
    response = await client.post(base + "/menus", json=body, headers=owner.headers)
    assert response.status == 201, await response.text()
    page = await (await client.get(base + "/menu")).json()
    [menu] = page["menus"]
    assert (menu["name"], menu["price_cents"]) == ("Menu midi", 1490)
    assert [[c["name"] for c in s["choices"]] for s in menu["slots"]] == [["Burger"], ["Cola", "Eau"]]


async def test_a_menu_cannot_offer_another_restaurant_article_or_an_impossible_choice(client, shop):
    owner, rid, base = shop
    other = await make_restaurant(client, owner, name="Autre")
    foreign = await make_article(client, owner, other["id"], name="Ailleurs")
    mine = await make_article(client, owner, rid)
    body = menu_body({"name": "Plat", "article_ids": [foreign["id"]]},
                           {"name": "Deux", "min_choices": 2, "max_choices": 2, "article_ids": [mine["id"]]})
    response = await client.post(base + "/menus", json=body, headers=owner.headers)
    assert response.status == 422
    assert await fields_of(response) == {"slots.0.article_ids.0", "slots.1.max_choices"}
    assert (await (await client.get(base + "/menus")).json())["items"] == []


async def test_an_article_offered_by_a_menu_cannot_be_deleted_until_the_menu_drops_it(client, shop):
    owner, rid, base = shop
    burger = await make_article(client, owner, rid)
    salad = await make_article(client, owner, rid, name="Salade")
    created = await client.post(base + "/menus", headers=owner.headers,
                                json=menu_body({"name": "Plat", "article_ids": [burger["id"]]}))
    menu = await created.json()
    refused = await client.delete(f"{base}/articles/{burger['id']}", headers=owner.headers)
    assert refused.status == 409 and (await problem(refused))["menus"] == ["Menu midi"]
    patched = await client.patch(f"{base}/menus/{menu['id']}", headers=owner.headers,
                                 json={"slots": [{"name": "Plat", "article_ids": [salad["id"]]}]})
    assert patched.status == 200
    assert (await client.delete(f"{base}/articles/{burger['id']}", headers=owner.headers)).status == 204
    names = [a["name"] for a in (await (await client.get(base + "/articles")).json())["items"]]
    assert names == ["Salade"]


async def test_a_menu_whose_only_choice_is_sold_out_is_not_offered(client, shop):
    owner, rid, base = shop
    burger = await make_article(client, owner, rid)
    await client.post(base + "/menus", headers=owner.headers,
                      json=menu_body({"name": "Plat", "article_ids": [burger["id"]]}))
    await client.patch(f"{base}/articles/{burger['id']}", json={"available": False}, headers=owner.headers)
    assert (await (await client.get(base + "/menu")).json())["menus"] == []
    assert len((await (await client.get(base + "/menus")).json())["items"]) == 1


async def test_a_menu_is_deleted_by_its_owner_only(client, shop):
    owner, rid, base = shop
    rival = await make_person(client, Role.restaurateur)
    burger = await make_article(client, owner, rid)
    menu = await (await client.post(base + "/menus", headers=owner.headers, json=menu_body(
        {"name": "Plat", "article_ids": [burger["id"]]}))).json()
    url = f"{base}/menus/{menu['id']}"
    assert (await client.delete(url, headers=rival.headers)).status == 404
    assert (await client.patch(url, json={"price_cents": 1}, headers=rival.headers)).status == 404
    assert (await client.delete(url, headers=owner.headers)).status == 204
    assert (await client.delete(url, headers=owner.headers)).status == 404


async def test_articles_come_page_by_page_in_menu_order(client, shop):
    owner, rid, base = shop
    made = [(await make_article(client, owner, rid, name=f"Plat {i}"))["id"] for i in range(5)]
    seen, cursor = [], ""
    while True:
        page = await (await client.get(f"{base}/articles?limit=2{cursor}")).json()
        seen += [a["id"] for a in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert seen == made


async def test_a_forged_cursor_is_refused_clearly(client, shop):
    _, _, base = shop
    response = await client.get(base + "/articles?cursor=bm90LWEta2V5")
    assert response.status == 422 and await fields_of(response) == {"cursor"}
