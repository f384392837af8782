"""API keys: created with scopes and shown once, acting with the owner's rights, revoked at once."""
from datetime import timedelta

import asyncpg
import pytest
from aiohttp import web

from domain.api_keys import Scope
from domain.roles import Role
from tests.support.factories import make_person
from web.auth import principal_of, requires
from web.spec import endpoint


@endpoint("Orders of the caller (test stand-in)", tags=("orders",))
@requires(Role.developer, Role.customer, scope=Scope.orders_read)
async def read_orders(request):
    return web.json_response({"user_id": str(principal_of(request).user_id)})


@pytest.fixture
async def api(make_app, aiohttp_client):
    app = make_app()
    app.router.add_get("/api/v1/_test/orders", read_orders)
    return await aiohttp_client(app)


async def create_key(client, person, scopes=("orders:read",), name="Shop"):
    response = await client.post("/api/v1/api-keys", headers=person.headers,
                                 json={"name": name, "scopes": list(scopes)})
    assert response.status == 201, await response.text()
    return await response.json()


def key_headers(created):
    return {"X-API-Key": created["key"]}


async def test_a_developer_sees_a_new_key_once_and_only_its_prefix_afterwards(api):
    developer = await make_person(api, Role.developer)
    created = await create_key(api, developer, scopes=["orders:read", "restaurants:read"])
    assert created["key"].startswith("ce_live_" + created["prefix"][len("ce_live_"):] + "_")
    assert created["scopes"] == ["orders:read", "restaurants:read"]
    assert created["plan"] == "free"
    listed = await (await api.get("/api/v1/api-keys", headers=developer.headers)).json()
    assert [k["id"] for k in listed] == [created["id"]]
    assert "key" not in listed[0] and created["key"] not in str(listed)


async def test_only_a_hash_of_the_secret_is_stored(api, database_url):
    developer = await make_person(api, Role.developer)
    created = await create_key(api, developer)
    conn = await asyncpg.connect(database_url)
    row = await conn.fetchrow("SELECT * FROM api_keys")
    await conn.close()
    secret = created["key"].rsplit("_", 1)[1]
    assert secret.encode() not in row["secret_hash"] and secret not in str(dict(row))


@pytest.mark.parametrize("role", [Role.customer, Role.courier, Role.restaurateur])
async def test_other_roles_cannot_create_keys(api, role):
    person = await make_person(api, role)
    response = await api.post("/api/v1/api-keys", headers=person.headers,
                              json={"name": "x", "scopes": ["orders:read"]})
    assert response.status == 403


@pytest.mark.parametrize("scopes", [[], ["orders:delete"], "orders:read"])
async def test_a_key_needs_known_scopes(api, scopes):
    developer = await make_person(api, Role.developer)
    response = await api.post("/api/v1/api-keys", headers=developer.headers,
                              json={"name": "x", "scopes": scopes})
    assert response.status == 422
    assert (await response.json(content_type=None))["errors"][0]["field"].startswith("scopes")


async def test_a_key_acts_for_its_owner_on_handlers_asking_for_its_scope(api):
    developer = await make_person(api, Role.developer)
    created = await create_key(api, developer, scopes=["orders:read"])
    response = await api.get("/api/v1/_test/orders", headers=key_headers(created))
    assert response.status == 200
    assert (await response.json())["user_id"] == str(developer.id)


async def test_a_key_without_the_scope_is_refused(api):
    developer = await make_person(api, Role.developer)
    created = await create_key(api, developer, scopes=["restaurants:read"])
    response = await api.get("/api/v1/_test/orders", headers=key_headers(created))
    assert response.status == 403
    assert (await response.json(content_type=None))["type"].endswith("/scope-missing")


async def test_handlers_without_a_scope_are_for_people_only(api):
    developer = await make_person(api, Role.developer)
    created = await create_key(api, developer, scopes=list(Scope))
    for method, path in [("GET", "/api/v1/me"), ("GET", "/api/v1/api-keys"),
                         ("POST", "/api/v1/api-keys")]:
        response = await api.request(method, path, headers=key_headers(created),
                                     json={"name": "escalate", "scopes": list(Scope)})
        assert response.status == 403, (method, path)


