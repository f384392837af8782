"""Connecting to the live channel: refused with a clear reason, or placed in one's rooms."""
import uuid

import msgspec
import pytest

from domain.roles import Role
from server.auth.revocation import set_token_state
from server.auth.tokens import issue_access_token
from server.keys import CONTEXT
from server.live.access import ROOM_PROVIDERS, RoomProvider
from server.live.publish import push
from tests.support.factories import make_person
from tests.support.sockets import Refused, connect_as, connect_with, start_node


@pytest.fixture
async def node(aiohttp_server, aiohttp_client, make_app):
    return await start_node(aiohttp_server, aiohttp_client, make_app)


async def refusal(url, auth) -> Refused:
    with pytest.raises(Refused) as caught:
        await connect_with(url, auth)
    return caught.value


async def test_a_socket_without_a_token_is_refused_as_having_no_credentials(node):
    client, url = node
    assert (await refusal(url, None)).code == "no-credentials"
    assert (await refusal(url, {"token": ""})).code == "no-credentials"


async def test_an_expired_token_is_refused_as_expired(node):
    client, url = node
    person = await make_person(client, Role.customer)
    settings = msgspec.structs.replace(client.server.app[CONTEXT].settings, access_token_ttl_s=-60)
    token = issue_access_token(settings, person.id, person.role, 0)
    assert (await refusal(url, {"token": token})).code == "token-expired"


async def test_a_forged_token_is_refused_as_invalid(node):
    client, url = node
    assert (await refusal(url, {"token": "not.a.token"})).code == "token-invalid"


async def test_a_token_of_a_signed_out_everywhere_person_is_refused_as_revoked(node):
    client, url = node
    person = await make_person(client, Role.customer)
    ctx = client.server.app[CONTEXT]
    await ctx.db.execute("UPDATE users SET token_version = token_version + 1 WHERE id = $1", person.id)
    await set_token_state(ctx.redis, ctx.settings.redis_prefix, person.id, 1, 60)
    assert (await refusal(url, {"token": person.access_token})).code == "token-revoked"


async def test_a_suspended_person_is_refused_and_told_why(node):
    client, url = node
    person = await make_person(client, Role.courier)
    ctx = client.server.app[CONTEXT]
    await ctx.db.execute("UPDATE users SET suspended_until = now() + interval '1 day',"
                         " suspension_reason = 'fraude' WHERE id = $1", person.id)
    await set_token_state(ctx.redis, ctx.settings.redis_prefix, person.id, None, 60)
    refused = await refusal(url, {"token": person.access_token})
    assert refused.code == "account-suspended"
    assert refused.data["reason"] == "fraude"


async def test_a_signed_in_person_hears_what_is_pushed_to_their_own_room_only(node):
    client, url = node
    alice, bob = await make_person(client, Role.customer), await make_person(client, Role.customer)
    alice_socket, bob_socket = await connect_as(alice, url), await connect_as(bob, url)
    try:
        ctx = client.server.app[CONTEXT]
        await push(ctx, f"user:{alice.id}", "notification", {"title": "pour Alice"})
        await push(ctx, f"user:{bob.id}", "notification", {"title": "pour Bob"})
        assert (await alice_socket.next_event("notification"))["data"] == {"title": "pour Alice"}
        assert (await bob_socket.next_event("notification"))["data"] == {"title": "pour Bob"}
        assert [name for name, _ in alice_socket.received] == ["notification"]
    finally:
        await alice_socket.close()
        await bob_socket.close()


async def test_staff_join_their_role_room_and_others_do_not(node):
    client, url = node
    sales, customer = await make_person(client, Role.sales), await make_person(client, Role.customer)
    sales_socket, customer_socket = await connect_as(sales, url), await connect_as(customer, url)
    try:
        await sales_socket.next_event("kpi")  # today's figures come first
        ctx = client.server.app[CONTEXT]
        await push(ctx, "role:sales", "announcement", {"n": 1})
        await push(ctx, f"user:{customer.id}", "notification", {"n": 2})
        assert (await sales_socket.next_event("announcement"))["data"] == {"n": 1}
        assert (await customer_socket.next_event())["data"] == {"n": 2}
    finally:
        await sales_socket.close()
        await customer_socket.close()


async def test_the_node_counts_its_sockets_refusals_events_and_fan_out_for_its_metrics(node):
    from server.ops.metrics import METRICS

    client, url = node
    registry = client.server.app[METRICS].registry
    value = lambda name, **labels: registry.get_sample_value(name, labels) or 0  # noqa: E731
    person = await make_person(client)
    await refusal(url, {"token": "not.a.token"})
    socket = await connect_as(person, url)
    try:
        assert value("cesi_sockets_connected") == 1
        assert value("cesi_socket_connects_total", outcome="ok") == 1
        assert value("cesi_socket_connects_total", outcome="token-invalid") == 1
        await socket.call("no.such.event", {})
        assert value("cesi_socket_events_total", event="unknown") == 1
        await push(client.server.app[CONTEXT], f"user:{person.id}", "notification", {})
        await socket.next_event("notification")
        assert value("cesi_fanout_messages_in_total", type="notification") == 1
        assert value("cesi_fanout_messages_out_total", type="notification") == 1
    finally:
        await socket.close()


async def test_a_node_that_cannot_look_up_rooms_refuses_with_a_retry_instead_of_hanging(node):
    client, url = node
    person = await make_person(client, Role.customer)

    async def store_down(conn, principal):
        raise ConnectionResetError("the store went away")

    failing = RoomProvider(frozenset({Role.customer}), store_down)
    ROOM_PROVIDERS.append(failing)
    try:
        refused = await refusal(url, {"token": person.access_token})
    finally:
        ROOM_PROVIDERS.remove(failing)
    assert refused.code == "unavailable"
    assert refused.data["retry"] is True
    back = await connect_as(person, url)  # the store is back: the same token is admitted
    await back.close()
