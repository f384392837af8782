"""The relay reads the outbox by id, yet misses no event that commits after a later one."""
import uuid

from server.events import record
from server.keys import CONTEXT
from server.ops.metrics import METRICS
from server.webhooks.relay import relay_once
from tests.support.catalogue_factories import make_shop, order_body
from tests.support.webhooks import make_developer, pump, start_receiver, subscribe


async def place(client, developer, shop) -> str:
    response = await client.post("/api/v1/orders", json=order_body(shop), headers=developer.headers)
    assert response.status == 201, await response.text()
    return (await response.json())["id"]


async def test_an_event_committed_after_a_later_one_is_still_delivered(client, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    await subscribe(client, developer, url, ["order.created", "order.updated"])
    first = await place(client, developer, shop)
    await pump(client)
    assert [h.event["type"] for h in receiver.drain()] == ["order.created"]

    ctx = client.app[CONTEXT]
    async with ctx.db.acquire() as slow:
        transaction = slow.transaction()
        await transaction.start()
        late = await record(slow, "order", uuid.UUID(first), "order.updated", {"note": "plus tard"})
        second = await place(client, developer, shop)  # a later id, committed first
        await pump(client)
        assert [h.event["data"]["order_id"] for h in receiver.drain()] == [second]
        assert await ctx.db.fetchval("SELECT count(*) FROM webhook_relay_gaps WHERE event_id = $1", late.id) == 1
        await transaction.commit()

    await pump(client)
    [hit] = receiver.drain()
    assert (hit.event["type"], hit.event["data"]["order_id"], hit.event["data"]["note"]) == (
        "order.updated", first, "plus tard")
    assert await ctx.db.fetchval("SELECT count(*) FROM webhook_relay_gaps") == 0


async def test_a_pass_with_nothing_new_changes_nothing_and_repeats_deliver_once(client, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    await subscribe(client, developer, url)
    await place(client, developer, shop)
    ctx = client.app[CONTEXT]
    assert await relay_once(ctx) == 1
    assert await relay_once(ctx) == 0
    await pump(client)
    assert len(receiver.drain()) == 1
    metrics = client.app[METRICS]
    assert metrics.webhook_deliveries.labels(outcome="delivered").value == 1
