"""Placing an order through the API: priced by the server, paid first, placed once."""
import asyncio
import uuid

from domain.roles import Role
from tests.support.catalogue_factories import (
    FAR_AWAY, HOME, burger_line, make_shop, menu_line, order_body, place, placed_order,
)
from server.keys import CONTEXT
from tests.support.factories import make_person


async def problem(response) -> dict:
    assert response.content_type == "application/problem+json", await response.text()
    return await response.json(content_type="application/problem+json")


async def count(client, sql, *args):
    return await client.app[CONTEXT].db.fetchval(sql, *args)


async def test_the_server_prices_items_options_menus_and_fees_and_ignores_client_prices(client):
    shop, customer = await make_shop(client), await make_person(client)
    lines = [burger_line(shop, 2, cheese=True), menu_line(shop)]
    response = await client.post("/api/v1/orders/quote", headers=customer.headers, json={
        "restaurant_id": shop.id, "lines": lines, "delivery": HOME})
    assert response.status == 200, await response.text()
    quote = await response.json()
    # 2 x (12.50 + 1.50 cheddar) + 16.90 menu = 44.90; under 2 km: 1.99; 5 % service: 2.25
    assert (quote["items_cents"], quote["delivery_fee_cents"], quote["service_fee_cents"]) == (4490, 199, 225)
    assert quote["total_cents"] == 4914 and quote["credit_cents"] == 0
    assert [line["name"] for line in quote["lines"]] == ["Burger", "Menu Burger"]
    assert quote["lines"][0]["options"][0]["name"] == "Cheddar"
    order = await placed_order(client, customer, shop, lines=lines)
    assert (order["status"], order["total_cents"], order["seq"]) == ("placed", 4914, 1)
    assert order["lines"][1]["choices"][1]["name"] == "Cola"


async def test_a_price_sent_by_the_client_is_refused_as_an_unknown_field(client):
    shop, customer = await make_shop(client), await make_person(client)
    line = {**burger_line(shop), "unit_price_cents": 1}
    response = await place(client, customer, shop, lines=[line])
    assert response.status == 422
    assert await count(client, "SELECT count(*) FROM orders") == 0


