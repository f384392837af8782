"""Webhook endpoints through the API: the secret shown once, kept sealed, private URLs refused."""
import uuid

import pytest

from server.keys import CONTEXT
from server.webhooks.sealing import unseal
from tests.support.catalogue import problem
from tests.support.webhooks import make_developer, subscribe

HOOK = "https://hooks.example.com/cesi"


async def test_a_developer_subscribes_a_url_and_sees_the_secret_only_in_that_answer(client):
    developer = await make_developer(client)
    created = await subscribe(client, developer, HOOK, ["order.created", "order.delivered"])
    assert created["secret"].startswith("whsec_")
    assert (created["url"], created["events"], created["active"]) == (
        HOOK, ["order.created", "order.delivered"], True)

    shown = await (await client.get(f"/api/v1/webhooks/{created['id']}", headers=developer.headers)).json()
    listed = await (await client.get("/api/v1/webhooks", headers=developer.headers)).json()
    assert "secret" not in shown and [e["id"] for e in listed] == [created["id"]]
    assert all("secret" not in e for e in listed)


async def test_the_secret_is_stored_encrypted_and_opens_only_for_its_endpoint(client):
    developer = await make_developer(client)
    response = await client.post("/api/v1/webhooks", headers={**developer.headers, "Idempotency-Key": "k1"},
                                 json={"url": HOOK, "events": ["order.created"]})
    created = await response.json()
    ctx = client.app[CONTEXT]
    row = await ctx.db.fetchrow("SELECT id, secret FROM webhook_endpoints")
    assert created["secret"].encode() not in row["secret"]
    kept = await ctx.db.fetch("SELECT body FROM idempotency_keys")
    assert all(created["secret"].encode() not in r["body"] for r in kept)
    assert unseal(ctx.settings, row["id"], row["secret"]) == created["secret"]
    other = await subscribe(client, developer, HOOK + "/2")
    with pytest.raises(ValueError):
        unseal(ctx.settings, uuid.UUID(other["id"]), row["secret"])


async def test_another_developer_finds_none_of_my_endpoints(client):
    mine, theirs = await make_developer(client), await make_developer(client)
    created = await subscribe(client, mine, HOOK)
    path = f"/api/v1/webhooks/{created['id']}"
    for method, url, body in [("GET", path, None), ("PATCH", path, {"active": False}),
                              ("DELETE", path, None), ("GET", path + "/deliveries", None)]:
        response = await client.request(method, url, json=body, headers=theirs.headers)
        assert response.status == 404, (method, url)
    assert await (await client.get("/api/v1/webhooks", headers=theirs.headers)).json() == []


async def test_a_key_without_the_webhooks_scope_is_refused(client):
    developer = await make_developer(client, scopes=("orders:read",))
    response = await client.get("/api/v1/webhooks", headers=developer.headers)
    assert response.status == 403
    assert (await problem(response))["type"].endswith("/scope-missing")


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook",
    "http://192.168.0.10/hook", "http://172.16.5.4/hook", "http://169.254.169.254/latest/meta-data",
    "http://[::1]/hook", "http://[fe80::1]/hook", "http://[::ffff:127.0.0.1]/hook",
    "http://224.0.0.1/hook", "http://0.0.0.0/hook", "http://100.64.0.1/hook", "http://240.0.0.1/hook",
])
async def test_urls_to_private_loopback_link_local_or_reserved_addresses_are_refused(
        make_app, aiohttp_client, url):
    client = await aiohttp_client(make_app(webhooks_allow_private=False))
    developer = await make_developer(client)
    response = await client.post("/api/v1/webhooks", headers=developer.headers,
                                 json={"url": url, "events": ["order.created"]})
    assert response.status == 422
    assert (await problem(response))["errors"][0]["field"] == "url"


async def test_public_addresses_and_names_not_resolvable_now_are_accepted(make_app, aiohttp_client):
    client = await aiohttp_client(make_app(webhooks_allow_private=False))
    developer = await make_developer(client)
    for url in ("https://93.184.215.14/hook", "https://hooks.invalid/cesi"):
        await subscribe(client, developer, url)


async def test_malformed_urls_and_unknown_event_types_are_refused(client):
    developer = await make_developer(client)
    for body in ({"url": "ftp://example.com/x", "events": ["order.created"]},
                 {"url": "https://user:pw@example.com/x", "events": ["order.created"]},
                 {"url": HOOK, "events": ["order.eaten"]}, {"url": HOOK, "events": []}):
        response = await client.post("/api/v1/webhooks", headers=developer.headers, json=body)
        assert response.status == 422, body


async def test_an_endpoint_changes_pauses_and_rotates_its_secret(client):
    developer = await make_developer(client)
    created = await subscribe(client, developer, HOOK)
    path = f"/api/v1/webhooks/{created['id']}"
    response = await client.patch(path, headers=developer.headers, json={
        "events": ["order.ready"], "active": False, "description": "Cuisine"})
    changed = await response.json()
    assert (changed["events"], changed["active"], changed["description"]) == (["order.ready"], False, "Cuisine")
    assert "secret" not in changed and changed["previous_secret_valid_until"] is None

    rotated = await (await client.patch(path, headers=developer.headers,
                                        json={"rotate_secret": True})).json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != created["secret"]
    assert rotated["previous_secret_valid_until"] is not None


async def test_a_deleted_endpoint_is_gone(client):
    developer = await make_developer(client)
    created = await subscribe(client, developer, HOOK)
    path = f"/api/v1/webhooks/{created['id']}"
    assert (await client.delete(path, headers=developer.headers)).status == 204
    assert (await client.get(path, headers=developer.headers)).status == 404
