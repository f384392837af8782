"""A third party's page may call the API with an API key from its own origin; nothing else may."""
from tests.support.catalogue_factories import make_shop, order_body
from tests.support.webhooks import make_developer

ORIGIN = {"Origin": "https://boutique.example"}


async def test_a_preflight_for_an_api_key_call_is_answered_for_any_origin(client):
    response = await client.options("/api/v1/orders/123", headers={
        **ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-api-key"})
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-API-Key" in response.headers["Access-Control-Allow-Headers"]


async def test_an_api_key_call_from_another_origin_may_be_read_by_that_page(client):
    developer, shop = await make_developer(client), await make_shop(client)
    placed = await client.post("/api/v1/orders", json=order_body(shop), headers=developer.headers)
    order = await placed.json()
    response = await client.get(f"/api/v1/orders/{order['id']}", headers={**ORIGIN, **developer.headers})
    assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    assert "RateLimit-Remaining" in response.headers["Access-Control-Expose-Headers"]


async def test_calls_without_a_key_get_no_cross_origin_answer(client):
    response = await client.options("/api/v1/me", headers={
        **ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"})
    assert "Access-Control-Allow-Origin" not in response.headers
    response = await client.get("/api/v1/restaurants?lat=48.85&lng=2.35", headers=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response.headers
