"""Reading orders back: each role's history, the event log, receipts, ratings, notifications."""
import uuid

from domain.accounts import Principal
from domain.roles import Role
from server.keys import CONTEXT
from server.orders.handover import assign_courier, mark_delivered, mark_picked_up
from tests.support.catalogue_factories import make_shop, placed_order
from tests.support.factories import make_person


async def get(client, path, person):
    response = await client.get(path, headers=person.headers)
    assert response.status == 200, await response.text()
    return await response.json()


async def deliver(client, shop, order, courier):
    for action, body in (("accept", {"prep_minutes": 10}), ("preparing", None), ("ready", None)):
        await client.post(f"/api/v1/orders/{order['id']}/{action}", json=body, headers=shop.owner.headers)
    ctx, order_id = client.app[CONTEXT], uuid.UUID(order["id"])
    async with ctx.db.acquire() as conn, conn.transaction():
        await assign_courier(conn, order_id, courier.id)
    as_courier = Principal(user_id=courier.id, role=Role.courier)
    await mark_picked_up(ctx, order_id, as_courier)
    await mark_delivered(ctx, order_id, as_courier)


async def test_each_role_lists_its_own_orders_newest_first_page_by_page(client):
    shop, other_shop = await make_shop(client), await make_shop(client)
    alice, bob = await make_person(client), await make_person(client)
    mine = [await placed_order(client, alice, shop) for _ in range(3)]
    theirs = await placed_order(client, bob, other_shop)
    first = await get(client, "/api/v1/orders?limit=2", alice)
    second = await get(client, f"/api/v1/orders?limit=2&cursor={first['next_cursor']}", alice)
    listed = [o["id"] for o in first["items"] + second["items"]]
    assert listed == [o["id"] for o in reversed(mine)] and second["next_cursor"] is None
    kitchen = await get(client, "/api/v1/orders", shop.owner)
    assert {o["id"] for o in kitchen["items"]} == {o["id"] for o in mine}
    staff = await get(client, "/api/v1/orders", await make_person(client, Role.tech))
    assert {o["id"] for o in staff["items"]} == {o["id"] for o in mine} | {theirs["id"]}
    courier = await get(client, "/api/v1/orders", await make_person(client, Role.courier))
    assert courier["items"] == []


async def test_the_kitchen_filters_its_list_by_status(client):
    shop, customer = await make_shop(client), await make_person(client)
    waiting, accepted = await placed_order(client, customer, shop), await placed_order(client, customer, shop)
    await client.post(f"/api/v1/orders/{accepted['id']}/accept", json={"prep_minutes": 5}, headers=shop.owner.headers)
    listed = await get(client, "/api/v1/orders?status=placed", shop.owner)
    assert [o["id"] for o in listed["items"]] == [waiting["id"]]
    assert listed["items"][0]["actions"] == ["accept", "refuse"]
    bad = await client.get("/api/v1/orders?status=lost", headers=shop.owner.headers)
    assert bad.status == 422


async def test_every_change_writes_an_outbox_event_with_gapless_seq(client):
    shop, customer, courier = await make_shop(client), await make_person(client), await make_person(client, Role.courier)
    order = await placed_order(client, customer, shop)
    await client.patch(f"/api/v1/orders/{order['id']}", json={"note": "Porte B"}, headers=customer.headers)
    await deliver(client, shop, order, courier)
    events = (await get(client, f"/api/v1/orders/{order['id']}/events", customer))["items"]
    assert [e["seq"] for e in events] == list(range(1, 8))
    assert [e["type"] for e in events] == [
        "order.created", "order.updated", "order.accepted", "order.preparing", "order.ready",
        "order.picked_up", "order.delivered"]
    assert [e["data"]["status"] for e in events][-1] == "delivered"
    assert all(e["data"]["restaurant_id"] == shop.id for e in events)
    seq = await client.app[CONTEXT].db.fetchval("SELECT seq FROM orders WHERE id = $1", uuid.UUID(order["id"]))
    assert seq == 7
    after = (await get(client, f"/api/v1/orders/{order['id']}/events?after=5", customer))["items"]
    assert [e["seq"] for e in after] == [6, 7]


