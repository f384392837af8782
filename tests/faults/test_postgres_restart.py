"""Postgres restarts under a node and a worker in the middle of orders."""
from __future__ import annotations

import asyncio
import uuid

from domain.roles import Role
from tests.faults.clients import Follower
from tests.faults.cluster import eventually
from tests.support.catalogue_factories import make_shop, order_body, placed_order
from tests.support.factories import make_person

DEADLINE = "10"  # ORDER_ACCEPT_TIMEOUT, the shortest allowed: one order's falls after the restart
POOL_SIZE = 10   # server.db.pool's max_size: more requests than that must all succeed


async def answer(api, method: str, path: str, **options) -> tuple[int, str, object]:
    async with api.request(method, path, **options) as response:
        body = await response.json(content_type=None) if response.content_length != 0 else None
        return response.status, response.content_type, body


async def test_during_a_postgres_restart_requests_fail_cleanly_and_after_it_the_same_node_loses_nothing(
        stack):
    node = await stack.node("a", ORDER_ACCEPT_TIMEOUT=DEADLINE)
    await stack.worker(ORDER_ACCEPT_TIMEOUT=DEADLINE)
    api = stack.api(node.url)
    shop = await make_shop(api)
    customer = await make_person(api, Role.customer)
    follower = await Follower(customer.access_token, "customer").connect(node.url)
    stack.closers.append(follower.close)
    cooking = await placed_order(api, customer, shop)
    waiting = await placed_order(api, customer, shop)
    for order in (cooking, waiting):
        await follower.follow(order["id"])
    status, _, _ = await answer(api, "POST", f"/api/v1/orders/{cooking['id']}/accept",
                                json={"prep_minutes": 10}, headers=shop.owner.headers)
    assert status == 200
    await follower.until_seq(cooking["id"], 2)

    stack.postgres.stop("immediate")  # a crash: sessions cut, recovery at the next start
    key = str(uuid.uuid4())
    async with asyncio.timeout(20):  # answers, not hangs
        readiness = await answer(api, "GET", "/readyz")
        placing = await answer(api, "POST", "/api/v1/orders", json=order_body(shop),
                               headers={**customer.headers, "Idempotency-Key": key})
        reading = await answer(api, "GET", f"/api/v1/orders/{cooking['id']}", headers=customer.headers)
        ack = await follower.sio.call("subscribe", {"order_id": waiting["id"], "after_seq": 0},
                                      timeout=15)
    assert readiness[0] == 503 and readiness[2]["postgres"] != "ok" and readiness[2]["redis"] == "ok"
    for status, kind, body in (placing, reading):
        assert status in (500, 503) and kind == "application/problem+json", (status, body)
    assert ack["ok"] is False

    stack.postgres.start()
    await eventually(lambda: _ready(api), "readiness after Postgres came back", timeout=20)
    # the same node, not restarted, answers every request again: more than its pool holds
    statuses = [(await answer(api, "GET", f"/api/v1/orders/{cooking['id']}",
                              headers=customer.headers))[0] for _ in range(POOL_SIZE + 2)]
    assert statuses == [200] * (POOL_SIZE + 2)
    # the customer's retry with the same key places the order once
    status, _, retried = await answer(api, "POST", "/api/v1/orders", json=order_body(shop),
                                      headers={**customer.headers, "Idempotency-Key": key})
    assert status == 201, retried
    await follower.follow(retried["id"])
    status, _, _ = await answer(api, "POST", f"/api/v1/orders/{cooking['id']}/preparing", json={},
                                headers=shop.owner.headers)
    assert status == 200
    await follower.until_seq(cooking["id"], 3)
    # the worker came back by itself: the waiting order is refused at its deadline, once
    await follower.until_seq(waiting["id"], 2, timeout=30)

    assert follower.taken[cooking["id"]] == [1, 2, 3]
    assert follower.types[waiting["id"]] == ["order.created", "order.refused"]
    assert follower.taken[retried["id"]] == [1]
    assert await stack.fetchval(
        "SELECT count(*) FROM orders WHERE customer_id = $1", customer.id) == 3
    gaps = await stack.fetch(
        "SELECT o.id FROM orders o JOIN outbox e ON e.aggregate = 'order' AND e.aggregate_id = o.id"
        " GROUP BY o.id, o.seq HAVING count(*) <> o.seq OR max(e.seq) <> o.seq")
    assert gaps == []
    assert await stack.fetchval(
        "SELECT count(*) FROM payments WHERE order_id = $1 AND operation IN ('void', 'refund')"
        " AND succeeded", uuid.UUID(waiting["id"])) == 1


async def _ready(api) -> bool:
    return (await answer(api, "GET", "/readyz"))[0] == 200
