"""Orders over real Socket.IO clients: across nodes, with replay, to kitchens, never to strangers."""
import pytest

from tests.support.catalogue_factories import make_shop, placed_order
from tests.support.factories import make_person
from tests.support.sockets import connect_as, start_node


@pytest.fixture
async def nodes(aiohttp_server, aiohttp_client, make_app):
    """Two nodes sharing Postgres and Redis, as behind a load balancer."""
    a = await start_node(aiohttp_server, aiohttp_client, make_app, node_id="node-a")
    b = await start_node(aiohttp_server, aiohttp_client, make_app, node_id="node-b")
    return a, b


async def accept(client, shop, order, minutes=10):
    response = await client.post(f"/api/v1/orders/{order['id']}/accept", json={"prep_minutes": minutes},
                                 headers=shop.owner.headers)
    assert response.status == 200, await response.text()


async def test_an_acceptance_made_on_node_a_reaches_the_customers_socket_on_node_b(nodes):
    (client_a, _), (_, url_b) = nodes
    shop, customer = await make_shop(client_a), await make_person(client_a)
    order = await placed_order(client_a, customer, shop)
    socket = await connect_as(customer, url_b)
    try:
        ack = await socket.call("subscribe", {"order_id": order["id"], "after_seq": 1})
        assert ack["ok"], ack
        await accept(client_a, shop, order)
        event = await socket.next_event("order.accepted")
        assert (event["seq"], event["data"]["status"], event["data"]["prep_minutes"]) == (2, "accepted", 10)
        assert event["id"] == order["id"]
    finally:
        await socket.close()


async def test_a_new_order_reaches_the_kitchen_socket_of_its_restaurant_only(nodes):
    (client_a, _), (_, url_b) = nodes
    shop, other, customer = await make_shop(client_a), await make_shop(client_a), await make_person(client_a)
    kitchen, elsewhere = await connect_as(shop.owner, url_b), await connect_as(other.owner, url_b)
    try:
        order = await placed_order(client_a, customer, shop)
        created = await kitchen.next_event("order.created")
        assert (created["id"], created["seq"], created["data"]["total_cents"]) == (order["id"], 1, 2824)
        await client_a.post(f"/api/v1/orders/{order['id']}/cancel", headers=customer.headers)
        cancelled = await kitchen.next_event("order.cancelled")
        assert cancelled["seq"] == 2
        assert [name for name, _ in elsewhere.received if name.startswith("order.")] == []
    finally:
        await kitchen.close()
        await elsewhere.close()


async def test_a_customer_back_after_a_disconnect_gets_exactly_the_missed_events_in_order(nodes):
    (client_a, url_a), (_, url_b) = nodes
    shop, customer = await make_shop(client_a), await make_person(client_a)
    order = await placed_order(client_a, customer, shop)
    first = await connect_as(customer, url_a)
    assert (await first.call("subscribe", {"order_id": order["id"], "after_seq": 1}))["ok"]
    await accept(client_a, shop, order)
    seen = await first.next_event("order.accepted")
    await first.close()
    for action in ("preparing", "ready"):  # while the customer is away
        await client_a.post(f"/api/v1/orders/{order['id']}/{action}", headers=shop.owner.headers)
    back = await connect_as(customer, url_b)
    try:
        ack = await back.call("subscribe", {"order_id": order["id"], "after_seq": seen["seq"]})
        assert ack["ok"] and ack["last_seq"] == 4
        replayed = [await back.next_event() for _ in range(2)]
        assert [(e["seq"], e["type"]) for e in replayed] == [(3, "order.preparing"), (4, "order.ready")]
        await client_a.post(f"/api/v1/orders/{order['id']}/cancel",
                            headers=(await make_person(client_a, "sales")).headers)
        await back.next_event("order.cancelled")
        order_events = [(e["seq"], e["type"]) for name, e in back.received if name == "order.updated"]
        assert order_events == [(3, "order.preparing"), (4, "order.ready"), (5, "order.cancelled")]
    finally:
        await back.close()


async def test_a_customer_cannot_subscribe_to_another_customers_order(nodes):
    (client_a, url_a), _ = nodes
    shop, owner, stranger = await make_shop(client_a), await make_person(client_a), await make_person(client_a)
    order = await placed_order(client_a, owner, shop)
    socket = await connect_as(stranger, url_a)
    try:
        ack = await socket.call("subscribe", {"order_id": order["id"], "after_seq": 0})
        assert ack == {"ok": False, "error": "not-found", "detail": "nothing to follow here"}
        await accept(client_a, shop, order)
        assert [name for name, _ in socket.received if name.startswith("order.")] == []
    finally:
        await socket.close()


async def test_the_customer_is_notified_live_of_the_acceptance(nodes):
    (client_a, _), (_, url_b) = nodes
    shop, customer = await make_shop(client_a), await make_person(client_a)
    order = await placed_order(client_a, customer, shop)
    socket = await connect_as(customer, url_b)
    try:
        await accept(client_a, shop, order, minutes=25)
        note = await socket.next_event("notification")
        assert note["data"]["title"] == "Commande acceptée"
        assert shop.id and "prépare votre commande" in note["data"]["body"]
    finally:
        await socket.close()
