"""The kitchen's hand-over screen in a real browser: the courier's code typed, the order leaves."""
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.test_courier_map import ALL_DAY, north, person, send, spot
from tests.support.http import call

pytestmark = pytest.mark.browser


def ready_with_courier(base):
    """An order ready in the kitchen with a courier on the way; returns the owner, order and code."""
    here = spot()
    owner, customer, courier = person(base, "restaurateur"), person(base, "customer"), person(base, "courier")
    _, shop = call("POST", base + "/api/v1/restaurants", {
        "name": "Comptoir Remise", "address": "5 rue du Test", "hours": ALL_DAY, "position": here,
        "delivery_radius_m": 5000}, token=owner["access_token"])
    _, burger = call("POST", f"{base}/api/v1/restaurants/{shop['id']}/articles",
                     {"name": "Burger", "price_cents": 1250}, token=owner["access_token"])
    _, order = call("POST", base + "/api/v1/orders", {
        "restaurant_id": shop["id"], "payment_token": "tok_sandbox_ok",
        "lines": [{"kind": "article", "item_id": burger["id"], "quantity": 1}],
        "delivery": {"address": "6 rue du Test", "position": north(here, 900)}},
        token=customer["access_token"], headers={"Idempotency-Key": str(uuid.uuid4())})
    call("PUT", base + "/api/v1/courier/availability", {"online": True}, token=courier["access_token"])
    send(base, courier, north(here, -200))
    for step, body in (("accept", {"prep_minutes": 5}), ("preparing", {}), ("ready", {})):
        assert call("POST", f"{base}/api/v1/orders/{order['id']}/{step}", body, token=owner["access_token"])[0] == 200
    _, offer = call("GET", base + "/api/v1/courier/offer", token=courier["access_token"])
    status, taken = call("POST", f"{base}/api/v1/deliveries/{offer['delivery_id']}/accept", {},
                         token=courier["access_token"])
    assert status == 200, taken
    return owner, customer, order, taken["pickup_code"]["code"]


def test_the_restaurant_types_the_couriers_code_and_the_order_is_on_its_way(page, live_server):
    owner, customer, order, code = ready_with_courier(live_server)
    page.goto("/")
    page.evaluate("([a, r]) => { localStorage.setItem('access_token', a); localStorage.setItem('refresh_token', r); }",
                  [owner["access_token"], owner["refresh_token"]])
    page.goto("/kitchen/pickup")
    row = page.locator(f'[data-order-id="{order["id"]}"]')
    expect(row).to_be_visible()
    row.get_by_label("Code du livreur").fill("000 000" if code != "000 000" else "111 111")
    row.get_by_role("button", name="Remettre").click()
    expect(page.get_by_role("alert")).to_contain_text("4 essais")
    row.get_by_label("Code du livreur").fill(code)
    row.get_by_role("button", name="Remettre").click()
    expect(row).to_be_hidden()
    status, seen = call("GET", f"{live_server}/api/v1/orders/{order['id']}", token=customer["access_token"])
    assert seen["status"] == "picked_up"
