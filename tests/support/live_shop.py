"""People, a restaurant and orders made over HTTP on a live node, for browser tests."""
from __future__ import annotations

from tests.support.http import SIGN_UP_PASSWORD, call, sign_up

PASSWORD = SIGN_UP_PASSWORD
ALL_DAY = {"days": [[{"open": "00:00", "close": "00:00"}]] * 7}
HERE = {"lat": 48.8566, "lng": 2.3522}
HOME = {"address": "99 rue de Rivoli, 75001 Paris", "position": {"lat": 48.8606, "lng": 2.3376}}


def person(base: str, role: str) -> tuple[str, str]:
    """(e-mail, access token) of a new self-registered person."""
    signed_up = sign_up(base, role)
    return signed_up["email"], signed_up["access_token"]


def open_restaurant(base: str) -> tuple[str, str, str]:
    """(restaurant id, a burger's id, the owner's token): open all day near the Hôtel de Ville."""
    _, token = person(base, "restaurateur")
    status, shop = call("POST", base + "/api/v1/restaurants", {
        "name": "Chez Webhook", "cuisines": ["burgers"], "address": "Place de l'Hôtel de Ville",
        "position": HERE, "hours": ALL_DAY, "delivery_radius_m": 3000, "avg_prep_minutes": 15}, token=token)
    assert status == 201, shop
    status, burger = call("POST", f"{base}/api/v1/restaurants/{shop['id']}/articles", {
        "name": "Burger", "category": "dish", "price_cents": 1250}, token=token)
    assert status == 201, burger
    return shop["id"], burger["id"], token


def order_with_key(base: str, key: str, shop_id: str, burger_id: str) -> dict:
    status, order = call("POST", base + "/api/v1/orders", {
        "restaurant_id": shop_id, "lines": [{"kind": "article", "item_id": burger_id, "quantity": 1}],
        "delivery": HOME, "payment_token": "tok_sandbox_ok"}, headers={"X-API-Key": key})
    assert status == 201, order
    return order
