"""Redis restarts (every key lost) under a node and a worker in the middle of orders."""
from __future__ import annotations

import asyncio
import uuid

from domain.roles import Role
from tests.faults.clients import Follower, GpsStream
from tests.faults.cluster import eventually
from tests.support.catalogue_factories import make_shop, order_body, placed_order
from tests.support.couriers import courier_at, kitchen_ready, near
from tests.support.factories import make_person

DEADLINE = "10"  # ORDER_ACCEPT_TIMEOUT, the shortest allowed: one order's falls in the outage


async def status_of(stack, order_id: str) -> str:
    return await stack.fetchval("SELECT status FROM orders WHERE id = $1", uuid.UUID(order_id))


async def ready(api) -> bool:
    async with api.get("/readyz") as response:
        return response.status == 200


async def test_after_a_redis_restart_clients_mid_order_miss_no_event_and_the_node_serves_again(stack):
    node = await stack.node("a", ORDER_ACCEPT_TIMEOUT=DEADLINE)
    await stack.worker(ORDER_ACCEPT_TIMEOUT=DEADLINE)
    api = stack.api(node.url)
    shop = await make_shop(api)
    customer = await make_person(api, Role.customer)
    kitchen = await Follower(shop.owner.access_token, "kitchen").connect(node.url)
    follower = await Follower(customer.access_token, "customer").connect(node.url)
    # the kitchen screen follows no order: it hears its restaurant's room and reloads its list
    screen = await Follower(shop.owner.access_token, "kitchen screen").connect(node.url)
    stack.closers += [kitchen.close, follower.close, screen.close]

    # one order the kitchen is working on, one left waiting: its deadline falls in the outage
    cooking = await placed_order(api, customer, shop)
    waiting = await placed_order(api, customer, shop)
    for order in (cooking, waiting):
        await follower.follow(order["id"])
        await kitchen.follow(order["id"])
    async with api.post(f"/api/v1/orders/{cooking['id']}/accept", json={"prep_minutes": 10},
                        headers=shop.owner.headers) as response:
        assert response.status == 200, await response.text()
    await follower.until_seq(cooking["id"], 2)

    stack.redis.stop()
    # an order placed meanwhile fails cleanly (or is placed whole), and no node hangs
    key = str(uuid.uuid4())
    async with asyncio.timeout(20):
        async with api.post("/api/v1/orders", json=order_body(shop),
                            headers={**customer.headers, "Idempotency-Key": key}) as response:
            during, kind = response.status, response.content_type
        async with api.get("/readyz") as response:
            readiness = (response.status, await response.json())
    assert during == 201 or (during >= 500 and kind == "application/problem+json")
    assert readiness[0] == 503 and readiness[1]["redis"] != "ok"
    # the worker refuses the waiting order at its deadline with Postgres alone
    await eventually(lambda: _is(stack, waiting["id"], "refused"), "the refusal", timeout=20)

    stack.redis.start()
    await eventually(lambda: ready(api), "readiness after Redis came back", timeout=20)
    # both sockets get what happened during the outage, by seq, without reconnecting
    await follower.until_seq(waiting["id"], 2)
    await kitchen.until_seq(waiting["id"], 2)
    assert follower.connects == 1 and kitchen.connects == 1
    # the screen, whose room's messages were lost meanwhile, is told to reload what it holds
    await screen.until(lambda: screen.named("live.resumed"), "the notice to reload")
    async with api.get("/api/v1/orders?status=placed,accepted,preparing,ready",
                       headers=shop.owner.headers) as response:
        assert [o["id"] for o in (await response.json())["items"]] == [cooking["id"]]

    # the kitchen carries on, live again
    async with api.post(f"/api/v1/orders/{cooking['id']}/preparing", json={},
                        headers=shop.owner.headers) as response:
        assert response.status == 200, await response.text()
    await follower.until_seq(cooking["id"], 3)
    await kitchen.until_seq(cooking["id"], 3)
    # the customer's retry with the same key gets one order; it reaches the kitchen live
    async with api.post("/api/v1/orders", json=order_body(shop),
                        headers={**customer.headers, "Idempotency-Key": key}) as response:
        assert response.status in (200, 201), await response.text()
        retried = await response.json()
    await kitchen.until(lambda: retried["id"] in [d["id"] for d in kitchen.named("order.created")],
                        "the new order in the kitchen")

    for client in (follower, kitchen):
        assert client.taken[cooking["id"]] == [1, 2, 3]
        assert client.taken[waiting["id"]] == [1, 2]
        assert client.types[waiting["id"]] == ["order.created", "order.refused"]
    assert await stack.fetchval(
        "SELECT count(*) FROM orders WHERE customer_id = $1", customer.id) == 3
    assert await stack.fetchval(
        "SELECT count(*) FROM outbox WHERE aggregate = 'order' AND aggregate_id = $1"
        " AND type = 'order.refused'", uuid.UUID(waiting["id"])) == 1
    # the refused order's hold is voided once; the only holds left are the two live orders'
    assert await stack.fetchval(
        "SELECT count(*) FROM payments WHERE order_id = $1 AND operation IN ('void', 'refund')"
        " AND succeeded", uuid.UUID(waiting["id"])) == 1
    assert await stack.fetchval(
        "SELECT count(*) FROM sandbox_charges WHERE status = 'authorized'") == 2


