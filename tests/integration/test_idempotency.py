"""Idempotency-Key: a creating POST sent again gets its first answer; the handler runs once."""
import asyncio
import uuid

import asyncpg
import pytest
from aiohttp import web

from server.platform import idempotency
from tests.support.factories import PASSWORD, make_person
from web.auth import public
from web.idempotency import idempotent
from web.spec import endpoint


def registration(email="lea@example.fr", name="Léa"):
    return {"email": email, "password": PASSWORD, "name": name, "role": "customer"}


async def count(database_url, sql):
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def test_a_repeated_registration_gets_the_first_answer_and_creates_one_account(
        client, database_url):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/api/v1/auth/register", json=registration(), headers=key)
    again = await client.post("/api/v1/auth/register", json=registration(), headers=key)
    assert (first.status, again.status) == (201, 201)
    assert await first.json() == await again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Content-Type"].startswith("application/json")
    assert "Idempotent-Replayed" not in first.headers
    assert await count(database_url, "SELECT count(*) FROM users") == 1


async def test_without_a_key_a_repeat_runs_again(client):
    first = await client.post("/api/v1/auth/register", json=registration())
    again = await client.post("/api/v1/auth/register", json=registration())
    assert (first.status, again.status) == (201, 409)


async def test_the_same_key_with_another_body_is_refused(client, database_url):
    key = {"Idempotency-Key": "order-42"}
    await client.post("/api/v1/auth/register", json=registration(), headers=key)
    other = await client.post("/api/v1/auth/register", json=registration(name="Zoé"), headers=key)
    assert other.status == 422
    problem = await other.json(content_type=None)
    assert problem["type"].endswith("/idempotency-key-reused")
    assert await count(database_url, "SELECT count(*) FROM users") == 1


