"""The OpenAPI document: valid, complete, true to the routes; and the docs page that reads it."""
import pytest

from web.openapi import api_operations


@pytest.fixture
async def document(client):
    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    return await response.json()


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
