"""A worker killed with SIGKILL in the middle of its work; the next one finishes it, once."""
from __future__ import annotations

import asyncio
import uuid

from tests.faults.cluster import eventually
from tests.support.catalogue_factories import make_shop, order_body
from tests.support.couriers import courier_at, near
from server.webhooks.views import event_uuid
from tests.support.webhooks import make_developer, start_receiver, subscribe

TIMERS = {"ORDER_ACCEPT_TIMEOUT": "10", "COURIER_OFFER_TIMEOUT": "5", "WEBHOOK_TIMEOUT": "2"}
OVERDUE = 15    # orders nobody accepts: the worker refuses them and voids their holds
SEARCHING = 3   # accepted orders whose first courier lets the offer expire
ALL_EVENTS = ["order.created", "order.accepted", "order.refused", "delivery.searching",
              "delivery.assigned"]


async def ok(request, status: int = 200):
    async with request as response:
        assert response.status == status, await response.text()
        return await response.json()


async def test_a_worker_killed_mid_work_leaves_nothing_lost_and_nothing_done_twice(
        aiohttp_server, stack):  # the endpoint outlives the workers
    receiver, hook_url = await start_receiver(aiohttp_server)
    node = await stack.node("a", **TIMERS)
    api = stack.api(node.url)
    developer, shop = await make_developer(api), await make_shop(api)
    await subscribe(api, developer, hook_url, ALL_EVENTS)
    couriers = [await courier_at(api, near(100 * i)) for i in range(2 * SEARCHING)]
    courier_of = {c.id: c for c in couriers}

    # the developer's customers order; the kitchen accepts a few, each offered to one courier
    orders = [(await ok(api.post("/api/v1/orders", json=order_body(shop),
                                 headers=developer.headers), 201))["id"]
              for _ in range(OVERDUE + SEARCHING)]
    overdue, accepted = orders[:OVERDUE], orders[OVERDUE:]
    for order_id in accepted:
        await ok(api.post(f"/api/v1/orders/{order_id}/accept", json={"prep_minutes": 10},
                          headers=shop.owner.headers))
    first_offers = {r["id"]: r["offered_to"] for r in await stack.fetch(
        "SELECT id, offered_to FROM deliveries WHERE offered_to IS NOT NULL")}
    assert len(first_offers) == SEARCHING
    # no worker yet: deadlines and offers run out, so the first worker has all of it to do
    await eventually(lambda: _all_due(stack), "every deadline and offer past", timeout=30)

    doomed = await stack.worker(**TIMERS)
    await asyncio.to_thread(doomed.wait_for, "order refused at its acceptance deadline", 20)
    doomed.process.kill()
    await asyncio.to_thread(doomed.process.wait, 10)
    refused_by_the_first = await stack.fetchval("SELECT count(*) FROM orders WHERE status = 'refused'")

    await stack.worker(**TIMERS)
    second_offers = await eventually(lambda: _offered_again(stack, first_offers),
                                     "every delivery offered to a second courier", timeout=20)
    # the second couriers take their deliveries at once; the first ones' offers are gone for good
    for delivery_id, courier_id in second_offers.items():
        await ok(api.post(f"/api/v1/deliveries/{delivery_id}/accept",
                          headers=courier_of[courier_id].headers))
        assert (await ok(api.post(f"/api/v1/deliveries/{delivery_id}/accept",
                                  headers=courier_of[first_offers[delivery_id]].headers),
                         409))["type"].endswith("/offer-gone")
    await eventually(lambda: _all_refused_and_voided(stack, overdue), "every refusal and void",
                     timeout=45)  # money left owed by a dying worker waits out a 30 s grace
    expected = {str(event_uuid(row["id"])) for row in await stack.fetch(
        "SELECT id FROM outbox WHERE type = ANY($1)", ALL_EVENTS)}
    hits = await _hits_until(receiver, expected)

    assert 0 < refused_by_the_first < OVERDUE  # killed in the middle of the refusals
    for order_id in overdue:
        events = await stack.fetch("SELECT seq, type FROM outbox WHERE aggregate = 'order'"
                                   " AND aggregate_id = $1 ORDER BY seq", uuid.UUID(order_id))
        assert [(e["seq"], e["type"]) for e in events] == [(1, "order.created"),
                                                           (2, "order.refused")]
    assert await stack.fetchval(
        "SELECT count(*) FROM payments WHERE operation = 'void' AND succeeded"
        " AND order_id = ANY($1)", [uuid.UUID(o) for o in overdue]) == OVERDUE
    deliveries = await stack.fetch(
        "SELECT d.id, d.courier_id, d.declined, (SELECT count(*) FROM outbox e WHERE"
        " e.aggregate_id = d.id AND e.type = 'delivery.assigned') AS assigned FROM deliveries d")
    assert {(d["id"], d["courier_id"], d["assigned"]) for d in deliveries} == {
        (delivery_id, courier_id, 1) for delivery_id, courier_id in second_offers.items()}
    assert all(d["declined"] == [first_offers[d["id"]]] for d in deliveries)
    # every event reached the endpoint; one came twice only if its attempt was cut by the kill
    assert set(hits) == expected
    cut = {str(event_uuid(row["event_id"])) for row in await stack.fetch(
        "SELECT d.event_id FROM webhook_deliveries d JOIN webhook_attempts a"
        " ON a.delivery_id = d.id WHERE a.finished_at IS NULL")}
    assert {event for event in expected if hits.count(event) > 1} <= cut


async def _all_due(stack) -> bool:
    return await stack.fetchval(
        "SELECT (SELECT count(*) FROM orders WHERE status = 'placed' AND deadline_at < now()) = $1"
        " AND (SELECT count(*) FROM deliveries WHERE offer_expires_at < now()) = $2",
        OVERDUE, SEARCHING)


async def _all_refused_and_voided(stack, overdue: list[str]) -> bool:
    return await stack.fetchval(
        "SELECT count(*) FROM orders WHERE id = ANY($1) AND status = 'refused'"
        " AND released_at IS NOT NULL", [uuid.UUID(o) for o in overdue]) == OVERDUE


async def _offered_again(stack, first: dict) -> dict | None:
    rows = await stack.fetch("SELECT id, offered_to FROM deliveries WHERE status = 'searching'")
    again = {r["id"]: r["offered_to"] for r in rows
             if r["offered_to"] is not None and r["offered_to"] != first[r["id"]]}
    return again if len(again) == len(first) else None


async def _hits_until(receiver, expected: set[str], timeout: float = 30) -> list[str]:
    """The event id of each POST the endpoint got, until every expected event came."""
    hits: list[str] = []
    async with asyncio.timeout(timeout):
        while not expected <= set(hits):
            hits.append((await receiver.hits.get()).headers["CesiEats-Event-Id"])
    return hits + [hit.headers["CesiEats-Event-Id"] for hit in receiver.drain()]
