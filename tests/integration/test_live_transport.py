"""The websocket itself: no per-message deflate, and a client that stops reading is dropped."""
import asyncio
import json

import aiohttp
import socketio
import pytest

from domain.roles import Role
from realtime import LIVE
from server.keys import CONTEXT
from server.live.publish import push
from tests.support.couriers import fix, near
from tests.support.factories import make_person
from tests.support.sockets import connect_as, start_node

QUEUE_LIMIT = 20
CHUNK = "x" * 64 * 1024
MOST_MESSAGES = 600  # 37.5 MiB: several times what kernel buffers and the queue can hide


@pytest.fixture
async def node(aiohttp_server, aiohttp_client, make_app):
    client, url = await start_node(aiohttp_server, aiohttp_client, make_app)
    client.server.app[LIVE].engine.queue_limit = QUEUE_LIMIT
    return client, url


async def open_raw_socket(session: aiohttp.ClientSession, url: str, token: str):
    """Engine.IO and Socket.IO by hand, so the test decides when (never) to read."""
    ws = await session.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket")
    assert (await ws.receive_str()).startswith("0")
    await ws.send_str("40" + json.dumps({"token": token}))
    assert (await ws.receive_str()).startswith("40")
    return ws


async def test_a_client_that_does_not_read_is_dropped_with_its_queue_bounded(node):
    client, url = node
    live, ctx = client.server.app[LIVE], client.server.app[CONTEXT]
    sleeper, watcher = await make_person(client), await make_person(client)
    watching = await connect_as(watcher, url)
    async with aiohttp.ClientSession() as session:
        ws = await open_raw_socket(session, url, sleeper.access_token)
        (sleeper_eio_sid,) = live.manager.members(f"user:{sleeper.id}").values()
        sleeping_socket = live.engine.sockets[sleeper_eio_sid]
        longest = sent = 0
        while live.engine.dropped == 0 and sent < MOST_MESSAGES:
            await push(ctx, f"user:{sleeper.id}", "notification", {"filler": CHUNK})
            sent += 1
            longest = max(longest, sleeping_socket.queue.qsize())
        assert live.engine.dropped == 1, f"not dropped after {sent} messages of 64 KiB"
        assert longest <= QUEUE_LIMIT
        await ws.close()
    try:
        await push(ctx, f"user:{watcher.id}", "notification", {"node": "fine"})
        assert (await watching.next_event("notification"))["data"] == {"node": "fine"}
        assert sleeper_eio_sid not in live.engine.sockets or live.engine.sockets[sleeper_eio_sid].closed
        assert f"user:{sleeper.id}" not in live.channels.counts
    finally:
        await watching.close()


async def test_per_message_deflate_is_declined_even_when_the_client_offers_it(node):
    client, url = node
    person = await make_person(client)
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket", compress=15)
        try:
            assert ws.compress == 0
            assert "Sec-WebSocket-Extensions" not in ws._response.headers
            assert (await ws.receive_str()).startswith("0")
            await ws.send_str("40" + json.dumps({"token": person.access_token}))
            assert (await ws.receive_str()).startswith("40")
        finally:
            await ws.close()


async def test_a_draining_node_closes_its_sockets_so_that_clients_reconnect_elsewhere(node):
    from server.ops.drain import DRAIN_HOOKS, run_hooks

    client, url = node
    person = await make_person(client)
    socket = await connect_as(person, url)
    try:
        await run_hooks(client.server.app, DRAIN_HOOKS, "drain")
        await socket.wait_disconnected()
        # an engine-level close, which Socket.IO clients answer by reconnecting (a server
        # "disconnect" would tell them to stay away)
        assert socket.disconnect_reason == socket.sio.reason.TRANSPORT_ERROR
    finally:
        await socket.close()


