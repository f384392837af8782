"""The developer portal in a real browser: a key and a webhook made, an order placed with the
key, and its delivery seen in the webhook's log, then sent again."""
import hashlib
import hmac
import http.server
import queue
import re
import threading

import pytest
from playwright.sync_api import expect

from tests.support.live_shop import PASSWORD, open_restaurant, order_with_key, person

pytestmark = pytest.mark.browser


class Hooks(http.server.BaseHTTPRequestHandler):
    """A receiver that answers 200 and keeps what it got."""

    received: queue.Queue = queue.Queue()

    def do_POST(self):  # noqa: N802 (the standard library's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.put((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hooks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks", Hooks.received
    server.shutdown()


def test_a_developer_sees_the_delivery_of_an_order_placed_with_their_key(page, live_server, receiver):
    url, received = receiver
    email, _ = person(live_server, "developer")
    page.goto("/login?next=/developers")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile("/developers$"))

    page.get_by_label("Nom de la clé").fill("Boutique")
    page.get_by_role("checkbox", name=re.compile("orders:write")).check()
    page.get_by_role("button", name="Créer la clé").click()
    key = page.locator("#new-key-value")
    expect(key).to_have_text(re.compile("^ce_live_"))
    key = key.inner_text()

    page.get_by_label("URL de réception").fill(url)
    page.get_by_label("Description", exact=True).fill("Suivi des commandes")
    page.get_by_role("button", name="Créer le webhook").click()
    secret = page.locator("#webhook-secret-value")
    expect(secret).to_have_text(re.compile("^whsec_"))
    secret = secret.inner_text()
    row = page.get_by_role("row", name=url)
    expect(row).to_contain_text("actif")

    shop_id, burger_id, _ = open_restaurant(live_server)
    order = order_with_key(live_server, key, shop_id, burger_id)

    row.get_by_role("button", name="Envois").click()
    delivered = page.locator("#delivery-rows tr", has_text="order.created")
    expect(delivered).to_contain_text("livré", timeout=30_000)
    expect(delivered).to_contain_text(order["id"][:8].upper())
    expect(delivered).to_contain_text("HTTP 200")

    headers, body = received.get(timeout=5)
    stamp = re.search(r"t=(\d+)", headers["CesiEats-Signature"]).group(1)
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert f"v1={expected}" in headers["CesiEats-Signature"]

    delivered.get_by_role("button", name="Renvoyer").click()
    expect(page.get_by_text("Envoi remis en file")).to_be_visible()
    expect(page.locator("#delivery-rows tr", has_text="order.created")).to_have_count(2)
    again_headers, again = received.get(timeout=30)
    assert again == body and again_headers["CesiEats-Event-Id"] == headers["CesiEats-Event-Id"]