async def test_a_key_tells_which_key_it_is_and_tokens_are_refused_there(api):
    developer = await make_person(api, Role.developer)
    created = await create_key(api, developer, scopes=["components:read"], name="Widget")
    response = await api.get("/api/v1/api-keys/current", headers=key_headers(created))
    body = await response.json()
    assert (body["id"], body["name"], body["scopes"], body["plan"]) == (
        created["id"], "Widget", ["components:read"], "free")
    assert (await api.get("/api/v1/api-keys/current", headers=developer.headers)).status == 403


@pytest.mark.parametrize("value", ["nonsense", "ce_live_abcdefghijkl_" + "A" * 40, ""])
async def test_unknown_or_malformed_keys_are_refused(api, value):
    response = await api.get("/api/v1/_test/orders", headers={"X-API-Key": value})
    assert response.status == 401


async def test_a_key_with_a_wrong_secret_is_refused(api):
    developer = await make_person(api, Role.developer)
    created = await create_key(api, developer)
    forged = created["key"][:-1] + ("A" if created["key"][-1] != "A" else "B")
    response = await api.get("/api/v1/_test/orders", headers={"X-API-Key": forged})
    assert response.status == 401
    assert (await response.json(content_type=None))["type"].endswith("/api-key-invalid")


async def test_a_revoked_key_is_refused_at_once_on_every_node(make_app, aiohttp_client):
    node_a, node_b = make_app(), make_app(node_id="node-b")
    node_b.router.add_get("/api/v1/_test/orders", read_orders)
    a, b = await aiohttp_client(node_a), await aiohttp_client(node_b)
    developer = await make_person(a, Role.developer)
    created = await create_key(a, developer)
    assert (await b.get("/api/v1/_test/orders", headers=key_headers(created))).status == 200

    revoked = await a.delete(f"/api/v1/api-keys/{created['id']}", headers=developer.headers)
    assert revoked.status == 204
    refused = await b.get("/api/v1/_test/orders", headers=key_headers(created))
    assert refused.status == 401
    assert (await refused.json(content_type=None))["type"].endswith("/api-key-revoked")
    assert await (await a.get("/api/v1/api-keys", headers=developer.headers)).json() == []


async def test_nobody_revokes_someone_elses_key(api):
    owner, other = await make_person(api, Role.developer), await make_person(api, Role.developer)
    created = await create_key(api, owner)
    response = await api.delete(f"/api/v1/api-keys/{created['id']}", headers=other.headers)
    assert response.status == 404
    assert (await api.get("/api/v1/_test/orders", headers=key_headers(created))).status == 200


async def test_a_suspended_owners_keys_are_refused(api, database_url):
    developer = await make_person(api, Role.developer)
    created = await create_key(api, developer)
    conn = await asyncpg.connect(database_url)
    await conn.execute("UPDATE users SET suspended_until = now() + interval '1 day',"
                       " suspension_reason = 'unpaid' WHERE id = $1", developer.id)
    await conn.close()
    response = await api.get("/api/v1/_test/orders", headers=key_headers(created))
    assert response.status == 403
    assert "unpaid" in (await response.json(content_type=None))["detail"]


async def test_last_use_is_recorded_at_most_once_a_minute(api, database_url):
    developer = await make_person(api, Role.developer)
    created = await create_key(api, developer)
    conn = await asyncpg.connect(database_url)
    last_used = "SELECT last_used_at FROM api_keys"
    assert await conn.fetchval(last_used) is None
    await api.get("/api/v1/_test/orders", headers=key_headers(created))
    first = await conn.fetchval(last_used)
    await api.get("/api/v1/_test/orders", headers=key_headers(created))
    assert await conn.fetchval(last_used) == first
    await conn.execute("UPDATE api_keys SET last_used_at = last_used_at - interval '2 minutes'")
    await api.get("/api/v1/_test/orders", headers=key_headers(created))
    assert await conn.fetchval(last_used) > first - timedelta(minutes=2)
    await conn.close()
    listed = await (await api.get("/api/v1/api-keys", headers=developer.headers)).json()
    assert listed[0]["last_used_at"] is not None
