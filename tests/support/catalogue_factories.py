"""A restaurant with a small menu, and orders placed on it, all through the real API."""
from __future__ import annotations

import itertools
import uuid

import msgspec

from domain.roles import Role
from tests.support.factories import Person, make_person

# Open every hour of every day, so tests never depend on the time they run at.
ALL_DAY = {"days": [[{"open": "00:00", "close": "00:00"}]] * 7}
RESTAURANT_AT = {"lat": 48.8566, "lng": 2.3522}  # Hôtel de Ville
CUSTOMER_AT = {"lat": 48.8606, "lng": 2.3376}    # the Louvre, about 1.2 km away
FAR_AWAY = {"lat": 45.7640, "lng": 4.8357}       # Lyon
HOME = {"address": "99 rue de Rivoli, 75001 Paris", "position": CUSTOMER_AT}
_names = itertools.count(1)


class Shop(msgspec.Struct):
    """A restaurant with a burger (with a cheese option), fries, a drink and a menu of them."""

    owner: Person
    id: str
    burger: dict
    fries: dict
    cola: dict
    menu: dict

    @property
    def cheese(self) -> str:
        return self.burger["option_groups"][0]["options"][0]["id"]


async def _post(client, path: str, body: dict, person: Person) -> dict:
    response = await client.post(path, json=body, headers=person.headers)
    assert response.status == 201, await response.text()
    return await response.json()


async def make_shop(client, owner: Person | None = None, **restaurant) -> Shop:
    """An open restaurant delivering 3 km around the Hôtel de Ville, with articles and a menu."""
    owner = owner or await make_person(client, Role.restaurateur)
    body = {"name": f"Chez Test {next(_names)}", "cuisines": ["burgers"], "address": "Place de l'Hôtel de Ville",
            "position": RESTAURANT_AT, "hours": ALL_DAY, "delivery_radius_m": 3000, "avg_prep_minutes": 15,
            **restaurant}
    shop = await _post(client, "/api/v1/restaurants", body, owner)
    path = f"/api/v1/restaurants/{shop['id']}"
    burger = await _post(client, f"{path}/articles", {
        "name": "Burger", "category": "dish", "price_cents": 1250,
        "option_groups": [{"name": "Extras", "min_choices": 0, "max_choices": 1,
                           "options": [{"name": "Cheddar", "price_delta_cents": 150}]}]}, owner)
    fries = await _post(client, f"{path}/articles", {"name": "Frites", "category": "side", "price_cents": 400}, owner)
    cola = await _post(client, f"{path}/articles", {"name": "Cola", "category": "drink", "price_cents": 300}, owner)
    menu = await _post(client, f"{path}/menus", {"name": "Menu Burger", "price_cents": 1690, "slots": [
        {"name": "Plat", "article_ids": [burger["id"]]},
        {"name": "Boisson", "article_ids": [cola["id"]]}]}, owner)
    return Shop(owner=owner, id=shop["id"], burger=burger, fries=fries, cola=cola, menu=menu)


def burger_line(shop: Shop, quantity: int = 1, cheese: bool = False) -> dict:
    return {"kind": "article", "item_id": shop.burger["id"], "quantity": quantity,
            "option_ids": [shop.cheese] if cheese else []}


def menu_line(shop: Shop, quantity: int = 1) -> dict:
    slots = shop.menu["slots"]
    return {"kind": "menu", "item_id": shop.menu["id"], "quantity": quantity,
            "choices": {slots[0]["id"]: [shop.burger["id"]], slots[1]["id"]: [shop.cola["id"]]}}


def order_body(shop: Shop, lines: list[dict] | None = None, **changes) -> dict:
    body = {"restaurant_id": shop.id, "lines": lines or [burger_line(shop, 2)], "delivery": HOME,
            "note": "Sonnez deux fois", "payment_token": "tok_sandbox_ok"}
    return {**body, **changes}


async def place(client, customer: Person, shop: Shop, key: str | None = None, **changes):
    """POST /orders; returns the raw response, so tests can look at refusals too."""
    headers = {**customer.headers, **({"Idempotency-Key": key} if key else {})}
    return await client.post("/api/v1/orders", json=order_body(shop, **changes), headers=headers)


async def placed_order(client, customer: Person, shop: Shop, **changes) -> dict:
    response = await place(client, customer, shop, key=str(uuid.uuid4()), **changes)
    assert response.status == 201, await response.text()
    return await response.json()
