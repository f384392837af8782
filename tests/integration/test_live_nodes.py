"""Several nodes sharing Redis: an event made on one reaches sockets held by another."""
import uuid

import pytest

from domain.roles import Role
from realtime import LIVE
from server.events import publish, record
from server.keys import CONTEXT
from server.live.publish import disconnect_user, join_room, push
from tests.support.factories import make_person
from tests.support.sockets import Aggregate, connect_as, start_node


@pytest.fixture
async def nodes(aiohttp_server, aiohttp_client, make_app):
    a = await start_node(aiohttp_server, aiohttp_client, make_app, node_id="node-a")
    b = await start_node(aiohttp_server, aiohttp_client, make_app, node_id="node-b")
    return a, b


@pytest.fixture
def widgets():
    aggregate = Aggregate("widget").register()
    yield aggregate
    aggregate.unregister()


async def test_an_event_committed_on_one_node_reaches_a_socket_on_another(nodes, widgets):
    (client_a, _), (client_b, url_b) = nodes
    person = await make_person(client_a)
    widget_id = uuid.uuid4()
    widgets.owners[widget_id] = person.id
    socket = await connect_as(person, url_b)
    try:
        await socket.call("subscribe", {"widget_id": str(widget_id), "after_seq": 0})
        await widgets.record(client_a.server.app[CONTEXT], widget_id, "widget.poked", {"on": "a"})
        event = await socket.next_event("widget.updated")
        assert (event["seq"], event["data"]) == (1, {"on": "a"})
    finally:
        await socket.close()


async def test_a_node_listens_only_to_the_rooms_of_its_own_sockets(nodes, widgets):
    (client_a, url_a), (client_b, _) = nodes
    person = await make_person(client_a)
    widget_id = uuid.uuid4()
    widgets.owners[widget_id] = person.id
    socket = await connect_as(person, url_a)
    channel = f"{client_a.server.app[CONTEXT].settings.redis_prefix}room:widget:{widget_id}".encode()
    wanted_a = client_a.server.app[LIVE].channels.subscriber.wanted
    wanted_b = client_b.server.app[LIVE].channels.subscriber.wanted
    try:
        await socket.call("subscribe", {"widget_id": str(widget_id)})
        assert channel in wanted_a and channel not in wanted_b
        assert f"user:{person.id}" in client_a.server.app[LIVE].channels.counts
        assert f"user:{person.id}" not in client_b.server.app[LIVE].channels.counts
        await socket.call("unsubscribe", {"widget_id": str(widget_id)})
        assert channel not in wanted_a  # the last socket left: the node stops listening
    finally:
        await socket.close()


async def test_suspending_a_person_disconnects_their_sockets_on_every_node(nodes):
    (client_a, url_a), (client_b, url_b) = nodes
    person, bystander = await make_person(client_a, Role.courier), await make_person(client_a)
    on_a, on_b = await connect_as(person, url_a), await connect_as(person, url_b)
    other = await connect_as(bystander, url_b)
    try:
        ctx = client_a.server.app[CONTEXT]
        async with ctx.db.acquire() as conn, conn.transaction():
            event = await record(conn, "user", person.id, "user.suspended",
                                 {"user_id": str(person.id), "reason": "fraude", "until": None})
        await publish(ctx, [event])  # as the accounts use case does after its commit
        told = await on_b.next_event("user.updated")
        assert told["type"] == "user.suspended" and told["data"]["reason"] == "fraude"
        await on_a.wait_disconnected()
        await on_b.wait_disconnected()
        await push(ctx, f"user:{bystander.id}", "notification", {"still": "here"})
        assert (await other.next_event("notification"))["data"] == {"still": "here"}
        assert not other.disconnected.is_set()
    finally:
        for socket in (on_a, on_b, other):
            await socket.close()


async def test_disconnect_user_ends_the_persons_sockets_everywhere(nodes):
    (client_a, url_a), (client_b, url_b) = nodes
    person = await make_person(client_a)
    on_a, on_b = await connect_as(person, url_a), await connect_as(person, url_b)
    try:
        await disconnect_user(client_b.server.app[CONTEXT], person.id)
        await on_a.wait_disconnected()
        await on_b.wait_disconnected()
    finally:
        await on_a.close()
        await on_b.close()


async def test_a_persons_open_sockets_can_be_put_in_a_new_room_on_every_node(nodes):
    (client_a, url_a), (client_b, url_b) = nodes
    person = await make_person(client_a, Role.restaurateur)
    on_a, on_b = await connect_as(person, url_a), await connect_as(person, url_b)
    try:
        ctx, restaurant_room = client_a.server.app[CONTEXT], f"restaurant:{uuid.uuid4()}"
        await join_room(ctx, person.id, restaurant_room)
        await push(ctx, f"user:{person.id}", "notification", {"joined": True})
        for socket in (on_a, on_b):  # the join came first on the user's channel
            await socket.next_event("notification")
        await push(ctx, restaurant_room, "order.created", {"n": 1})
        assert (await on_a.next_event("order.created"))["data"] == {"n": 1}
        assert (await on_b.next_event("order.created"))["data"] == {"n": 1}
    finally:
        await on_a.close()
        await on_b.close()
