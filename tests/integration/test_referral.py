"""Referral: codes link two accounts of one role; the reward is granted exactly once."""
import asyncio

import asyncpg

from server.accounts.referral import grant_referral_reward
from tests.support.factories import make_person


async def referral_of(client, person):
    response = await client.get("/api/v1/me/referral", headers=person.headers)
    assert response.status == 200
    return await response.json()


async def credits(database_url, *people):
    conn = await asyncpg.connect(database_url)
    values = [await conn.fetchval("SELECT credit_cents FROM users WHERE id = $1", p.id) for p in people]
    await conn.close()
    return values


async def test_a_person_sees_their_code_a_share_link_and_their_referees(client):
    referrer = await make_person(client, "customer")
    mine = await referral_of(client, referrer)
    assert len(mine["code"]) == 10 and mine["share_url"].endswith(f"/signup?ref={mine['code']}")
    await make_person(client, "customer", referral_code=mine["code"].lower(), name="zoé Durand")
    mine = await referral_of(client, referrer)
    assert [(r["initial"], r["rewarded"]) for r in mine["referees"]] == [("Z.", False)]
    assert "Durand" not in str(mine) and mine["reward_cents"] == 500


async def test_a_code_only_links_accounts_of_the_same_role(client):
    courier = await make_person(client, "courier")
    code = (await referral_of(client, courier))["code"]
    response = await client.post("/api/v1/auth/register", json={
        "email": "x@example.fr", "password": "long enough pw", "name": "X", "role": "customer",
        "referral_code": code})
    assert response.status == 422


async def test_the_reward_credits_both_sides_once_however_often_it_is_asked(client, database_url):
    referrer = await make_person(client, "customer")
    code = (await referral_of(client, referrer))["code"]
    referee = await make_person(client, "customer", referral_code=code)
    conn = await asyncpg.connect(database_url)
    async with conn.transaction():
        first = await grant_referral_reward(conn, referee.id)
    async with conn.transaction():
        second = await grant_referral_reward(conn, referee.id)
    await conn.close()
    assert (first.referrer_id, first.cents, second) == (referrer.id, 500, None)
    assert await credits(database_url, referee, referrer) == [500, 500]
    assert [r["rewarded"] for r in (await referral_of(client, referrer))["referees"]] == [True]
    assert (await referral_of(client, referrer))["earned_cents"] == 500


async def test_concurrent_grants_credit_exactly_once(client, database_url):
    referrer = await make_person(client, "courier")
    code = (await referral_of(client, referrer))["code"]
    referee = await make_person(client, "courier", referral_code=code)
    connections = [await asyncpg.connect(database_url) for _ in range(8)]
    lock_waits = [await lock_wait_of(conn) for conn in connections[1:]]
    first, *others = [conn.transaction() for conn in connections]
    for transaction in (first, *others):
        await transaction.start()
    results = [await grant_referral_reward(connections[0], referee.id)]
    racing = [asyncio.create_task(grant_referral_reward(c, referee.id)) for c in connections[1:]]
    # the others are really racing: each waits on the first one's uncommitted reward row
    await asyncio.wait_for(asyncio.gather(*lock_waits), 10)
    await first.commit()
    results += await asyncio.gather(*racing)
    for transaction in others:
        await transaction.commit()
    for conn in connections:
        await conn.close()
    assert sum(result is not None for result in results) == 1
    assert await credits(database_url, referee, referrer) == [1000, 1000]


async def lock_wait_of(conn) -> asyncio.Future:
    """Done once the connection's backend has waited 10 ms on a lock: Postgres says so itself
    (log_lock_waits) to a session that asks for LOG messages."""
    await conn.execute("SET deadlock_timeout = '10ms'; SET log_lock_waits = on; SET client_min_messages = log")
    waited = asyncio.get_running_loop().create_future()

    def on_message(_, message) -> None:
        if "still waiting for" in message.message and not waited.done():
            waited.set_result(None)
    conn.add_log_listener(on_message)
    return waited


async def test_a_rolled_back_grant_leaves_the_reward_for_later(client, database_url):
    referrer = await make_person(client, "restaurateur")
    code = (await referral_of(client, referrer))["code"]
    referee = await make_person(client, "restaurateur", referral_code=code)
    conn = await asyncpg.connect(database_url)
    transaction = conn.transaction()
    await transaction.start()
    await grant_referral_reward(conn, referee.id)
    await transaction.rollback()  # the order acceptance failed after all
    async with conn.transaction():
        granted = await grant_referral_reward(conn, referee.id)
    await conn.close()
    assert granted is not None and await credits(database_url, referee, referrer) == [2000, 2000]


async def test_people_without_a_referrer_or_reward_get_nothing(client, database_url):
    alone = await make_person(client, "customer")
    developer = await make_person(client, "developer")
    code = (await referral_of(client, developer))["code"]
    referred_developer = await make_person(client, "developer", referral_code=code)
    conn = await asyncpg.connect(database_url)
    results = [await grant_referral_reward(conn, p.id) for p in (alone, referred_developer)]
    await conn.close()
    assert results == [None, None]
    assert await credits(database_url, alone, developer, referred_developer) == [0, 0, 0]