async def test_an_idle_socket_keeps_no_task_of_its_own(node):
    """Only aiohttp's connection and handler tasks: no writer, ping or read task per socket."""
    client, url = node
    live = client.server.app[LIVE]
    first, *people = [await make_person(client) for _ in range(5)]
    async with aiohttp.ClientSession() as session:
        sockets = [await open_raw_socket(session, url, first.access_token)]  # engine.io's own tasks start
        before = len(asyncio.all_tasks())
        sockets += [await open_raw_socket(session, url, person.access_token) for person in people]
        try:
            opened = [live.engine.sockets[eio_sid] for person in people
                      for eio_sid in live.manager.members(f"user:{person.id}").values()]
            assert len(opened) == len(people)
            assert all(sock._writer is None and sock.queue.qsize() == 0 for sock in opened)
            assert len(asyncio.all_tasks()) - before <= 2 * len(people)
        finally:
            for ws in sockets:
                await ws.close()


async def test_a_client_that_stops_answering_pings_is_closed_and_one_that_answers_stays(node):
    client, url = node
    engine = client.server.app[LIVE].engine
    engine.ping_interval, engine.ping_timeout = 0.1, 0.2
    silent, answering = await make_person(client), await make_person(client)
    async with aiohttp.ClientSession() as session:
        quiet = await open_raw_socket(session, url, silent.access_token)
        lively = await open_raw_socket(session, url, answering.access_token)
        async with asyncio.timeout(10):
            assert await quiet.receive_str() == "2"  # a ping, never answered
            assert await quiet.receive_str() == "1"  # then the engine.io CLOSE
            assert (await quiet.receive()).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            for _ in range(3):
                assert await lively.receive_str() == "2"
                await lively.send_str("3")
        assert not lively.closed
        await lively.close()


async def test_long_polling_still_connects_and_receives(node):
    client, url = node
    live, ctx = client.server.app[LIVE], client.server.app[CONTEXT]
    person = await make_person(client)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}/socket.io/?EIO=4&transport=polling") as response:
            opened = json.loads((await response.text())[1:])
        where = f"{url}/socket.io/?EIO=4&transport=polling&sid={opened['sid']}"
        async with session.post(where, data="40" + json.dumps({"token": person.access_token})) as response:
            assert response.status == 200
        async with session.get(where) as response:
            assert (await response.text()).startswith("40")
        await push(ctx, f"user:{person.id}", "notification", {"by": "polling"})
        async with asyncio.timeout(10), session.get(where) as response:
            assert '"by":"polling"' in (await response.text()).replace(" ", "")
        assert live.engine.sockets[opened["sid"]]._writer is None


async def test_a_polling_client_that_vanishes_is_closed_and_leaves_the_engines_table(node, monkeypatch):
    client, url = node
    engine = client.server.app[LIVE].engine
    engine.ping_interval, engine.ping_timeout = 0.1, 0.2
    swept, sweep = asyncio.Event(), engine.sweep

    def sweep_and_tell():
        sweep()
        swept.set()
    monkeypatch.setattr(engine, "sweep", sweep_and_tell)
    person = await make_person(client)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}/socket.io/?EIO=4&transport=polling") as response:
            sid = json.loads((await response.text())[1:])["sid"]
        where = f"{url}/socket.io/?EIO=4&transport=polling&sid={sid}"
        async with session.post(where, data="40" + json.dumps({"token": person.access_token})) as response:
            assert response.status == 200
    sock = engine.sockets[sid]  # the client polls no more, so answers no ping
    async with asyncio.timeout(10):
        while sid in engine.sockets:
            swept.clear()
            await swept.wait()
    assert sock.closed


async def test_a_client_that_begins_with_polling_upgrades_to_a_websocket(node):
    client, url = node
    live, ctx = client.server.app[LIVE], client.server.app[CONTEXT]
    person = await make_person(client)
    upgrading = socketio.AsyncClient(reconnection=False)
    received = asyncio.Queue()
    upgrading.on("notification", received.put)
    await upgrading.connect(url, auth={"token": person.access_token}, transports=["polling", "websocket"],
                            wait_timeout=10)
    try:
        assert upgrading.transport() == "websocket"  # the client upgrades before connect returns
        async with asyncio.timeout(10):
            (eio_sid,) = live.manager.members(f"user:{person.id}").values()
            assert live.engine.sockets[eio_sid].upgraded
            await push(ctx, f"user:{person.id}", "notification", {"over": "websocket"})
            assert (await received.get())["data"] == {"over": "websocket"}
    finally:
        await upgrading.disconnect()
        await upgrading.shutdown()


