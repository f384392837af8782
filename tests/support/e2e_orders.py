"""Orders placed over HTTP for the browser tests: a new restaurant with a burger, one ordered."""
import uuid

from tests.support.http import call

ALL_DAY = {"days": [[{"open": "00:00", "close": "00:00"}]] * 7}


def north(place, metres):
    return {"lat": place["lat"] + metres / 111_200, "lng": place["lng"]}


def burger_ordered(base, owner, customer, here, shop_name, street, metres):
    """The owner opens `shop_name` at `here`; the customer orders its burger `metres` north."""
    _, shop = call("POST", base + "/api/v1/restaurants", {
        "name": shop_name, "address": f"{street[0]} rue du Test", "hours": ALL_DAY, "position": here,
        "delivery_radius_m": 5000}, token=owner["access_token"])
    _, burger = call("POST", f"{base}/api/v1/restaurants/{shop['id']}/articles",
                     {"name": "Burger", "price_cents": 1250}, token=owner["access_token"])
    status, order = call("POST", base + "/api/v1/orders", {
        "restaurant_id": shop["id"], "payment_token": "tok_sandbox_ok",
        "lines": [{"kind": "article", "item_id": burger["id"], "quantity": 1}],
        "delivery": {"address": f"{street[1]} rue du Test", "position": north(here, metres)}},
        token=customer["access_token"], headers={"Idempotency-Key": str(uuid.uuid4())})
    assert status == 201, order
    return order