async def test_a_placed_order_is_held_on_the_card_and_shown_to_its_customer(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    assert order["total_cents"] == 2500 + 199 + 125
    held = await count(client, "SELECT amount_cents FROM payments WHERE order_id = $1 AND operation = 'authorize'"
                       " AND succeeded", uuid.UUID(order["id"]))
    assert held == order["total_cents"]
    response = await client.get(f"/api/v1/orders/{order['id']}", headers=customer.headers)
    shown = await response.json()
    assert (shown["status"], shown["note"], shown["delivery"]["address"]) == ("placed", "Sonnez deux fois", HOME["address"])
    assert shown["actions"] == ["edit", "cancel"]


async def test_a_declined_card_leaves_no_order_and_a_new_card_then_works(client):
    shop, customer = await make_shop(client), await make_person(client)
    key = str(uuid.uuid4())
    declined = await place(client, customer, shop, key=key, payment_token="tok_sandbox_declined")
    assert declined.status == 402
    assert (await problem(declined))["type"].endswith("card-declined")
    assert await count(client, "SELECT count(*) FROM orders") == 0
    assert await count(client, "SELECT count(*) FROM outbox WHERE aggregate = 'order'") == 0
    retried = await place(client, customer, shop, key=str(uuid.uuid4()))
    assert retried.status == 201


async def test_concurrent_retries_with_one_idempotency_key_make_one_order_and_one_hold(client):
    shop, customer = await make_shop(client), await make_person(client)
    key = str(uuid.uuid4())
    responses = await asyncio.gather(*(place(client, customer, shop, key=key) for _ in range(5)))
    assert [r.status for r in responses] == [201] * 5
    ids = {(await r.json())["id"] for r in responses}
    assert len(ids) == 1
    assert await count(client, "SELECT count(*) FROM orders") == 1
    assert await count(client, "SELECT count(*) FROM payments WHERE operation = 'authorize'") == 1
    assert await count(client, "SELECT count(*) FROM sandbox_charges") == 1


async def test_a_closed_restaurant_takes_no_order(client):
    shop, customer = await make_shop(client, is_open=False), await make_person(client)
    response = await place(client, customer, shop)
    assert response.status == 409
    assert (await problem(response))["type"].endswith("restaurant-closed")
    assert await count(client, "SELECT count(*) FROM sandbox_charges") == 0


async def test_a_restaurant_outside_its_hours_takes_no_order(client):
    closed_week = {"days": [[] for _ in range(7)]}
    shop, customer = await make_shop(client, hours=closed_week), await make_person(client)
    response = await place(client, customer, shop)
    assert response.status == 409


async def test_an_address_beyond_the_delivery_radius_is_refused(client):
    shop, customer = await make_shop(client), await make_person(client)
    response = await place(client, customer, shop, delivery={"address": "Lyon", "position": FAR_AWAY})
    assert response.status == 409
    assert (await problem(response))["type"].endswith("outside-delivery-area")


async def test_a_deleted_restaurant_is_not_found(client):
    shop, customer = await make_shop(client), await make_person(client)
    deleted = await client.delete(f"/api/v1/restaurants/{shop.id}", headers=shop.owner.headers)
    assert deleted.status == 204
    response = await place(client, customer, shop)
    assert response.status == 404


async def test_a_sold_out_article_or_another_restaurants_article_is_refused_by_line(client):
    shop, other, customer = await make_shop(client), await make_shop(client), await make_person(client)
    await client.patch(f"/api/v1/restaurants/{shop.id}/articles/{shop.fries['id']}",
                       json={"available": False}, headers=shop.owner.headers)
    fries = {"kind": "article", "item_id": shop.fries["id"]}
    foreign = {"kind": "article", "item_id": other.burger["id"]}
    response = await place(client, customer, shop, lines=[burger_line(shop), fries, foreign])
    assert response.status == 422
    fields = {e["field"] for e in (await problem(response))["errors"]}
    assert fields == {"lines.1.item_id", "lines.2.item_id"}


async def test_a_card_number_is_refused_before_anything_is_held(client):
    shop, customer = await make_shop(client), await make_person(client)
    response = await place(client, customer, shop, payment_token="4242424242424242")
    assert response.status == 422
    assert await count(client, "SELECT count(*) FROM payments") == 0


async def test_referral_credit_lowers_the_total_and_is_spent_once(client):
    shop, customer = await make_shop(client), await make_person(client)
    await client.app[CONTEXT].db.execute("UPDATE users SET credit_cents = 500 WHERE id = $1", customer.id)
    order = await placed_order(client, customer, shop)
    assert (order["credit_cents"], order["total_cents"]) == (500, 2824 - 500)
    assert await count(client, "SELECT credit_cents FROM users WHERE id = $1", customer.id) == 0
    second = await placed_order(client, customer, shop)
    assert (second["credit_cents"], second["total_cents"]) == (0, 2824)


async def test_snapshot_prices_and_names_survive_a_menu_edit(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    edited = await client.patch(f"/api/v1/restaurants/{shop.id}/articles/{shop.burger['id']}",
                                json={"name": "Burger Deluxe", "price_cents": 2000}, headers=shop.owner.headers)
    assert edited.status == 200
    shown = await (await client.get(f"/api/v1/orders/{order['id']}", headers=customer.headers)).json()
    assert (shown["lines"][0]["name"], shown["lines"][0]["unit_price_cents"]) == ("Burger", 1250)
    assert shown["total_cents"] == order["total_cents"]


async def test_only_customers_place_orders(client):
    shop = await make_shop(client)
    response = await client.post("/api/v1/orders", json=order_body(shop), headers=shop.owner.headers)
    assert response.status == 403
    courier = await make_person(client, Role.courier)
    assert (await client.post("/api/v1/orders", json=order_body(shop), headers=courier.headers)).status == 403


async def test_a_hold_is_voided_when_the_order_cannot_be_written_after_paying(client, monkeypatch):
    shop, customer = await make_shop(client), await make_person(client)
    from server.orders import placing

    async def broken(*args, **kwargs):
        raise RuntimeError("the database went away mid-transaction")
    monkeypatch.setattr(placing, "followed_up", broken)
    response = await place(client, customer, shop, key=str(uuid.uuid4()))
    assert response.status == 500
    assert await count(client, "SELECT count(*) FROM orders") == 0
    operations = await client.app[CONTEXT].db.fetch(
        "SELECT operation FROM payments WHERE succeeded ORDER BY created_at, operation")
    assert [r["operation"] for r in operations] == ["authorize", "void"]


async def test_a_repeat_gets_the_answer_kept_with_the_order(client):
    shop, customer = await make_shop(client), await make_person(client)
    key = str(uuid.uuid4())
    first = await place(client, customer, shop, key=key)
    again = await place(client, customer, shop, key=key)
    assert (first.status, again.status) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert await again.json() == await first.json()
    assert await count(client, "SELECT count(*) FROM orders") == 1


async def test_an_order_rolled_back_keeps_no_answer_and_its_retry_places_it(client, monkeypatch):
    shop, customer = await make_shop(client), await make_person(client)
    from server.orders import placing

    real = placing.followed_up

    async def broken(*args, **kwargs):
        raise RuntimeError("the database went away mid-transaction")
    monkeypatch.setattr(placing, "followed_up", broken)
    key = str(uuid.uuid4())
    assert (await place(client, customer, shop, key=key)).status == 500
    monkeypatch.setattr(placing, "followed_up", real)
    retried = await place(client, customer, shop, key=key)
    assert retried.status == 201, await retried.text()
    assert "Idempotent-Replayed" not in retried.headers
    assert await count(client, "SELECT count(*) FROM orders") == 1
