"""The OpenAPI document: valid, complete, true to the routes; and the docs page that reads it."""
import asyncio
import os
import secrets
import tempfile

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.configuration import set_hypothesis_home_dir
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.support import stores
from tests.support.http import call
from tests.support.live import start_node
from web.openapi import api_operations

# hypothesis keeps caches in its home folder: not in the repository
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="hypothesis-"))


@pytest.fixture
async def document(client):
    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    return await response.json()


async def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


async def test_every_api_route_is_in_the_document(client, document):
    routes = {(method.lower(), path) for method, path, _ in api_operations(client.app)}
    documented = {(m, p) for p, item in document["paths"].items() for m in item}
    assert routes - documented == set()
    assert "/api-keys/{id}" in document["paths"]


async def test_operations_say_who_may_call_them(document):
    paths = document["paths"]
    assert paths["/auth/register"]["post"]["security"] == []
    assert paths["/me"]["get"]["security"] == [{"BearerAuth": []}]
    assert paths["/api-keys/current"]["get"]["security"] == [{"ApiKeyAuth": []}]
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKeyAuth"] == {**schemes["ApiKeyAuth"], "type": "apiKey", "in": "header",
                                     "name": "X-API-Key"}
    assert "orders:write" in schemes["ApiKeyAuth"]["description"]


async def test_bodies_answers_and_errors_come_from_the_handlers_types(document):
    create = document["paths"]["/api-keys"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApiKeyInput"}
    assert create["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CreatedApiKey"}
    assert create["responses"]["422"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"}
    assert "RateLimit-Remaining" in create["responses"]["201"]["headers"]
    assert "Retry-After" in create["responses"]["429"]["headers"]
    schemas = document["components"]["schemas"]
    assert set(schemas["Scope"]["enum"]) == {"restaurants:read", "orders:read", "orders:write",
                                             "webhooks:manage", "components:read"}
    assert schemas["ApiKeyInput"]["properties"]["name"]["examples"]


async def test_creating_posts_document_their_idempotency_key(document):
    for path in ("/auth/register", "/api-keys"):
        names = [p["name"] for p in document["paths"][path]["post"]["parameters"]]
        assert "Idempotency-Key" in names, path


async def test_the_docs_page_loads_the_viewer_served_from_our_own_host(client, repo_root):
    page = await client.get("/api/docs")
    html = await page.text()
    assert page.status == 200 and 'data-url="/api/v1/openapi.json"' in html
    bundle = "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js"
    assert bundle in html
    if (repo_root / "static/node_modules/swagger-ui-dist").is_dir():
        assert (await client.get(bundle)).status == 200


# --- schemathesis against a real node process ------------------------------------------

@pytest.fixture(scope="module")
def live_node(admin_database_url, redis_url, tmp_path_factory):
    """A node process serving its own database; its base URL."""
    name = f"cesi_schema_{os.getpid()}"
    asyncio.run(stores.recreate_database(admin_database_url, name))
    env = {"CESI_ENV": "test", "DATABASE_URL": stores.with_database(admin_database_url, name),
           "REDIS_URL": redis_url, "REDIS_PREFIX": f"st{secrets.token_hex(3)}:",
           "SECRET_KEY": secrets.token_urlsafe(40), "DATA_DIR": str(tmp_path_factory.mktemp("st"))}
    node, url = start_node(env)
    try:
        yield url
    finally:
        node.stop()
        asyncio.run(stores.drop_database(admin_database_url, name))


@pytest.fixture(scope="module")
def live_api(live_node):
    return schemathesis.openapi.from_url(live_node + "/api/v1/openapi.json")


@pytest.fixture(scope="module")
def developer_headers(live_node):
    base = live_node + "/api/v1"
    email = f"dev-{secrets.token_hex(4)}@example.fr"
    status, _ = call("POST", base + "/auth/register", {
        "email": email, "password": "correct horse battery", "name": "Dev", "role": "developer"})
    assert status == 201
    status, tokens = call("POST", base + "/auth/login",
                          {"email": email, "password": "correct horse battery"})
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_no_generated_request_gets_a_5xx_or_an_answer_off_its_schema(live_api, developer_headers):
    failures = []
    for result in live_api.get_all_operations():
        operation = result.ok()
        for mode in GenerationMode:
            try:
                _fuzz(operation, mode, developer_headers)
            except Exception as failure:  # noqa: BLE001 - every failing operation is reported
                failures.append(f"{mode.value} {operation.method.upper()} {operation.path}:"
                                f" {str(failure)[:1500]}")
    assert failures == []


def _fuzz(operation, mode, headers):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=6, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    def run(case):
        case.call_and_validate(headers=headers,
                               checks=[not_a_server_error, response_schema_conformance])
    run()