async def test_key_order_in_the_json_body_does_not_make_another_request(client):
    key = {"Idempotency-Key": "same", "Content-Type": "application/json"}
    body = registration()
    reordered = dict(reversed(list(body.items())))
    first = await client.post("/api/v1/auth/register", json=body, headers=key)
    again = await client.post("/api/v1/auth/register", json=reordered, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"


async def test_a_failed_first_attempt_is_not_kept(client):
    key = {"Idempotency-Key": "retry-me"}
    failed = await client.post("/api/v1/auth/register", json={**registration(), "password": "x"},
                               headers=key)
    fixed = await client.post("/api/v1/auth/register", json=registration(), headers=key)
    assert (failed.status, fixed.status) == (422, 201)


@pytest.mark.parametrize("value", ["", "x" * 256, "with space", "é"])
async def test_a_malformed_key_is_refused(client, value):
    response = await client.post("/api/v1/auth/register", json=registration(),
                                 headers={"Idempotency-Key": value})
    assert response.status == 422


async def test_keys_belong_to_their_caller(client):
    one, two = await make_person(client, "developer"), await make_person(client, "developer")
    body, key = {"name": "Shop", "scopes": ["orders:read"]}, {"Idempotency-Key": "k1"}
    mine = await client.post("/api/v1/api-keys", json=body, headers={**one.headers, **key})
    theirs = await client.post("/api/v1/api-keys", json=body, headers={**two.headers, **key})
    assert (mine.status, theirs.status) == (201, 201)
    assert (await mine.json())["id"] != (await theirs.json())["id"]
    assert "Idempotent-Replayed" not in theirs.headers


async def test_a_key_expires_after_a_day(client, database_url):
    developer = await make_person(client, "developer")
    body, headers = {"name": "Shop", "scopes": ["orders:read"]}, {**developer.headers,
                                                                  "Idempotency-Key": "daily"}
    first = await client.post("/api/v1/api-keys", json=body, headers=headers)
    conn = await asyncpg.connect(database_url)
    await conn.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'")
    await conn.close()
    later = await client.post("/api/v1/api-keys", json=body, headers=headers)
    assert (first.status, later.status) == (201, 201)
    assert (await first.json())["id"] != (await later.json())["id"]
    assert await count(database_url, "SELECT count(*) FROM api_keys") == 2


async def test_concurrent_registrations_with_one_key_create_one_account(client, database_url):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    answers = await asyncio.gather(*[
        client.post("/api/v1/auth/register", json=registration(), headers=key) for _ in range(5)])
    assert [a.status for a in answers] == [201] * 5
    assert len({(await a.json())["id"] for a in answers}) == 1
    assert await count(database_url, "SELECT count(*) FROM users") == 1


async def test_a_repeat_arriving_while_the_first_runs_waits_for_its_answer(
        make_app, aiohttp_client, monkeypatch):
    entered, release, waiting = asyncio.Event(), asyncio.Event(), asyncio.Event()
    runs = []

    @endpoint("Slow creation (test stand-in)", status=201)
    @public
    @idempotent
    async def slow_create(request):
        runs.append(await request.read())
        entered.set()
        await release.wait()
        return web.json_response({"run": len(runs)}, status=201, headers={"Location": "/x/1"})

    real_wait = idempotency._wait

    async def noticed_wait(delay):
        waiting.set()
        await real_wait(delay)

    monkeypatch.setattr(idempotency, "_wait", noticed_wait)
    app = make_app()
    app.router.add_post("/api/v1/_test/slow", slow_create)
    client = await aiohttp_client(app)
    headers = {"Idempotency-Key": "slow-1"}
    first = asyncio.create_task(client.post("/api/v1/_test/slow", json={"a": 1}, headers=headers))
    await entered.wait()
    second = asyncio.create_task(client.post("/api/v1/_test/slow", json={"a": 1}, headers=headers))
    await waiting.wait()
    release.set()
    answers = [await first, await second]
    assert [a.status for a in answers] == [201, 201]
    assert [await a.json() for a in answers] == [{"run": 1}, {"run": 1}]
    assert answers[1].headers["Location"] == "/x/1"
    assert len(runs) == 1


async def test_repeats_spread_over_two_nodes_create_one_account(make_app, aiohttp_client,
                                                                database_url):
    a, b = await aiohttp_client(make_app()), await aiohttp_client(make_app(node_id="node-b"))
    key = {"Idempotency-Key": str(uuid.uuid4())}
    answers = await asyncio.gather(*[
        node.post("/api/v1/auth/register", json=registration(), headers=key)
        for node in (a, b, a, b)])
    assert [r.status for r in answers] == [201] * 4
    assert len({(await r.json())["id"] for r in answers}) == 1
    assert await count(database_url, "SELECT count(*) FROM users") == 1


async def test_a_claim_left_by_a_dead_node_is_taken_over(client, database_url):
    developer = await make_person(client, "developer")
    body = {"name": "Shop", "scopes": ["orders:read"]}
    headers = {**developer.headers, "Idempotency-Key": "orphan"}
    first = await client.post("/api/v1/api-keys", json=body, headers=headers)
    conn = await asyncpg.connect(database_url)
    # as if the node died after claiming: no answer, claimed long ago
    await conn.execute("UPDATE idempotency_keys SET completed_at = NULL, status = NULL,"
                       " locked_at = now() - interval '10 minutes'")
    await conn.close()
    retry = await client.post("/api/v1/api-keys", json=body, headers=headers)
    assert (first.status, retry.status) == (201, 201)
    assert "Idempotent-Replayed" not in retry.headers


async def test_expired_keys_are_purged(client, database_url):
    for key in ("old", "new"):
        await client.post("/api/v1/auth/register", json=registration(f"{key}@example.fr"),
                          headers={"Idempotency-Key": key})
    conn = await asyncpg.connect(database_url)
    await conn.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"
                       " WHERE key = 'old'")
    assert await idempotency.purge_expired(conn) == 1
    assert [r["key"] for r in await conn.fetch("SELECT key FROM idempotency_keys")] == ["new"]
    await conn.close()
