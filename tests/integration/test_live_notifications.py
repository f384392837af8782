"""Notifications: written in the change's transaction in the person's language, pushed live, listed."""
import uuid

import pytest

from server.keys import CONTEXT
from server.notifications.service import notify, push_notifications
from tests.support.factories import make_person
from tests.support.sockets import connect_as, start_node


@pytest.fixture
async def node(aiohttp_server, aiohttp_client, make_app):
    return await start_node(aiohttp_server, aiohttp_client, make_app)


async def tell(ctx, person, kind="order.cancelled", **params):
    """As a use case would: inside its transaction, then the push after the commit."""
    async with ctx.db.acquire() as conn, conn.transaction():
        note = await notify(conn, person.id, kind, params or {"ref": "A12"}, data={"ref": "A12"})
    await push_notifications(ctx, [note])
    return note


async def test_a_notification_is_pushed_live_in_the_persons_language(node):
    client, url = node
    ctx = client.server.app[CONTEXT]
    french, english = await make_person(client), await make_person(client, language="en")
    sockets = [await connect_as(french, url), await connect_as(english, url)]
    try:
        await tell(ctx, french)
        await tell(ctx, english)
        pushed_fr = await sockets[0].next_event("notification")
        pushed_en = await sockets[1].next_event("notification")
        assert pushed_fr["data"]["title"] == "Commande annulée"
        assert pushed_fr["data"]["body"] == "La commande A12 est annulée."
        assert pushed_en["data"]["title"] == "Order cancelled"
        assert pushed_en["data"]["kind"] == "order.cancelled" and pushed_en["data"]["read_at"] is None
        assert "user_id" not in pushed_en["data"]
    finally:
        for socket in sockets:
            await socket.close()


async def test_a_notification_rolled_back_with_its_change_is_neither_kept_nor_pushed(node):
    client, url = node
    ctx, person = client.server.app[CONTEXT], await make_person(client)
    with pytest.raises(RuntimeError):
        async with ctx.db.acquire() as conn, conn.transaction():
            await notify(conn, person.id, "order.cancelled", {"ref": "X"})
            raise RuntimeError("the change failed")
    response = await client.get("/api/v1/me/notifications", headers=person.headers)
    assert (await response.json())["items"] == []


async def test_the_centre_lists_newest_first_page_by_page_with_the_unread_count(node):
    client, _ = node
    ctx, person = client.server.app[CONTEXT], await make_person(client)
    notes = [await tell(ctx, person, ref=f"R{n}") for n in range(3)]
    first = await (await client.get("/api/v1/me/notifications?limit=2", headers=person.headers)).json()
    assert [item["id"] for item in first["items"]] == [str(notes[2].id), str(notes[1].id)]
    assert first["unread"] == 3 and first["next_cursor"]
    second = await (await client.get(f"/api/v1/me/notifications?limit=2&cursor={first['next_cursor']}",
                                     headers=person.headers)).json()
    assert [item["id"] for item in second["items"]] == [str(notes[0].id)]
    assert second["next_cursor"] is None
    bad = await client.get("/api/v1/me/notifications?cursor=rubbish", headers=person.headers)
    assert bad.status == 422


async def test_marking_as_read_works_for_ones_own_and_is_not_found_for_anyone_elses(node):
    client, _ = node
    ctx = client.server.app[CONTEXT]
    owner, other = await make_person(client), await make_person(client)
    note = await tell(ctx, owner)
    refused = await client.post(f"/api/v1/me/notifications/{note.id}/read", headers=other.headers)
    assert refused.status == 404
    for missing in (uuid.uuid4(), "not-an-id"):
        response = await client.post(f"/api/v1/me/notifications/{missing}/read", headers=owner.headers)
        assert response.status == 404
    read = await client.post(f"/api/v1/me/notifications/{note.id}/read", headers=owner.headers)
    assert read.status == 200 and (await read.json())["read_at"]
    listing = await (await client.get("/api/v1/me/notifications", headers=owner.headers)).json()
    assert listing["unread"] == 0 and listing["items"][0]["read_at"]


async def test_the_centre_needs_a_signed_in_person(node):
    client, _ = node
    assert (await client.get("/api/v1/me/notifications")).status == 401


async def test_an_unknown_kind_is_a_programming_error_caught_before_anything_is_written(node):
    client, _ = node
    ctx, person = client.server.app[CONTEXT], await make_person(client)
    async with ctx.db.acquire() as conn:
        with pytest.raises(ValueError):
            await notify(conn, person.id, "no.such.kind", {})


async def test_erasing_an_account_erases_its_notifications(node):
    from server.accounts.erasure import erase_account

    client, _ = node
    ctx, person = client.server.app[CONTEXT], await make_person(client)
    await tell(ctx, person)
    await erase_account(ctx, person.id)
    assert await ctx.db.fetchval("SELECT count(*) FROM notifications WHERE user_id = $1", person.id) == 0
