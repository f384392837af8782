"""Components in a real browser: tech staff publish and remove, a developer downloads, and the
order tracker follows an order on a shop's page of another origin."""
import functools
import http.server
import re
import secrets
import shutil
import subprocess
import sys
import threading

import pytest
from playwright.sync_api import expect

from tests.support.components import TRACKER_DIR, package
from tests.support.http import call
from tests.support.live import ROOT
from tests.support.live_shop import PASSWORD, open_restaurant, order_with_key, person

pytestmark = pytest.mark.browser


def sign_in(page, email: str, next_path: str) -> None:
    page.goto(f"/login?next={next_path}")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def tech_email(live_env) -> str:
    email = f"tech-{secrets.token_hex(4)}@example.fr"
    subprocess.run([sys.executable, "-m", "server", "create-staff", "--role", "tech", "--email", email,
                    "--password", PASSWORD, "--name", "Tess Tech"], cwd=ROOT, env=live_env, check=True,
                   capture_output=True, timeout=60)
    return email


def test_tech_publishes_a_component_a_developer_downloads_it_and_tech_sees_who(
        page, browser, live_server, live_env, tmp_path):
    name = f"widget-{secrets.token_hex(3)}"
    upload = tmp_path / f"{name}.tgz"
    upload.write_bytes(package(name=name, version="2.1.0"))
    sign_in(page, tech_email(live_env), "/staff/components")
    page.get_by_label("Archive du composant").set_input_files(upload)
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_text(f"Publié {name}@2.1.0")).to_be_visible()
    expect(page.locator(f'tr[data-component="{name}"]')).to_contain_text("2.1.0")

    developer = browser.new_context(base_url=live_server, locale="fr-FR", accept_downloads=True).new_page()
    email, _ = person(live_server, "developer")
    sign_in(developer, email, "/developers")
    row = developer.get_by_role("row", name=re.compile(name))
    expect(row).to_contain_text("2.1.0")
    expect(developer.locator("#npm-setup")).to_contain_text("/npm/:_authToken=")
    with developer.expect_download() as download:
        row.get_by_role("button", name="Télécharger").click()
    assert download.value.suggested_filename == f"{name}-2.1.0.tgz"
    assert download.value.path().read_bytes() == upload.read_bytes()

    page.reload()
    expect(page.locator("#download-rows tr", has_text=name)).to_contain_text(email)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f'tr[data-component="{name}"]').get_by_role("button", name="Tout retirer").click()
    expect(page.locator(f'tr[data-component="{name}"]')).to_have_count(0)


@pytest.fixture
def third_party_site(tmp_path):
    """Another origin serving a shop's page with the tracker as installed from npm."""
    site = tmp_path / "site"
    shutil.copytree(TRACKER_DIR, site / "node_modules" / "@cesi-eats" / "order-tracker")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_shops_page_on_another_origin_follows_an_order_with_the_tracker(page, live_server, third_party_site):
    _, token = person(live_server, "developer")
    status, key = call("POST", live_server + "/api/v1/api-keys",
                       {"name": "Suivi", "scopes": ["orders:read", "orders:write"]}, token=token)
    assert status == 201
    shop_id, burger_id, owner = open_restaurant(live_server)
    order = order_with_key(live_server, key["key"], shop_id, burger_id)
    site, site_url = third_party_site
    (site / "suivi.html").write_text(f"""<!doctype html><html lang="fr"><body>
        <script type="module" src="node_modules/@cesi-eats/order-tracker/order-tracker.js"></script>
        <cesi-order-tracker order-id="{order['id']}" api-key="{key['key']}" base-url="{live_server}"
                            interval="1"></cesi-order-tracker></body></html>""")

    page.goto(site_url + "/suivi.html")
    tracker = page.locator("cesi-order-tracker")
    expect(tracker.get_by_role("status")).to_have_text("Commande passée")
    expect(tracker.get_by_role("heading")).to_contain_text(order["ref"])

    status, _ = call("POST", f"{live_server}/api/v1/orders/{order['id']}/accept", {"prep_minutes": 20}, token=owner)
    assert status == 200
    expect(tracker.get_by_role("status")).to_contain_text("Acceptée par le restaurant · Prête vers")
    expect(tracker.locator("li.done")).to_have_count(2)
