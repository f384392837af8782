"""Location privacy: an order's people see its courier only while that courier carries it."""
import pytest

from domain.roles import Role
from server.live.publish import push
from tests.support.couriers import (accepted_order, courier_at, ctx_of, kitchen_ready, move, near, now_ms,
                                    offer_of)
from tests.support.factories import make_person
from tests.support.sockets import connect_as, start_node


@pytest.fixture
async def node(aiohttp_server, aiohttp_client, make_app):
    return await start_node(aiohttp_server, aiohttp_client, make_app)


async def following(url, customer, order) -> object:
    socket = await connect_as(customer, url)
    ack = await socket.call("subscribe", {"order_id": order["id"], "after_seq": order["seq"]})
    assert ack["ok"] is True, ack
    return socket


async def next_location_or_marker(client, socket, order) -> str:
    """What the order's room hears next: a courier position, or the marker sent after it."""
    await push(ctx_of(client), f"order:{order['id']}", "marker", {})
    while True:
        name, _ = await socket.events.get()
        if name in ("courier.location", "marker"):
            return name


async def tracking(client, order, person):
    return await client.get(f"/api/v1/orders/{order['id']}/tracking", headers=person.headers)


async def test_before_a_courier_takes_the_order_no_position_is_shown(node):
    client, url = node
    courier = await courier_at(client, near(200))
    order, _, customer = await accepted_order(client)
    socket = await following(url, customer, order)
    try:
        assert await offer_of(client, courier) is not None
        await move(client, courier, near(180), ts=now_ms() + 1000)
        assert await next_location_or_marker(client, socket, order) == "marker"
        assert (await tracking(client, order, customer)).status == 404
    finally:
        await socket.close()


async def test_while_the_courier_carries_the_order_its_customer_sees_them_move_with_an_eta(node):
    client, url = node
    courier = await courier_at(client, near(600))
    order, _, customer = await accepted_order(client)
    socket = await following(url, customer, order)
    try:
        offer = await offer_of(client, courier)
        await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/accept", headers=courier.headers)
        await move(client, courier, near(550), ts=now_ms() + 1000)
        pushed = await socket.next_event("courier.location")
        where = pushed["data"]
        assert abs(where["lat"] - near(550)["lat"]) < 1e-6 and where["phase"] == "to_restaurant"
        assert where["eta"]["to_restaurant_s"] > 0 and where["eta"]["to_customer_s"] > where["eta"]["to_restaurant_s"]
        answer = await tracking(client, order, customer)
        assert answer.status == 200
        assert (await answer.json())["lat"] == where["lat"]
        stranger = await make_person(client, Role.customer)
        assert (await tracking(client, order, stranger)).status == 404
    finally:
        await socket.close()


async def test_once_delivered_the_courier_is_no_longer_shown(node):
    client, url = node
    courier = await courier_at(client, near(300))
    order, shop, customer = await accepted_order(client)
    offer = await offer_of(client, courier)
    delivery = await (await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/accept",
                                        headers=courier.headers)).json()
    await kitchen_ready(client, order["id"], shop)
    await client.post(f"/api/v1/deliveries/{delivery['id']}/pickup", json={"code": delivery["pickup_code"]["code"]},
                      headers=shop.owner.headers)
    code = await (await client.get(f"/api/v1/orders/{order['id']}/delivery-code", headers=customer.headers)).json()
    done = await client.post(f"/api/v1/deliveries/{delivery['id']}/deliver", json={"code": code["code"]},
                             headers=courier.headers)
    assert done.status == 200
    refreshed = await (await client.get(f"/api/v1/orders/{order['id']}", headers=customer.headers)).json()
    socket = await following(url, customer, refreshed)
    try:
        await move(client, courier, near(250), ts=now_ms() + 2000)
        assert await next_location_or_marker(client, socket, order) == "marker"
        assert (await tracking(client, order, customer)).status == 404
        gone = await client.get(f"/api/v1/orders/{order['id']}/delivery-code", headers=customer.headers)
        assert gone.status == 404
    finally:
        await socket.close()


async def test_a_delivery_is_followed_live_by_its_courier_and_never_by_a_stranger(node):
    client, url = node
    courier = await courier_at(client, near(300))
    await accepted_order(client)
    offer = await offer_of(client, courier)
    await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/accept", headers=courier.headers)
    stranger = await courier_at(client, near(100))
    mine, theirs = await connect_as(courier, url), await connect_as(stranger, url)
    try:
        assert (await mine.call("subscribe", {"delivery_id": offer["delivery_id"], "after_seq": 0}))["ok"] is True
        assigned = await mine.next_event("delivery.updated")
        assert assigned["type"] in ("delivery.searching", "delivery.assigned")
        refused = await theirs.call("subscribe", {"delivery_id": offer["delivery_id"], "after_seq": 0})
        assert refused["ok"] is False and refused["error"] == "not-found"
    finally:
        await mine.close()
        await theirs.close()