async def test_messages_of_every_frame_length_arrive_whole_and_in_order(node):
    """Frames are written by the engine itself: 7-bit, 16-bit and 64-bit lengths."""
    client, url = node
    ctx = client.server.app[CONTEXT]
    person = await make_person(client)
    socket = await connect_as(person, url)
    fillers = ["", "x" * 100, "y" * 1000, "z" * 70_000]
    try:
        for filler in fillers:
            await push(ctx, f"user:{person.id}", "notification", {"filler": filler})
        for filler in fillers:
            assert (await socket.next_event("notification"))["data"] == {"filler": filler}
    finally:
        await socket.close()


async def test_a_socket_keeps_its_request_but_not_copies_of_its_headers(node):
    client, url = node
    live = client.server.app[LIVE]
    person = await make_person(client)
    socket = await connect_as(person, url)
    try:
        (sid,) = live.manager.members(f"user:{person.id}")
        environ = live.sio.get_environ(sid)
        assert not [key for key in environ if key.startswith("HTTP_")]
        assert environ["aiohttp.request"].headers["Upgrade"].lower() == "websocket"
    finally:
        await socket.close()


async def test_client_events_on_the_raw_wire_are_acked_in_order_and_a_broken_one_changes_nothing(node):
    """Text EVENT packets take python-socketio's protocol in one step: "42<id>[name, data]"
    in, "43<id>[ack]" out; what does not decode is dropped and the socket stays usable."""
    client, url = node
    person = await make_person(client)  # a customer: GPS fixes are refused, with a reason
    async with aiohttp.ClientSession() as session:
        ws = await open_raw_socket(session, url, person.access_token)
        await ws.send_str('421["no.such.event",{}]')
        await ws.send_str('42["gps",{"lat":')        # cut short: no ack, and no harm done
        await ws.send_str('422["gps",{"lat":48.85,"lng":2.35,"ts":0}]')
        await ws.send_str('42/elsewhere,3["gps",{}]')  # a namespace the client never joined
        await ws.send_str('424["availability",{"online":true}]')
        acks = [await asyncio.wait_for(ws.receive_str(), 5) for _ in range(3)]
        await ws.close()
    assert [json.loads(ack[3:])[0]["error"] for ack in acks] == [
        "unknown-event", "role-not-allowed", "role-not-allowed"]
    assert [ack[:3] for ack in acks] == ["431", "432", "434"]


async def test_a_courier_s_positions_on_the_raw_wire_are_taken_with_or_without_an_ack(node):
    """A `gps` text packet is decoded straight into a fix: without an ack id it is still kept
    (a second fix with its timestamp is then out of order), a bad field is named in an
    `invalid` ack, and one with an argument too many is refused like any other bad payload."""
    client, url = node
    courier = await make_person(client, Role.courier)
    first = fix(**near(0))
    async with aiohttp.ClientSession() as session:
        ws = await open_raw_socket(session, url, courier.access_token)
        await ws.send_str('421["availability",{"online":true}]')
        online = await asyncio.wait_for(ws.receive_str(), 5)
        await ws.send_str("42" + json.dumps(["gps", first]))
        await ws.send_str("422" + json.dumps(["gps", {**first, "lng": 2.35}]))
        await ws.send_str("423" + json.dumps(["gps", {**first, "lat": "north"}]))
        await ws.send_str("424" + json.dumps(["gps", first, "extra"]))
        await ws.send_str("425" + json.dumps(["gps", {**first, "ts": first["ts"] + 1500}]))
        acks = [await asyncio.wait_for(ws.receive_str(), 5) for _ in range(4)]
        await ws.close()
    assert online.startswith("431") and json.loads(online[3:])[0]["ok"] is True
    answers = {ack[:3]: json.loads(ack[3:])[0] for ack in acks}
    assert list(answers) == ["432", "433", "434", "435"]
    assert answers["432"]["error"] == "out-of-order"
    assert answers["433"]["error"] == "invalid" and answers["433"]["errors"][0]["field"] == "lat"
    assert answers["434"]["error"] == "invalid"
    assert answers["435"] == {"ok": True}
