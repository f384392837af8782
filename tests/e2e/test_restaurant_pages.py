"""Restaurant pages in a real browser: an owner builds a menu, a customer finds it nearby."""
import uuid

import pytest
from playwright.sync_api import expect

from tests.support.http import call, sign_up

pytestmark = pytest.mark.browser
PARIS = {"lat": 48.8566, "lng": 2.3522}


def signed_up(base, role):
    return sign_up(base, role)

def sign_in(page, tokens):
    """Hand the browser the tokens the sign-in page would have stored."""
    page.goto("/")
    page.evaluate("pair => { localStorage.setItem('access_token', pair.access_token);"
                  " localStorage.setItem('refresh_token', pair.refresh_token); }", tokens)


def test_a_restaurateur_creates_a_restaurant_and_composes_its_menu(page, live_server):
    tokens = signed_up(live_server, "restaurateur")
    sign_in(page, tokens)
    page.goto("/kitchen/restaurants")
    name = f"Bistrot {uuid.uuid4().hex[:6]}"
    page.locator("#new-name").fill(name)
    page.get_by_label("Cuisines (séparées par des virgules)").fill("bistrot, française")
    page.locator("#new-address").fill("1 place de l'Hôtel de Ville, Paris")
    page.locator("#new-lat").fill(str(PARIS["lat"]))
    page.locator("#new-lng").fill(str(PARIS["lng"]))
    page.get_by_role("button", name="Créer le restaurant").click()
    expect(page.get_by_role("heading", name="Réglages du restaurant")).to_be_visible()
    expect(page.locator("#set-name")).to_have_value(name)

    page.get_by_role("link", name="Modifier la carte").click()
    article = page.locator("#article-form")
    article.locator("#article-name").fill("Burger maison")
    article.get_by_label("Prix (€)").fill("12,50")
    page.get_by_role("button", name="Ajouter un groupe d'options").click()
    article.get_by_label("Groupe d'options").fill("Cuisson")
    article.get_by_label("Option", exact=True).fill("À point")
    page.get_by_role("button", name="Enregistrer l'article").click()
    expect(page.locator("#article-list [data-article-id]")).to_have_count(1)
    article.locator("#article-name").fill("Limonade")
    article.get_by_label("Catégorie").select_option("drink")
    article.get_by_label("Prix (€)").fill("3")
    page.get_by_role("button", name="Enregistrer l'article").click()
    expect(page.locator("#article-list section[data-category=drink]")).to_contain_text("Limonade")

    menu = page.locator("#menu-form")
    menu.get_by_label("Nom du menu").fill("Menu midi")
    menu.get_by_label("Prix du menu (€)").fill("14,90")
    for slot, dish in (("Plat", "Burger maison"), ("Boisson", "Limonade")):
        page.get_by_role("button", name="Ajouter un choix").click()
        box = menu.locator(".menu-slot").last
        box.get_by_label("Choix", exact=True).fill(slot)
        box.get_by_label(dish).check()
    page.get_by_role("button", name="Enregistrer le menu").click()
    expect(page.locator("#menu-list [data-menu-id]")).to_contain_text("Plat (Burger maison) · Boisson (Limonade)")

    def saved_availability(response):
        return response.request.method == "PATCH" and "/articles/" in response.url

    with page.expect_response(saved_availability) as patched:
        page.locator("#article-list section[data-category=drink]").get_by_role("switch").uncheck()
    assert patched.value.ok
    restaurant_id = page.locator("#menu-editor").get_attribute("data-restaurant-id")
    expect(page.locator("#article-list section[data-category=drink] [role=switch]")).not_to_be_checked()
    status, articles = call("GET", f"{live_server}/api/v1/restaurants/{restaurant_id}/articles")
    assert sorted((a["name"], a["price_cents"], a["available"]) for a in articles["items"]) == [
        ("Burger maison", 1250, True), ("Limonade", 300, False)]
    assert articles["items"][0]["option_groups"][0]["options"][0]["name"] == "À point"


@pytest.fixture
def bistro(live_server):
    """A restaurant at the Hôtel de Ville delivering 3 km around, one 390 km away in Lyon."""
    tokens = signed_up(live_server, "restaurateur")
    token = tokens["access_token"]

    def create(name, position):
        status, body = call("POST", live_server + "/api/v1/restaurants", {
            "name": name, "cuisines": ["bistrot"], "position": position, "delivery_radius_m": 3000,
            "address": "Quelque part"}, token=token)
        assert status == 201, body
        return body
    near = create(f"Le Bistrot {uuid.uuid4().hex[:6]}", PARIS)
    create(f"Le Bouchon {uuid.uuid4().hex[:6]}", {"lat": 45.764, "lng": 4.8357})
    base = f"{live_server}/api/v1/restaurants/{near['id']}"
    _, burger = call("POST", base + "/articles", {"name": "Burger maison", "price_cents": 1250,
                                                  "description": "Bœuf, cheddar"}, token=token)
    _, tart = call("POST", base + "/articles", {"name": "Tarte Tatin", "category": "dessert",
                                                "price_cents": 650}, token=token)
    status, menu = call("POST", base + "/menus", {"name": "Menu gourmand", "price_cents": 1690, "slots": [
        {"name": "Plat", "article_ids": [burger["id"]]}, {"name": "Dessert", "article_ids": [tart["id"]]}]},
        token=token)
    assert status == 201, menu
    return {"restaurant": near, "burger": burger}


def test_a_customer_finds_a_restaurant_near_an_address_and_sees_its_menu(page, bistro):
    name = bistro["restaurant"]["name"]
    page.goto("/restaurants")
    page.get_by_label("Adresse de livraison").fill("99 rue de Rivoli, 75001 Paris")
    page.locator("#find-lat").fill("48.8606")
    page.locator("#find-lng").fill("2.3376")
    page.get_by_role("button", name="Trouver des restaurants").click()
    card = page.locator("#restaurant-results li", has_text=name)
    expect(card).to_contain_text("à 1,2 km")
    expect(page.locator("#restaurant-results")).not_to_contain_text("Le Bouchon")

    card.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    dishes = page.locator("section[data-category=dish]")
    expect(dishes.get_by_role("heading", level=2)).to_have_text("Plats")
    expect(dishes.locator(f"[data-article-id='{bistro['burger']['id']}']")).to_contain_text("12,50")
    expect(page.locator("section[data-category=dessert]")).to_contain_text("Tarte Tatin")
    expect(page.locator("#restaurant-menus [data-menu-id]")).to_contain_text("Menu gourmand")
