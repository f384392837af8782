"""Sales staff suspend accounts: sign-in refused with the reason, tokens dead at once, end on time."""
from datetime import datetime, timedelta, timezone

import asyncpg
import pytest

from server.accounts.suspension import lift_due_suspensions, lift_suspensions_when_due
from server.events import PUBLISHERS, events_after
from server.keys import CONTEXT
from server.worker import JOBS
from tests.support.factories import PASSWORD, make_person, sign_in


async def problem(response):
    assert response.content_type == "application/problem+json", await response.text()
    return await response.json(content_type="application/problem+json")


async def suspend(client, sales, person, **body):
    response = await client.patch(f"/api/v1/admin/accounts/{person.id}", headers=sales.headers,
                                  json={"suspend": {"reason": "Fraude au paiement", **body}})
    assert response.status == 200, await response.text()
    return await response.json()


@pytest.fixture
async def published():
    """The events handed to live publishing, as the live channels would receive them."""
    seen = []

    async def remember(ctx, events):
        seen.extend(events)
    PUBLISHERS.append(remember)
    yield seen
    PUBLISHERS.remove(remember)


async def test_a_suspended_person_is_refused_sign_in_with_the_reason_and_date(client):
    sales, person = await make_person(client, "sales"), await make_person(client)
    until = (datetime.now(timezone.utc) + timedelta(days=3)).replace(microsecond=0)
    account = await suspend(client, sales, person, until=until.isoformat())
    assert account["suspended"] and account["suspended_until"].startswith(until.strftime("%Y-%m-%dT%H:%M:%S"))
    response = await client.post("/api/v1/auth/login", json={"email": person.email, "password": PASSWORD})
    body = await problem(response)
    assert response.status == 403 and body["type"].endswith("/account-suspended")
    assert body["reason"] == "Fraude au paiement"
    assert datetime.fromisoformat(body["suspended_until"]) == until


async def test_an_indefinite_suspension_says_so(client):
    sales, person = await make_person(client, "sales"), await make_person(client)
    account = await suspend(client, sales, person, until=None)
    assert (account["suspended"], account["suspended_until"]) == (True, None)
    response = await client.post("/api/v1/auth/login", json={"email": person.email, "password": PASSWORD})
    body = await problem(response)
    assert body["suspended_until"] is None and "Fraude au paiement" in body["detail"]


async def test_tokens_stop_at_once_and_say_why(client):
    sales, person = await make_person(client, "sales"), await make_person(client)
    assert (await client.get("/api/v1/me", headers=person.headers)).status == 200
    await suspend(client, sales, person)
    response = await client.get("/api/v1/me", headers=person.headers)
    assert response.status == 403
    assert (await problem(response))["reason"] == "Fraude au paiement"
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    assert refresh.status == 401


async def test_another_node_refuses_the_token_at_once_too(client, make_app, aiohttp_client):
    other_node = await aiohttp_client(make_app(node_id="node-b"))
    sales, person = await make_person(client, "sales"), await make_person(client)
    assert (await other_node.get("/api/v1/me", headers=person.headers)).status == 200
    await suspend(client, sales, person)
    assert (await other_node.get("/api/v1/me", headers=person.headers)).status == 403


async def test_a_suspension_is_published_for_the_live_channels(client, published, database_url):
    sales, person = await make_person(client, "sales"), await make_person(client)
    await suspend(client, sales, person)
    assert [(e.type, e.aggregate, e.aggregate_id) for e in published] == [
        ("user.suspended", "user", person.id)]
    assert published[0].data == {"user_id": str(person.id), "reason": "Fraude au paiement", "until": None}
    conn = await asyncpg.connect(database_url)
    stored = await events_after(conn, "user", person.id)
    await conn.close()
    assert [e.type for e in stored] == ["user.suspended"]


async def test_reactivation_lets_the_person_sign_in_again(client, published):
    sales, person = await make_person(client, "sales"), await make_person(client)
    await suspend(client, sales, person)
    response = await client.patch(f"/api/v1/admin/accounts/{person.id}", headers=sales.headers,
                                  json={"reactivate": True})
    assert (await response.json())["suspended"] is False
    fresh = await sign_in(client, person.email, PASSWORD)
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {fresh['access_token']}"})
    assert me.status == 200
    assert [e.type for e in published] == ["user.suspended", "user.reactivated"]


async def test_a_suspension_ends_by_itself_at_its_date(client, database_url):
    sales, person = await make_person(client, "sales"), await make_person(client)
    await suspend(client, sales, person, until=(datetime.now(timezone.utc) + timedelta(hours=1)).isoformat())
    assert (await client.get("/api/v1/me", headers=person.headers)).status == 403
    conn = await asyncpg.connect(database_url)
    await conn.execute("UPDATE users SET suspended_until = now() - interval '1 second' WHERE id = $1",
                       person.id)  # an hour has passed
    assert await lift_due_suspensions(client.app[CONTEXT]) == 1
    row = await conn.fetchrow("SELECT suspended_until, suspension_reason FROM users WHERE id = $1", person.id)
    await conn.close()
    assert tuple(row) == (None, None)
    fresh = await sign_in(client, person.email, PASSWORD)
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {fresh['access_token']}"})
    assert me.status == 200 and (await me.json())["suspended"] is False


async def test_the_worker_runs_the_suspension_sweep():
    assert lift_suspensions_when_due in JOBS


@pytest.mark.parametrize("body, status", [
    ({"suspend": {"reason": ""}}, 422),
    ({"suspend": {"reason": "x", "until": "2001-01-01T00:00:00Z"}}, 422),
    ({"suspend": {"reason": "x", "until": "2999-01-01T00:00:00"}}, 422),
    ({"suspend": {"reason": "x"}, "reactivate": True}, 422),
    ({"suspend": {"reason": "x", "until": "tomorrow"}}, 422),
])
async def test_bad_suspensions_are_refused_and_change_nothing(client, body, status):
    sales, person = await make_person(client, "sales"), await make_person(client)
    response = await client.patch(f"/api/v1/admin/accounts/{person.id}", headers=sales.headers, json=body)
    assert response.status == status and (await problem(response))["status"] == status
    assert (await client.get("/api/v1/me", headers=person.headers)).status == 200


async def test_sales_staff_cannot_suspend_themselves(client):
    sales = await make_person(client, "sales")
    response = await client.patch(f"/api/v1/admin/accounts/{sales.id}", headers=sales.headers,
                                  json={"suspend": {"reason": "oops"}})
    assert response.status == 403
