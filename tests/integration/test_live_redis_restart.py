"""Redis restarts under a live node: it resubscribes by itself and the client misses nothing."""
import asyncio
import uuid

import pytest

from domain.roles import Role
from realtime import LIVE
from server.events import record
from server.keys import CONTEXT
from tests.support.factories import make_person
from tests.support.sockets import Aggregate, connect_as, start_node
from tests.support.stores_private import PrivateRedis


@pytest.fixture
async def redis_server():
    server = await asyncio.to_thread(PrivateRedis().start)
    yield server
    server.stop()


@pytest.fixture
def widgets():
    aggregate = Aggregate("widget").register()
    yield aggregate
    aggregate.unregister()


async def test_after_a_redis_restart_events_still_reach_the_client_and_none_is_lost(
        redis_server, widgets, aiohttp_server, aiohttp_client, make_app):
    client, url = await start_node(aiohttp_server, aiohttp_client, make_app, redis_url=redis_server.url)
    ctx, live = client.server.app[CONTEXT], client.server.app[LIVE]
    person = await make_person(client)
    widget_id = uuid.uuid4()
    widgets.owners[widget_id] = person.id
    socket = await connect_as(person, url)
    try:
        await socket.call("subscribe", {"widget_id": str(widget_id), "after_seq": 0})
        await widgets.record(ctx, widget_id, "widget.poked", {"n": 1})
        assert (await socket.next_event("widget.updated"))["seq"] == 1

        redis_server.stop()
        # committed while Redis is away: the fast path fails (logged), Postgres keeps it
        await widgets.record(ctx, widget_id, "widget.poked", {"n": 2})
        reconnects = live.channels.subscriber.reconnects
        await asyncio.to_thread(redis_server.start)
        assert (await socket.next_event("widget.updated", timeout=20))["seq"] == 2
        assert live.channels.subscriber.reconnects > reconnects

        await widgets.record(ctx, widget_id, "widget.poked", {"n": 3})  # the live path again
        assert (await socket.next_event("widget.updated"))["seq"] == 3
        assert [d["seq"] for name, d in socket.received if name == "widget.updated"] == [1, 2, 3]
        assert not socket.disconnected.is_set()
    finally:
        await socket.close()


async def test_what_was_announced_while_redis_was_away_is_applied_when_it_returns(
        redis_server, aiohttp_server, aiohttp_client, make_app):
    client, url = await start_node(aiohttp_server, aiohttp_client, make_app, redis_url=redis_server.url)
    ctx = client.server.app[CONTEXT]
    sales, suspended = await make_person(client, Role.sales), await make_person(client)
    staff_socket, doomed = await connect_as(sales, url), await connect_as(suspended, url)
    try:
        assert (await staff_socket.next_event("kpi"))["data"]["placed"] == 0
        redis_server.stop()
        async with ctx.db.acquire() as conn, conn.transaction():
            await record(conn, "order", uuid.uuid4(), "order.created", {"total_cents": 1500})
            await conn.execute("UPDATE users SET suspended_until = 'infinity' WHERE id = $1", suspended.id)
        await asyncio.to_thread(redis_server.start)  # an empty Redis: nothing of the above went through it
        assert (await staff_socket.next_event("kpi", timeout=20))["data"]["placed"] == 1
        await doomed.wait_disconnected(timeout=20)
        assert not staff_socket.disconnected.is_set()
    finally:
        await staff_socket.close()
        await doomed.close()
