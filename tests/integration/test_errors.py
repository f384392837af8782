"""The error middleware: problem+json for the API, pages for people, no traceback ever."""
import msgspec
from aiohttp import web

from domain.errors import Conflict, RateLimited
from web.decode import read_json


class Thing(msgspec.Struct):
    name: str
    price_cents: int


async def explode(request):
    raise RuntimeError("secret internals: password=hunter2")


async def conflict(request):
    raise Conflict("the order was already accepted", code="illegal-transition")


async def limited(request):
    raise RateLimited("slow down", retry_after=7)


async def echo(request):
    thing = await read_json(request, Thing)
    return web.json_response({"name": thing.name})


def extra_routes(app):
    app.router.add_get("/api/v1/_test/explode", explode)
    app.router.add_get("/_test/explode", explode)
    app.router.add_post("/api/v1/_test/conflict", conflict)
    app.router.add_get("/api/v1/_test/limited", limited)
    app.router.add_post("/api/v1/_test/echo", echo)
    return app


async def test_an_unexpected_error_is_a_500_problem_without_traceback(make_app, aiohttp_client, caplog):
    client = await aiohttp_client(extra_routes(make_app()))
    response = await client.get("/api/v1/_test/explode")
    assert response.status == 500
    assert response.content_type == "application/problem+json"
    body = await response.json()
    assert body["status"] == 500 and body["request_id"] == response.headers["X-Request-Id"]
    text = msgspec.json.encode(body).decode()
    assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text
    logged = [r for r in caplog.records if r.getMessage() == "unhandled error"]
    assert logged and logged[0].request_id == body["request_id"] and logged[0].exc_info


async def test_an_unexpected_error_on_a_page_is_a_readable_page(make_app, aiohttp_client):
    client = await aiohttp_client(extra_routes(make_app()))
    response = await client.get("/_test/explode", headers={"Accept": "text/html"})
    assert response.status == 500 and response.content_type == "text/html"
    page = await response.text()
    assert "Un problème est survenu de notre côté." in page and "hunter2" not in page


async def test_domain_errors_keep_their_status_and_code(make_app, aiohttp_client):
    client = await aiohttp_client(extra_routes(make_app()))
    response = await client.post("/api/v1/_test/conflict")
    body = await response.json(content_type="application/problem+json")
    assert response.status == 409
    assert body["type"].endswith("/illegal-transition")
    assert body["detail"] == "the order was already accepted"


async def test_rate_limited_answers_carry_retry_after(make_app, aiohttp_client):
    client = await aiohttp_client(extra_routes(make_app()))
    response = await client.get("/api/v1/_test/limited")
    assert response.status == 429 and response.headers["Retry-After"] == "7"


async def test_an_unknown_api_path_is_a_404_problem(client):
    response = await client.get("/api/v1/nothing-here")
    assert response.status == 404
    assert (await response.json(content_type="application/problem+json"))["status"] == 404


async def test_a_wrong_method_is_a_405_problem_that_lists_allowed_methods(client):
    response = await client.post("/healthz", headers={"Accept": "application/json"})
    assert response.status == 405 and "GET" in response.headers["Allow"]


async def test_an_unknown_page_is_a_readable_404_page(client):
    response = await client.get("/nowhere", headers={"Accept": "text/html"})
    assert response.status == 404
    assert "Cette page n'existe pas." in await response.text()


async def test_malformed_json_is_a_422_problem(make_app, aiohttp_client):
    client = await aiohttp_client(extra_routes(make_app()))
    response = await client.post("/api/v1/_test/echo", data=b"{not json",
                                 headers={"Content-Type": "application/json"})
    body = await response.json(content_type="application/problem+json")
    assert response.status == 422 and body["detail"] == "the request body is not valid JSON"


async def test_a_wrong_type_names_the_field(make_app, aiohttp_client):
    client = await aiohttp_client(extra_routes(make_app()))
    response = await client.post("/api/v1/_test/echo", json={"name": "x", "price_cents": "12"})
    body = await response.json(content_type="application/problem+json")
    assert response.status == 422
    assert body["errors"] == [{"field": "price_cents", "message": "Expected `int`, got `str`"}]


async def test_an_oversized_body_is_a_413_problem(make_app, aiohttp_client):
    client = await aiohttp_client(extra_routes(make_app(max_body_bytes=2048)))
    response = await client.post("/api/v1/_test/echo", data=b"x" * 10_000,
                                 headers={"Content-Type": "application/json"})
    assert response.status == 413
    assert response.content_type == "application/problem+json"


async def test_every_request_gets_an_id_and_keeps_a_sane_incoming_one(client):
    fresh = await client.get("/healthz")
    kept = await client.get("/healthz", headers={"X-Request-Id": "abc123def456"})
    refused = await client.get("/healthz", headers={"X-Request-Id": "<script>"})
    assert len(fresh.headers["X-Request-Id"]) == 16
    assert kept.headers["X-Request-Id"] == "abc123def456"
    assert refused.headers["X-Request-Id"] != "<script>"
