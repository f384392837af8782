"""The developer portal in a real browser: a key created, shown once, used, then revoked."""
import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.support.http import call

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def signed_in_developer(page, base_url: str) -> None:
    """A developer account, signed in on the sign-in page, back on the portal."""
    email = f"dev-{secrets.token_hex(4)}@example.fr"
    status, _ = call("POST", base_url + "/api/v1/auth/register", {
        "email": email, "password": PASSWORD, "name": "Inès Dev", "role": "developer"})
    assert status == 201
    page.goto("/login?next=/developers")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile("/developers$"))


def test_a_developer_creates_a_key_sees_it_once_and_calls_the_api_with_it(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    signed_in_developer(page, live_server)
    expect(page.get_by_text("Aucune clé d'API pour l'instant.")).to_be_visible()

    page.get_by_label("Nom de la clé").fill("Mon site")
    page.get_by_role("checkbox", name=re.compile("orders:read")).check()
    page.get_by_role("checkbox", name=re.compile("restaurants:read")).check()
    page.get_by_role("button", name="Créer la clé").click()
    shown = page.locator("#new-key-value")
    expect(shown).to_have_text(re.compile(r"^ce_live_\w+$"))
    key = shown.inner_text()
    page.get_by_role("button", name="Copier").click()
    assert page.evaluate("navigator.clipboard.readText()") == key

    status, body = call("GET", live_server + "/api/v1/api-keys/current", headers={"X-API-Key": key})
    assert status == 200
    assert (body["name"], body["scopes"]) == ("Mon site", ["orders:read", "restaurants:read"])

    row = page.get_by_role("row", name=re.compile("Mon site"))
    expect(row).to_contain_text("orders:read, restaurants:read")
    page.reload()
    expect(page.get_by_role("row", name=re.compile("Mon site"))).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(key)


def test_a_revoked_key_stops_working_at_once(page, live_server):
    signed_in_developer(page, live_server)
    page.get_by_label("Nom de la clé").fill("Éphémère")
    page.get_by_role("checkbox", name=re.compile("components:read")).check()
    page.get_by_role("button", name="Créer la clé").click()
    key = page.locator("#new-key-value")
    expect(key).to_have_text(re.compile("^ce_live_"))
    key = key.inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("row", name=re.compile("Éphémère")).get_by_role("button", name="Révoquer").click()
    expect(page.get_by_text("Clé révoquée")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Éphémère"))).to_have_count(0)
    status, problem = call("GET", live_server + "/api/v1/api-keys/current",
                           headers={"X-API-Key": key})
    assert status == 401 and problem["type"].endswith("/api-key-revoked")


def test_a_visitor_is_asked_to_sign_in_and_finds_the_docs(page):
    page.goto("/developers")
    expect(page.get_by_text("Connectez-vous avec un compte développeur")).to_be_visible()
    page.get_by_role("link", name="Lire la documentation de l'API").click()
    expect(page).to_have_url(re.compile("/api/docs$"))
    # the viewer is a large script: give a busy machine time to parse it
    expect(page.locator(".swagger-ui").get_by_text("CESI EATS API").first).to_be_visible(
        timeout=30_000)