async def test_a_delivered_order_is_rated_once_and_the_rating_shows_on_the_order(client):
    shop, customer, courier = await make_shop(client), await make_person(client), await make_person(client, Role.courier)
    order = await placed_order(client, customer, shop)
    rating = {"restaurant_score": 5, "courier_score": 4, "comment": " Très bon "}
    early = await client.post(f"/api/v1/orders/{order['id']}/rating", json=rating, headers=customer.headers)
    assert early.status == 409
    await deliver(client, shop, order, courier)
    first = await client.post(f"/api/v1/orders/{order['id']}/rating", json=rating, headers=customer.headers)
    assert first.status == 201, await first.text()
    again = await client.post(f"/api/v1/orders/{order['id']}/rating", json=rating, headers=customer.headers)
    assert again.status == 409
    shown = await get(client, f"/api/v1/orders/{order['id']}", customer)
    assert (shown["rating"]["restaurant_score"], shown["rating"]["comment"]) == (5, "Très bon")


async def test_scores_outside_one_to_five_are_refused(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    response = await client.post(f"/api/v1/orders/{order['id']}/rating", json={"restaurant_score": 6},
                                 headers=customer.headers)
    assert response.status == 422


async def test_a_receipt_lists_the_lines_the_fees_and_the_money_moved(client):
    shop, customer, courier = await make_shop(client), await make_person(client), await make_person(client, Role.courier)
    order = await placed_order(client, customer, shop)
    await deliver(client, shop, order, courier)
    receipt = await get(client, f"/api/v1/orders/{order['id']}/receipt", customer)
    assert receipt["order"]["total_cents"] == 2824
    assert [(p["operation"], p["amount_cents"]) for p in receipt["payments"]] == [("authorize", 2824), ("capture", 2824)]
    assert receipt["restaurant_address"] == "Place de l'Hôtel de Ville"


async def test_the_customer_hears_of_every_change_and_the_kitchen_of_new_and_cancelled_orders(client):
    shop, customer = await make_shop(client), await make_person(client)
    first = await placed_order(client, customer, shop)
    await client.post(f"/api/v1/orders/{first['id']}/accept", json={"prep_minutes": 5}, headers=shop.owner.headers)
    second = await placed_order(client, customer, shop)
    await client.post(f"/api/v1/orders/{second['id']}/cancel", headers=customer.headers)
    told = await client.app[CONTEXT].db.fetch(
        "SELECT user_id, kind FROM notifications ORDER BY created_at, kind")
    # only the order's own notices: the delivery side may add its own (a courier being sought)
    to_customer = [r["kind"] for r in told if r["user_id"] == customer.id and r["kind"].startswith("order.")]
    to_kitchen = [r["kind"] for r in told if r["user_id"] == shop.owner.id and r["kind"].startswith("order.")]
    assert to_customer == ["order.confirmed", "order.accepted", "order.confirmed", "order.cancelled"]
    assert to_kitchen == ["order.placed", "order.placed", "order.cancelled"]


async def test_a_customers_data_export_holds_their_orders(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    export = await get(client, "/api/v1/me/export", customer)
    assert [o["id"] for o in export["orders"]] == [order["id"]]
    assert export["orders"][0]["lines"][0]["name"] == "Burger"


async def test_restaurant_statistics_count_real_orders_and_leave_out_refused_ones(client):
    shop, customer = await make_shop(client), await make_person(client)
    kept, refused = await placed_order(client, customer, shop), await placed_order(client, customer, shop)
    await client.post(f"/api/v1/orders/{refused['id']}/refuse", json={"reason": "Fermé"}, headers=shop.owner.headers)
    stats = await get(client, f"/api/v1/restaurants/{shop.id}/stats", shop.owner)
    assert (stats["orders"], stats["revenue_cents"]) == (2, kept["items_cents"])


async def test_erasing_a_customer_blanks_their_addresses_and_notes_but_keeps_the_figures(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    from tests.support.factories import PASSWORD
    erased = await client.delete("/api/v1/me", json={"password": PASSWORD}, headers=customer.headers)
    assert erased.status in (200, 204), await erased.text()
    row = await client.app[CONTEXT].db.fetchrow(
        "SELECT delivery_address, delivery_lat, note, total_cents FROM orders WHERE id = $1", uuid.UUID(order["id"]))
    assert dict(row) == {"delivery_address": "", "delivery_lat": None, "note": "", "total_cents": 2824}
