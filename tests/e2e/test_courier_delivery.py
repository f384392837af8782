"""A delivery from end to end across two nodes: order, offer, live positions, codes, payment."""
import time

import pytest

from domain.roles import Role
from tests.support.catalogue_factories import make_shop, placed_order
from tests.support.couriers import kitchen_ready, near
from tests.support.factories import make_person
from tests.support.sockets import connect_as, start_node


@pytest.fixture
async def nodes(aiohttp_server, aiohttp_client, make_app):
    """Two nodes sharing Postgres and Redis, as behind a load balancer."""
    a = await start_node(aiohttp_server, aiohttp_client, make_app, node_id="node-a")
    b = await start_node(aiohttp_server, aiohttp_client, make_app, node_id="node-b")
    return a, b


async def ok(response, status=200) -> dict:
    assert response.status == status, await response.text()
    return await response.json() if status != 204 else {}


async def test_an_order_travels_from_the_kitchen_to_the_door_with_a_courier_on_another_node(nodes):
    (a, url_a), (b, url_b) = nodes
    shop = await make_shop(a)
    customer = await make_person(a, Role.customer)
    courier = await make_person(b, Role.courier)
    customer_socket, courier_socket = await connect_as(customer, url_a), await connect_as(courier, url_b)
    try:
        # the courier goes online on node B and streams a first position near the restaurant
        assert (await courier_socket.call("availability", {"online": True}))["ok"] is True
        start = time.time() * 1000
        assert await courier_socket.call("gps", {**near(-300), "ts": start}) == {"ok": True}

        # the customer orders and follows the order on node A; the restaurant accepts on node A
        order = await placed_order(a, customer, shop)
        ack = await customer_socket.call("subscribe", {"order_id": order["id"], "after_seq": order["seq"]})
        assert ack["ok"] is True
        await ok(await a.post(f"/api/v1/orders/{order['id']}/accept", json={"prep_minutes": 10},
                              headers=shop.owner.headers))

        # the offer reaches the courier's socket on node B, who accepts it there
        offer = (await courier_socket.next_event("delivery.offer"))["data"]
        assert offer["order_id"] == order["id"] and offer["pay_cents"] > 0
        taken = await courier_socket.call("offer.accept", {"delivery_id": offer["delivery_id"]})
        assert taken["ok"] is True, taken
        pickup_code = taken["delivery"]["pickup_code"]["code"]

        # fixes sent on node B reach the customer's socket on node A, with the ETA
        for step, metres in enumerate((-200, -100, 0), start=1):
            assert await courier_socket.call("gps", {**near(metres), "ts": start + step * 4000}) == {"ok": True}
            where = (await customer_socket.next_event("courier.location"))["data"]
            assert abs(where["lat"] - near(metres)["lat"]) < 1e-6
            assert where["eta"]["to_customer_s"] > 0

        # the kitchen gets the food ready and checks the courier's pickup code
        await kitchen_ready(a, order["id"], shop)
        await ok(await b.post(f"/api/v1/deliveries/{offer['delivery_id']}/pickup", json={"code": pickup_code},
                              headers=shop.owner.headers))
        assert await courier_socket.call("gps", {**near(150), "ts": start + 20_000}) == {"ok": True}
        assert (await customer_socket.next_event("courier.location"))["data"]["phase"] == "to_customer"

        # at the door, the courier types the customer's code
        code = await ok(await a.get(f"/api/v1/orders/{order['id']}/delivery-code", headers=customer.headers))
        done = await ok(await b.post(f"/api/v1/deliveries/{offer['delivery_id']}/deliver",
                                     json={"qr": code["qr_payload"]}, headers=courier.headers))
        assert done["status"] == "delivered"
        while (await customer_socket.next_event("order.updated"))["data"]["status"] != "delivered":
            pass
        seen = await ok(await a.get(f"/api/v1/orders/{order['id']}", headers=customer.headers))
        assert seen["status"] == "delivered"
        receipt = await ok(await a.get(f"/api/v1/orders/{order['id']}/receipt", headers=customer.headers))
        captured = [p for p in receipt["payments"] if p["operation"] == "capture" and p["succeeded"]]
        assert [p["amount_cents"] for p in captured] == [seen["total_cents"]]
        earnings = await ok(await b.get("/api/v1/courier/earnings", headers=courier.headers))
        assert earnings["deliveries"] == 1 and earnings["total_cents"] == offer["pay_cents"]
    finally:
        await customer_socket.close()
        await courier_socket.close()
