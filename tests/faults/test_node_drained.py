"""A node drained (SIGTERM) behind HAProxy while clients are mid-order and a courier mid-delivery."""
from __future__ import annotations

import asyncio
import signal
import uuid

from prometheus_client.parser import text_string_to_metric_families

from domain.roles import Role
from tests.e2e.test_load_balancer import Cluster, Traffic, sign_up
from tests.faults.clients import Follower, GpsStream
from tests.faults.cluster import eventually
from tests.support.catalogue_factories import make_shop, placed_order
from tests.support.couriers import courier_at, near
from tests.support.factories import make_person
from tests.support.http import call


def connects(url: str) -> float:
    """Sockets this node has let in so far, from its own /metrics."""
    text = call("GET", url + "/metrics")[1]
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "cesi_socket_connects_total" and s.labels.get("outcome") == "ok")


async def connect_on(cluster: Cluster, node: str, token: str, name: str, spares: list) -> Follower:
    """A socket through the balancer that landed on `node` (least connections: a few tries)."""
    url = cluster.nodes[node][1]
    for _ in range(6):
        before = connects(url)
        follower = await Follower(token, name).connect(cluster.url)
        if connects(url) > before:
            return follower
        spares.append(follower)  # held open, so the next connection goes to the other node
    raise AssertionError(f"no socket landed on node {node}")


async def stored_once(stack, courier_id, acked: list[int]) -> bool:
    """Whether each of these fixes (by their ts) is in the courier's track, and nothing twice."""
    rows = await stack.fetch(
        "SELECT round(extract(epoch FROM at) * 1000)::bigint AS ts, count(*) AS copies"
        " FROM courier_fixes WHERE courier_id = $1 GROUP BY 1", courier_id)
    copies = {row["ts"]: row["copies"] for row in rows}
    assert set(copies.values()) <= {1}, "a fix was written twice"
    return all(ts in copies for ts in acked)


async def ok(request, status: int = 200):
    async with request as response:
        assert response.status == status, await response.text()
        return await response.json()


async def test_draining_a_node_mid_delivery_moves_its_sockets_and_loses_no_event_fix_or_request(stack):
    cluster = await asyncio.to_thread(Cluster, stack.env, stack.folder)
    stack.closers.append(lambda: asyncio.to_thread(cluster.stop))
    await stack.worker(REDIS_PREFIX=cluster.env["REDIS_PREFIX"])
    node_a, url_a = cluster.nodes["a"]
    api = stack.api(cluster.url)
    shop = await make_shop(api)
    customer = await make_person(api, Role.customer)
    courier = await courier_at(api, near(-300))

    # the customer's, the kitchen's and the courier's sockets all on node a, through HAProxy
    spares: list[Follower] = []
    buyer = await connect_on(cluster, "a", customer.access_token, "customer", spares)
    kitchen = await connect_on(cluster, "a", shop.owner.access_token, "kitchen", spares)
    rider = await connect_on(cluster, "a", courier.access_token, "courier", spares)
    stack.closers += [buyer.close, kitchen.close, rider.close]
    for spare in spares:
        await spare.close()

    order = await placed_order(api, customer, shop)
    await buyer.follow(order["id"])
    await kitchen.follow(order["id"])
    await ok(api.post(f"/api/v1/orders/{order['id']}/accept", json={"prep_minutes": 10},
                      headers=shop.owner.headers))
    await rider.until(lambda: rider.named("delivery.offer"), "the offer")
    offer = rider.named("delivery.offer")[0]["data"]
    taken = await rider.sio.call("offer.accept", {"delivery_id": offer["delivery_id"]}, timeout=10)
    assert taken["ok"] is True, taken
    await rider.follow(order["id"])
    gps = GpsStream(rider, near(0))
    gps_task = asyncio.create_task(gps.run())
    traffic = Traffic(cluster.url, sign_up(cluster.url))
    traffic.start()
    await buyer.until(lambda: buyer.named("courier.location"), "the courier on the map")

    # node a drains while the courier streams, the kitchen works and requests keep coming
    let_in_by_b = connects(cluster.nodes["b"][1])
    node_a.process.send_signal(signal.SIGTERM)
    await ok(api.post(f"/api/v1/orders/{order['id']}/preparing", json={},
                      headers=shop.owner.headers))
    assert await asyncio.to_thread(node_a.process.wait, 30) == 0
    # what node a acknowledged is written by the time it is gone: its last batch was flushed
    on_a = [ts for ts, connection in gps.acked if connection == 1]
    assert on_a and await stored_once(stack, courier.id, on_a)
    for follower in (buyer, kitchen, rider):
        await follower.until(lambda f=follower: f.connects == 2 and f.sio.connected,
                             "a reconnection to node b")
    await buyer.until_seq(order["id"], 3)
    located = len(buyer.named("courier.location"))
    await buyer.until(lambda: len(buyer.named("courier.location")) > located,
                      "the courier on the map through node b")

    # the delivery ends on node b
    await ok(api.post(f"/api/v1/orders/{order['id']}/ready", json={}, headers=shop.owner.headers))
    await ok(api.post(f"/api/v1/deliveries/{offer['delivery_id']}/pickup",
                      json={"code": taken["delivery"]["pickup_code"]["code"]},
                      headers=shop.owner.headers))
    code = await ok(api.get(f"/api/v1/orders/{order['id']}/delivery-code", headers=customer.headers))
    await ok(api.post(f"/api/v1/deliveries/{offer['delivery_id']}/deliver",
                      json={"qr": code["qr_payload"]}, headers=courier.headers))
    await buyer.until_seq(order["id"], 6)
    await kitchen.until_seq(order["id"], 6)
    gps.halt.set()
    await gps_task
    traffic.halt.set()
    await asyncio.to_thread(traffic.join, 15)

    assert traffic.failures() == [] and len(traffic.results) > 20
    assert gps.refused == []
    assert connects(cluster.nodes["b"][1]) >= let_in_by_b + 3
    for follower in (buyer, kitchen, rider):
        assert follower.taken[order["id"]] == [1, 2, 3, 4, 5, 6]
    assert buyer.types[order["id"]][-1] == "order.delivered"
    # node b writes its batches every second: then every acknowledged fix is in the track, once
    await eventually(lambda: stored_once(stack, courier.id, [ts for ts, _ in gps.acked]),
                     "every acknowledged fix in the track", timeout=10)
    assert await stack.fetchval(
        "SELECT count(*) FROM payments WHERE order_id = $1 AND operation = 'capture' AND succeeded",
        uuid.UUID(order["id"])) == 1
