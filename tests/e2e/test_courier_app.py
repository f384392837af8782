"""The courier app in a real phone-sized browser: online, an offer with its countdown, accepted."""
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.test_courier_map import north, person, spot
from tests.support.e2e_orders import burger_ordered
from tests.support.http import call

pytestmark = pytest.mark.browser


def order_waiting_for_acceptance(base, here):
    owner, customer = person(base, "restaurateur"), person(base, "customer")
    return owner, burger_ordered(base, owner, customer, here, "Chez Appli", (3, 4), 1200)


def test_a_courier_goes_online_gets_an_offer_live_and_accepts_it(browser, live_server):
    here = spot()
    courier = person(live_server, "courier")
    standing = north(here, -300)
    context = browser.new_context(base_url=live_server, locale="fr-FR", viewport={"width": 390, "height": 844},
                                  permissions=["geolocation"],
                                  geolocation={"latitude": standing["lat"], "longitude": standing["lng"],
                                               "accuracy": 10})
    page = context.new_page()
    page.goto("/")
    page.evaluate("([a, r]) => { localStorage.setItem('access_token', a); localStorage.setItem('refresh_token', r); }",
                  [courier["access_token"], courier["refresh_token"]])
    page.goto("/courier")
    switch = page.get_by_role("switch")
    expect(switch).to_be_enabled()
    switch.check()
    expect(page.locator("#online-label")).to_have_text("En ligne")
    deadline = time.time() + 10
    while call("GET", live_server + "/api/v1/courier/availability", token=courier["access_token"])[1]["free"] is False:
        assert time.time() < deadline, "the browser's position never reached the server"
        page.wait_for_timeout(100)
    owner, order = order_waiting_for_acceptance(live_server, here)
    assert call("POST", f"{live_server}/api/v1/orders/{order['id']}/accept", {"prep_minutes": 10},
                token=owner["access_token"])[0] == 200
    offer = page.get_by_role("alertdialog")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Chez Appli")
    expect(page.locator("#offer-left")).to_contain_text("s")
    offer.get_by_role("button", name="Accepter").click()
    expect(page.locator("#job-step")).to_have_text("Direction le restaurant")
    expect(page.locator("#pickup-code")).to_have_text(re.compile(r"^[0-9]{3} [0-9]{3}$"))
    expect(page.locator("#pickup-qr svg")).to_be_visible()
    expect(page.locator("#job-map .map-pin-restaurant")).to_be_visible()
    context.close()
