"""Sign-in attempts are limited per account and per address; the excess is a logged 429."""
import asyncpg

from server.accounts.throttle import LoginLimits
from server.keys import CONTEXT
from tests.support.factories import PASSWORD, make_person


async def attempt(client, email, password="wrong password!"):
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_guessing_one_accounts_password_is_stopped_with_retry_after(client, database_url):
    person = await make_person(client)  # signed in once: one attempt of the ten allowed
    statuses = [(await attempt(client, person.email)).status for _ in range(9)]
    refused = await attempt(client, person.email, password=PASSWORD)
    assert statuses == [401] * 9 and refused.status == 429
    assert int(refused.headers["Retry-After"]) >= 1
    body = await refused.json(content_type="application/problem+json")
    assert body["status"] == 429
    conn = await asyncpg.connect(database_url)
    last = await conn.fetchrow("SELECT success, reason, user_id FROM connection_logs ORDER BY id DESC LIMIT 1")
    await conn.close()
    assert (last["success"], last["reason"], last["user_id"]) == (False, "rate-limited", person.id)


async def test_the_account_limit_does_not_lock_out_other_accounts(client):
    person, other = await make_person(client), await make_person(client)
    for _ in range(10):
        await attempt(client, person.email)
    assert (await attempt(client, person.email)).status == 429
    assert (await attempt(client, other.email, password=PASSWORD)).status == 200


async def test_one_address_trying_many_accounts_is_stopped(client):
    client.app[CONTEXT].extras["login_limits"] = LoginLimits(per_ip=5)
    statuses = [(await attempt(client, f"ghost{i}@example.fr")).status for i in range(6)]
    assert statuses == [401] * 5 + [429]


async def test_the_limit_counts_unknown_addresses_too(client):
    statuses = [(await attempt(client, "nobody@example.fr")).status for _ in range(11)]
    assert statuses == [401] * 10 + [429]
