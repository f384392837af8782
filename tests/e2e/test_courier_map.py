"""The customer's order page in a real browser: the courier's marker moves as positions arrive."""
import random
import time

import pytest
from playwright.sync_api import expect

from tests.support.e2e_orders import ALL_DAY, burger_ordered, north  # noqa: F401 (shared)
from tests.support.http import call, sign_up

pytestmark = pytest.mark.browser


def person(base, role):
    return sign_up(base, role)

def spot():
    """A place of this test's own, so couriers of other tests are never nearer."""
    return {"lat": round(random.uniform(43.5, 49.5), 5), "lng": round(random.uniform(-0.5, 6.0), 5)}


def delivery_under_way(base):
    """An order accepted by its restaurant and taken by a courier standing 400 m away."""
    here = spot()
    owner, customer, courier = person(base, "restaurateur"), person(base, "customer"), person(base, "courier")
    order = burger_ordered(base, owner, customer, here, "Carte E2E", (1, 2), 1500)
    assert call("PUT", base + "/api/v1/courier/availability", {"online": True}, token=courier["access_token"])[0] == 200
    send(base, courier, north(here, -400))
    assert call("POST", f"{base}/api/v1/orders/{order['id']}/accept", {"prep_minutes": 10},
                token=owner["access_token"])[0] == 200
    status, offer = call("GET", base + "/api/v1/courier/offer", token=courier["access_token"])
    assert status == 200, offer
    status, taken = call("POST", f"{base}/api/v1/deliveries/{offer['delivery_id']}/accept", {},
                         token=courier["access_token"])
    assert status == 200, taken
    return here, order, customer, courier


def send(base, courier, where, ts=None):
    body = {**where, "ts": ts or time.time() * 1000, "accuracy": 10}
    status, answer = call("POST", base + "/api/v1/courier/location", body, token=courier["access_token"])
    assert status == 200, answer


def test_the_customers_map_shows_the_courier_moving_as_positions_arrive(page, live_server):
    here, order, customer, courier = delivery_under_way(live_server)
    page.goto("/")
    page.evaluate("([a, r]) => { localStorage.setItem('access_token', a); localStorage.setItem('refresh_token', r); }",
                  [customer["access_token"], customer["refresh_token"]])
    page.goto(f"/orders/{order['id']}")
    expect(page.locator("#delivery-code")).to_contain_text(" ")
    marker = page.locator(".map-pin-courier")
    expect(marker).to_be_visible()
    expect(page.locator("#tracking-eta")).to_contain_text("min")
    before = marker.bounding_box()
    # seconds after the first fix, however fast the page came: 150 m at once would be refused
    start = time.time() * 1000 + 5000
    send(live_server, courier, north(here, -250), ts=start)
    expect(page.locator("#order-tracking")).to_have_attribute("data-courier", _at(north(here, -250)))
    send(live_server, courier, north(here, -100), ts=start + 5000)
    expect(page.locator("#order-tracking")).to_have_attribute("data-courier", _at(north(here, -100)))
    after = marker.bounding_box()
    assert after["y"] < before["y"] - 5  # north is up: the marker went up the map
    assert page.locator("#tracking-map img.leaflet-tile").first.get_attribute("src").startswith("/static/")


def _at(where) -> str:
    return f"{where['lat']:.6f},{where['lng']:.6f}"
