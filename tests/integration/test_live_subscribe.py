"""subscribe/unsubscribe: access checked, missed events replayed, then live with no gap or duplicate."""
import asyncio
import uuid

import pytest

from domain.roles import Role
from realtime import LIVE
from realtime import subscribe as subscribe_module
from server.keys import CONTEXT
from tests.support.factories import make_person
from tests.support.sockets import Aggregate, connect_as, start_node


@pytest.fixture
async def node(aiohttp_server, aiohttp_client, make_app):
    return await start_node(aiohttp_server, aiohttp_client, make_app)


@pytest.fixture
def widgets():
    aggregate = Aggregate("widget").register()
    yield aggregate
    aggregate.unregister()


async def owned_widget(widgets, person) -> uuid.UUID:
    widget_id = uuid.uuid4()
    widgets.owners[widget_id] = person.id
    return widget_id


async def seqs_of(socket, count: int) -> list[int]:
    return [(await socket.next_event("widget.updated"))["seq"] for _ in range(count)]


async def test_a_person_cannot_follow_someone_elses_aggregate_nor_an_unknown_one(node, widgets):
    client, url = node
    owner, other = await make_person(client), await make_person(client)
    widget_id = await owned_widget(widgets, owner)
    socket = await connect_as(other, url)
    try:
        for target in (widget_id, uuid.uuid4()):
            ack = await socket.call("subscribe", {"widget_id": str(target), "after_seq": 0})
            assert ack["ok"] is False and ack["error"] == "not-found"
        await widgets.record(client.server.app[CONTEXT], widget_id, "widget.poked")
        await widgets.record(client.server.app[CONTEXT], widget_id, "widget.poked")
        assert all(name != "widget.updated" for name, _ in socket.received)
    finally:
        await socket.close()


async def test_subscribing_replays_what_came_after_the_seq_then_goes_live(node, widgets):
    client, url = node
    ctx, person = client.server.app[CONTEXT], await make_person(client)
    widget_id = await owned_widget(widgets, person)
    for n in range(3):
        await widgets.record(ctx, widget_id, "widget.poked", {"n": n})
    socket = await connect_as(person, url)
    try:
        ack = await socket.call("subscribe", {"widget_id": str(widget_id), "after_seq": 1})
        assert ack == {"ok": True, "last_seq": 3, "more": False}
        first = await socket.next_event("widget.updated")
        assert first["type"] == "widget.poked" and first["data"] == {"n": 1}
        assert first["aggregate"] == "widget" and first["id"] == str(widget_id) and first["at"]
        await widgets.record(ctx, widget_id, "widget.poked", {"n": 3})
        assert [first["seq"], *await seqs_of(socket, 2)] == [2, 3, 4]
    finally:
        await socket.close()


async def test_after_a_disconnect_exactly_the_missed_events_are_replayed_in_order(node, widgets):
    client, url = node
    ctx, person = client.server.app[CONTEXT], await make_person(client)
    widget_id = await owned_widget(widgets, person)
    socket = await connect_as(person, url)
    await socket.call("subscribe", {"widget_id": str(widget_id), "after_seq": 0})
    for _ in range(2):
        await widgets.record(ctx, widget_id, "widget.poked")
    assert await seqs_of(socket, 2) == [1, 2]
    await socket.close()

    for _ in range(3):
        await widgets.record(ctx, widget_id, "widget.poked")
    socket = await connect_as(person, url)
    try:
        ack = await socket.call("subscribe", {"widget_id": str(widget_id), "after_seq": 2})
        assert ack["last_seq"] == 5
        await widgets.record(ctx, widget_id, "widget.poked")
        assert await seqs_of(socket, 4) == [3, 4, 5, 6]
        assert [d["seq"] for name, d in socket.received if name == "widget.updated"] == [3, 4, 5, 6]
    finally:
        await socket.close()


async def test_events_published_during_the_replay_arrive_once_and_in_order(node, widgets, monkeypatch):
    client, url = node
    ctx, person = client.server.app[CONTEXT], await make_person(client)
    widget_id = await owned_widget(widgets, person)
    for _ in range(3):
        await widgets.record(ctx, widget_id, "widget.poked")
    socket = await connect_as(person, url)
    live, arrived = client.server.app[LIVE], {4: asyncio.Event(), 5: asyncio.Event()}
    admit = live.streams.admit

    def watching_admit(sid, room, seq, item):
        outcome = admit(sid, room, seq, item)
        if seq in arrived:
            arrived[seq].set()  # the node has the live copy in hand
        return outcome
    monkeypatch.setattr(live.streams, "admit", watching_admit)
    events_after = subscribe_module.events_after

    async def replay_racing_with_live(conn, aggregate, aggregate_id, after_seq, limit):
        await widgets.record(ctx, widget_id, "widget.poked")  # replayed and also live
        async with asyncio.timeout(10):
            await arrived[4].wait()
        events = await events_after(conn, aggregate, aggregate_id, after_seq, limit)
        await widgets.record(ctx, widget_id, "widget.poked")  # only live
        async with asyncio.timeout(10):
            await arrived[5].wait()
        return events
    monkeypatch.setattr(subscribe_module, "events_after", replay_racing_with_live)
    try:
        ack = await socket.call("subscribe", {"widget_id": str(widget_id), "after_seq": 1})
        assert ack["ok"] and ack["last_seq"] == 4
        await widgets.record(ctx, widget_id, "widget.poked")
        assert await seqs_of(socket, 5) == [2, 3, 4, 5, 6]
        assert [d["seq"] for name, d in socket.received if name == "widget.updated"] == [2, 3, 4, 5, 6]
    finally:
        await socket.close()


async def test_after_unsubscribing_the_aggregates_events_stop(node, widgets):
    client, url = node
    ctx, person = client.server.app[CONTEXT], await make_person(client)
    widget_id = await owned_widget(widgets, person)
    socket = await connect_as(person, url)
    try:
        await socket.call("subscribe", {"widget_id": str(widget_id)})
        assert await socket.call("unsubscribe", {"widget_id": str(widget_id)}) == {"ok": True}
        await widgets.record(ctx, widget_id, "widget.poked")
        from server.live.publish import push
        await push(ctx, f"user:{person.id}", "notification", {"after": "unsubscribe"})
        # one Redis connection keeps publish order: had the widget's event come, it came first
        assert (await socket.next_event())["data"] == {"after": "unsubscribe"}
    finally:
        await socket.close()


async def test_malformed_client_events_get_an_error_ack_and_the_socket_stays_usable(node, widgets):
    client, url = node
    person = await make_person(client, Role.restaurateur)
    widget_id = await owned_widget(widgets, person)
    socket = await connect_as(person, url)
    try:
        for bad in ("nonsense", None, [1, 2], {"widget_id": "not-a-uuid"},
                    {"widget_id": str(widget_id), "after_seq": -1},
                    {"widget_id": str(widget_id), "after_seq": "3"},
                    {"gadget_id": str(widget_id)}, {}):
            ack = await socket.call("subscribe", bad)
            assert ack["ok"] is False and ack["error"] == "invalid", (bad, ack)
        assert (await socket.call("no.such.event", {}))["error"] == "unknown-event"
        await socket.sio.eio.send('2["subscribe",{"widget_id":')  # not even JSON
        ack = await socket.call("subscribe", {"widget_id": str(widget_id), "after_seq": 0})
        assert ack == {"ok": True, "last_seq": 0, "more": False}
    finally:
        await socket.close()
