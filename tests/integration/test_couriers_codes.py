"""Pick-up and delivery codes: checked, limited, and the right one moves the order along."""
import uuid

from domain.codes import MAX_ATTEMPTS
from domain.roles import Role
from server.couriers import codes
from tests.support.catalogue import problem
from tests.support.couriers import (accepted_order, courier_at, ctx_of, delivery_of, free_couriers,
                                    kitchen_ready, near, offer_of)
from tests.support.factories import make_person


async def assigned(client):
    """An order accepted, ready in the kitchen, and its delivery taken by a courier."""
    courier = await courier_at(client, near(150))
    order, shop, customer = await accepted_order(client)
    offer = await offer_of(client, courier)
    taken = await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/accept", headers=courier.headers)
    assert taken.status == 200
    await kitchen_ready(client, order["id"], shop)
    return order, shop, customer, courier, await taken.json()


async def customer_code(client, order, customer) -> dict:
    response = await client.get(f"/api/v1/orders/{order['id']}/delivery-code", headers=customer.headers)
    assert response.status == 200, await response.text()
    return await response.json()


def wrong(code: str) -> str:
    digits = code.replace(" ", "")
    return f"{(int(digits) + 1) % 1_000_000:06d}"


async def test_the_restaurant_checks_the_couriers_pickup_code_and_the_order_leaves(client):
    order, shop, customer, courier, delivery = await assigned(client)
    code = delivery["pickup_code"]
    assert code["qr_svg"].startswith("<svg") and code["qr_payload"].startswith("cesieats:pickup:")
    kitchen_view = await delivery_of(client, order["id"], shop.owner)
    assert "pickup_code" not in kitchen_view  # the party that checks it never receives it
    response = await client.post(f"/api/v1/deliveries/{delivery['id']}/pickup", json={"qr": code["qr_payload"]},
                                 headers=shop.owner.headers)
    assert response.status == 200, await response.text()
    assert (await response.json())["status"] == "picked_up"
    seen = await (await client.get(f"/api/v1/orders/{order['id']}", headers=customer.headers)).json()
    assert seen["status"] == "picked_up"


async def test_the_courier_delivers_with_the_customers_code_and_the_payment_is_captured(client):
    order, shop, customer, courier, delivery = await assigned(client)
    pickup = await client.post(f"/api/v1/deliveries/{delivery['id']}/pickup",
                               json={"code": delivery["pickup_code"]["code"]}, headers=courier.headers)
    assert pickup.status == 200, await pickup.text()
    code = await customer_code(client, order, customer)
    assert code["qr_payload"] == f"cesieats:delivery:{order['id']}:{code['code'].replace(' ', '')}"
    response = await client.post(f"/api/v1/deliveries/{delivery['id']}/deliver", json={"code": code["code"]},
                                 headers=courier.headers)
    assert response.status == 200, await response.text()
    assert (await response.json())["status"] == "delivered"
    seen = await (await client.get(f"/api/v1/orders/{order['id']}", headers=customer.headers)).json()
    assert seen["status"] == "delivered"
    captured = await ctx_of(client).db.fetchval("SELECT captured_at FROM orders WHERE id = $1",
                                                uuid.UUID(order["id"]))
    assert captured is not None
    assert str(courier.id) in await free_couriers(client)  # back in the pool for the next one


async def test_a_wrong_code_is_refused_and_changes_nothing(client):
    order, shop, customer, courier, delivery = await assigned(client)
    response = await client.post(f"/api/v1/deliveries/{delivery['id']}/pickup",
                                 json={"code": wrong(delivery["pickup_code"]["code"])}, headers=shop.owner.headers)
    assert response.status == 422
    body = await problem(response)
    assert body["type"].endswith("/wrong-code") and body["attempts_left"] == MAX_ATTEMPTS - 1
    assert (await delivery_of(client, order["id"], customer))["status"] == "assigned"


async def test_after_five_wrong_codes_even_the_right_one_is_refused(client):
    order, shop, customer, courier, delivery = await assigned(client)
    url = f"/api/v1/deliveries/{delivery['id']}/pickup"
    bad = wrong(delivery["pickup_code"]["code"])
    statuses = [(await client.post(url, json={"code": bad}, headers=shop.owner.headers)).status
                for _ in range(MAX_ATTEMPTS)]
    assert statuses == [422] * MAX_ATTEMPTS
    locked = await client.post(url, json={"code": delivery["pickup_code"]["code"]}, headers=shop.owner.headers)
    assert locked.status == 409
    assert (await problem(locked))["type"].endswith("/code-locked")


async def test_a_qr_code_of_another_kind_or_order_is_refused(client):
    order, shop, customer, courier, delivery = await assigned(client)
    own = await customer_code(client, order, customer)
    response = await client.post(f"/api/v1/deliveries/{delivery['id']}/pickup", json={"qr": own["qr_payload"]},
                                 headers=shop.owner.headers)
    assert response.status == 422
    assert (await problem(response))["type"].endswith("/wrong-qr")


async def test_the_delivery_code_is_the_customers_alone(client):
    order, shop, customer, courier, delivery = await assigned(client)
    for person in (courier, shop.owner, await make_person(client, Role.customer)):
        response = await client.get(f"/api/v1/orders/{order['id']}/delivery-code", headers=person.headers)
        assert response.status in (403, 404)
    assert "delivery" not in str(delivery.get("pickup_code"))  # the courier holds only the pickup code


async def test_a_courier_cannot_act_on_another_couriers_delivery(client):
    order, shop, customer, courier, delivery = await assigned(client)
    intruder = await courier_at(client, near(50))
    for action, code in (("pickup", delivery["pickup_code"]["code"]), ("deliver", "000000")):
        response = await client.post(f"/api/v1/deliveries/{delivery['id']}/{action}", json={"code": code},
                                     headers=intruder.headers)
        assert response.status == 404
    peek = await client.get(f"/api/v1/deliveries/{delivery['id']}", headers=intruder.headers)
    assert peek.status == 404
    assert (await delivery_of(client, order["id"], customer))["status"] == "assigned"


async def test_codes_are_stored_only_as_hashes_and_differ_between_deliveries(client):
    first = await assigned(client)
    second = await assigned(client)
    ctx = ctx_of(client)
    rows = await ctx.db.fetch("SELECT * FROM deliveries")
    shown = {first[4]["pickup_code"]["code"].replace(" ", ""), second[4]["pickup_code"]["code"].replace(" ", "")}
    assert len(shown) == 2
    for row in rows:
        stored = " ".join(str(value) for value in dict(row).values())
        assert not any(code in stored for code in shown)
        assert codes.view(ctx.settings, row, "pickup").code.replace(" ", "") in shown
