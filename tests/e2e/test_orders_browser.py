"""Ordering in real browsers: the customer pays with the sandbox card, the kitchen accepts live."""

import pytest
from playwright.sync_api import expect

from tests.support.http import call, sign_up

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
ALL_DAY = {"days": [[{"open": "00:00", "close": "00:00"}]] * 7}
HOME = {"address": "99 rue de Rivoli, 75001 Paris", "lat": "48.8606", "lng": "2.3376"}


def register(base, role):
    person = sign_up(base, role)
    return {"email": person["email"], "token": person["access_token"]}

@pytest.fixture
def shop(live_server):
    """A restaurateur with a restaurant open all day and one burger on its menu."""
    owner = register(live_server, "restaurateur")
    status, restaurant = call("POST", live_server + "/api/v1/restaurants", {
        "name": "Le Comptoir E2E", "address": "Place de l'Hôtel de Ville", "hours": ALL_DAY,
        "position": {"lat": 48.8566, "lng": 2.3522}, "delivery_radius_m": 3000}, token=owner["token"])
    assert status == 201, restaurant
    status, burger = call("POST", f"{live_server}/api/v1/restaurants/{restaurant['id']}/articles",
                          {"name": "Burger maison", "price_cents": 1250}, token=owner["token"])
    assert status == 201, burger
    return {"owner": owner, "restaurant": restaurant, "burger": burger}


def sign_in(page, person):
    page.goto("/login")
    page.locator("#login-email").fill(person["email"])
    page.locator("#login-password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def fill_cart(page, shop, quantity=2):
    """On the restaurant page, "add to cart" on the burger, `quantity` times."""
    page.goto(f"/restaurants/{shop['restaurant']['id']}")
    add = page.locator(f'[data-article-id="{shop["burger"]["id"]}"]').get_by_role("button", name="Ajouter au panier")
    for count in range(1, quantity + 1):
        add.click()
        expect(page.locator("#nav-cart [data-cart-count]")).to_have_text(str(count))
    page.locator("#nav-cart").click()
    page.wait_for_url("**/cart")


def checkout(page, card):
    page.locator("#delivery-address").fill(HOME["address"])
    page.locator("#delivery-lat").fill(HOME["lat"])
    page.locator("#delivery-lng").fill(HOME["lng"])
    expect(page.locator("#price dd.price-total")).to_have_text("28,24\u00a0€")  # 25.00 + 1.99 + 1.25
    page.locator("#card-number").fill(card)
    page.locator("#card-expiry").fill("12/30")
    page.locator("#card-cvc").fill("123")
    page.get_by_role("button", name="Payer et commander").click()


def test_a_declined_card_keeps_the_customer_on_the_checkout_with_a_clear_message(browser, live_server, shop):
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    page = context.new_page()
    sign_in(page, register(live_server, "customer"))
    fill_cart(page, shop)
    checkout(page, "4000 0000 0000 0002")
    expect(page.locator("#pay-alert")).to_contain_text("La carte a été refusée")
    assert page.url.endswith("/cart")
    context.close()


def test_an_order_reaches_the_kitchen_live_and_its_acceptance_reaches_the_customer_live(browser, live_server, shop):
    kitchen_context = browser.new_context(base_url=live_server, locale="fr-FR")
    customer_context = browser.new_context(base_url=live_server, locale="fr-FR")
    kitchen, customer = kitchen_context.new_page(), customer_context.new_page()
    sign_in(kitchen, shop["owner"])
    kitchen.goto("/kitchen")
    expect(kitchen.locator("#live-state")).to_have_text("En direct")
    sign_in(customer, register(live_server, "customer"))
    fill_cart(customer, shop)
    checkout(customer, "4242 4242 4242 4242")
    customer.wait_for_url("**/orders/*")
    order_id = customer.url.rsplit("/", 1)[-1]
    expect(customer.locator("#order-status")).to_have_text("Passée")
    expect(customer.locator("#live-state")).to_have_text("En direct")

    card = kitchen.locator(f'#orders-placed [data-order-id="{order_id}"]')
    expect(card).to_be_visible()  # arrived without a reload
    expect(card).to_contain_text("Burger maison")
    card.locator(".prep-input").fill("20")
    card.get_by_role("button", name="Accepter").click()
    expect(kitchen.locator(f'#orders-accepted [data-order-id="{order_id}"]')).to_be_visible()

    expect(customer.locator("#order-status")).to_have_text("Acceptée")  # live, no reload
    expect(customer.locator("#order-eta")).to_contain_text("Prête vers")
    customer.reload()
    expect(customer.locator("#order-status")).to_have_text("Acceptée")
    kitchen_context.close()
    customer_context.close()


def test_the_history_lists_the_order_with_its_receipt(browser, live_server, shop):
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    page = context.new_page()
    sign_in(page, register(live_server, "customer"))
    fill_cart(page, shop)
    checkout(page, "4242 4242 4242 4242")
    page.wait_for_url("**/orders/*")
    page.goto("/orders")
    row = page.locator("#history-rows tr").first
    expect(row).to_contain_text("Le Comptoir E2E")
    expect(row).to_contain_text("28,24")
    row.get_by_role("link", name="Reçu").click()
    expect(page.locator("#receipt-payments")).to_contain_text("Montant réservé sur la carte")
    context.close()


def test_the_kitchen_screen_resumes_after_a_network_drop_with_what_it_missed(browser, live_server, shop):
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    kitchen = context.new_page()
    sign_in(kitchen, shop["owner"])
    kitchen.goto("/kitchen")
    expect(kitchen.locator("#live-state")).to_have_text("En direct")
    context.set_offline(True)
    kitchen.evaluate("CE.live.socket.io.engine.close()")  # the connection drops with the network
    expect(kitchen.locator("#live-state")).to_have_text("Connexion perdue : reconnexion…")
    customer = register(live_server, "customer")
    status, order = call("POST", live_server + "/api/v1/orders", {
        "restaurant_id": shop["restaurant"]["id"], "payment_token": "tok_sandbox_ok",
        "lines": [{"kind": "article", "item_id": shop["burger"]["id"], "quantity": 1}],
        "delivery": {"address": HOME["address"], "position": {"lat": 48.8606, "lng": 2.3376}}},
        token=customer["token"])
    assert status == 201, order
    expect(kitchen.locator("#live-state")).to_have_text("Connexion perdue : reconnexion…")  # still cut off
    expect(kitchen.locator(".kitchen-order")).to_have_count(0)
    context.set_offline(False)
    expect(kitchen.locator("#live-state")).to_have_text("En direct", timeout=20_000)
    expect(kitchen.locator('#orders-placed [data-order-id="' + order["id"] + '"]')).to_be_visible()
    context.close()