async def _is(stack, order_id: str, status: str) -> bool:
    return await status_of(stack, order_id) == status


async def ok(request, status: int = 200):
    async with request as response:
        assert response.status == status, await response.text()
        return await response.json()


async def test_after_a_redis_restart_a_courier_mid_delivery_is_back_on_the_customers_map(stack):
    node = await stack.node("a")
    await stack.worker()
    api = stack.api(node.url)
    shop = await make_shop(api)
    customer = await make_person(api, Role.customer)
    courier = await courier_at(api, near(-300))
    buyer = await Follower(customer.access_token, "customer").connect(node.url)
    rider = await Follower(courier.access_token, "courier").connect(node.url)
    stack.closers += [buyer.close, rider.close]
    order = await placed_order(api, customer, shop)
    await buyer.follow(order["id"])
    await ok(api.post(f"/api/v1/orders/{order['id']}/accept", json={"prep_minutes": 10},
                      headers=shop.owner.headers))
    await rider.until(lambda: rider.named("delivery.offer"), "the offer")
    offer = rider.named("delivery.offer")[0]["data"]
    taken = await rider.sio.call("offer.accept", {"delivery_id": offer["delivery_id"]}, timeout=10)
    assert taken["ok"] is True, taken
    gps = GpsStream(rider, near(0))
    streaming = asyncio.create_task(gps.run())
    await buyer.until(lambda: buyer.named("courier.location"), "the courier on the map")

    stack.redis.stop()  # every key is lost: who is online, what each courier carries
    await eventually(lambda: _refused(gps), "a fix refused while Redis is away", timeout=20)
    stack.redis.start()
    await eventually(lambda: ready(api), "readiness after Redis came back", timeout=20)
    # the app streams on as it did: the customer sees the courier move again, by itself
    shown = len(buyer.named("courier.location"))
    await buyer.until(lambda: len(buyer.named("courier.location")) > shown,
                      "the courier on the map again")
    tracking = await ok(api.get(f"/api/v1/orders/{order['id']}/tracking", headers=customer.headers))
    assert tracking["delivery_id"] == offer["delivery_id"]

    await kitchen_ready(api, order["id"], shop)
    await ok(api.post(f"/api/v1/deliveries/{offer['delivery_id']}/pickup",
                      json={"code": taken["delivery"]["pickup_code"]["code"]},
                      headers=shop.owner.headers))
    code = await ok(api.get(f"/api/v1/orders/{order['id']}/delivery-code", headers=customer.headers))
    await ok(api.post(f"/api/v1/deliveries/{offer['delivery_id']}/deliver",
                      json={"qr": code["qr_payload"]}, headers=courier.headers))
    await buyer.until_seq(order["id"], 6)
    gps.halt.set()
    await streaming
    assert buyer.types[order["id"]][-1] == "order.delivered"


async def _refused(gps: GpsStream) -> bool:
    return bool(gps.refused)
