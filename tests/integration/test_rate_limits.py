"""Rate limits per API key (by plan) and per person, shared by every node, shown in headers."""
import asyncpg
import pytest

from domain.roles import Role
from server.platform.limits import Limits
from tests.support.factories import make_person
from web.platform import LIMITS

SMALL = Limits(plans={"free": 3, "pro": 5}, person=4, period_s=60)


@pytest.fixture
async def two_nodes(make_app, aiohttp_client):
    """Two apps sharing Postgres and Redis, as two deployed nodes do, with small budgets."""
    clients = []
    for node_id in ("node-a", "node-b"):
        app = make_app(node_id=node_id)
        app[LIMITS] = SMALL
        clients.append(await aiohttp_client(app))
    return clients


async def new_key(client, person, scopes=("components:read",)):
    response = await client.post("/api/v1/api-keys", headers=person.headers,
                                 json={"name": "k", "scopes": list(scopes)})
    assert response.status == 201
    return {"X-API-Key": (await response.json())["key"]}


async def test_every_authenticated_answer_carries_its_budget(client):
    developer = await make_person(client, Role.developer)
    first = await client.get("/api/v1/me", headers=developer.headers)
    second = await client.delete("/api/v1/api-keys/00000000-0000-0000-0000-000000000000",
                                 headers=developer.headers)  # an error answer, too
    assert first.headers["RateLimit-Limit"] == "600"
    assert int(first.headers["RateLimit-Remaining"]) > int(second.headers["RateLimit-Remaining"])
    assert second.status == 404
    assert "RateLimit-Limit" in second.headers and int(second.headers["RateLimit-Reset"]) >= 1


async def test_anonymous_answers_carry_no_budget(client):
    response = await client.get("/api/v1/api-keys")
    assert response.status == 401 and "RateLimit-Limit" not in response.headers


async def test_a_key_past_its_plan_is_refused_across_two_nodes(two_nodes):
    a, b = two_nodes
    developer = await make_person(a, Role.developer)
    key = await new_key(a, developer)
    answers = [await node.get("/api/v1/api-keys/current", headers=key) for node in (a, b, a, b)]
    assert [r.status for r in answers] == [200, 200, 200, 429]
    assert [r.headers["RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
    refused = answers[-1]
    assert refused.content_type == "application/problem+json"
    assert (await refused.json(content_type=None))["status"] == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 20
    assert refused.headers["RateLimit-Limit"] == "3"


async def test_a_pro_key_gets_its_plans_budget(two_nodes, database_url):
    a, b = two_nodes
    developer = await make_person(a, Role.developer)
    key = await new_key(a, developer)
    conn = await asyncpg.connect(database_url)
    await conn.execute("UPDATE api_keys SET plan = 'pro'")
    await conn.close()
    answers = [await node.get("/api/v1/api-keys/current", headers=key) for node in (a, b) * 3]
    assert [r.status for r in answers] == [200] * 5 + [429]
    assert answers[0].headers["RateLimit-Limit"] == "5"


async def test_each_key_has_its_own_budget(two_nodes):
    a, b = two_nodes
    developer = await make_person(a, Role.developer)
    first, second = await new_key(a, developer), await new_key(a, developer)
    for _ in range(3):
        await a.get("/api/v1/api-keys/current", headers=first)
    assert (await b.get("/api/v1/api-keys/current", headers=first)).status == 429
    assert (await b.get("/api/v1/api-keys/current", headers=second)).status == 200


async def test_a_person_past_the_limit_is_refused_across_two_nodes(two_nodes):
    a, b = two_nodes
    customer = await make_person(a, Role.customer)
    answers = [await node.get("/api/v1/me", headers=customer.headers) for node in (a, b) * 3]
    assert [r.status for r in answers] == [200] * 4 + [429, 429]
    assert answers[-1].headers["RateLimit-Limit"] == "4" and "Retry-After" in answers[-1].headers
    other = await make_person(b, Role.customer)
    assert (await a.get("/api/v1/me", headers=other.headers)).status == 200


async def test_a_refused_request_does_nothing(two_nodes, database_url):
    a, b = two_nodes
    developer = await make_person(a, Role.developer)  # its sign-in used no budget
    body = {"name": "k", "scopes": ["orders:read"]}
    answers = [await node.post("/api/v1/api-keys", json=body, headers=developer.headers)
               for node in (a, b, a, b, a)]
    assert [r.status for r in answers] == [201] * 4 + [429]
    conn = await asyncpg.connect(database_url)
    assert await conn.fetchval("SELECT count(*) FROM api_keys") == 4
    await conn.close()
