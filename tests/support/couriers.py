"""Couriers online at a place, fixes, and orders accepted by their restaurant, through the real API."""
from __future__ import annotations

import time

from domain.roles import Role
from server.couriers import live_store
from server.keys import CONTEXT
from tests.support.catalogue_factories import RESTAURANT_AT, Shop, make_shop, placed_order
from tests.support.factories import Person, make_person


def ctx_of(client):
    app = client.app if getattr(client, "app", None) is not None else client.server.app
    return app[CONTEXT]


def now_ms() -> float:
    return time.time() * 1000


def fix(lat: float, lng: float, ts: float | None = None, **extra) -> dict:
    return {"lat": lat, "lng": lng, "ts": now_ms() if ts is None else ts, **extra}


def near(metres_north: float = 0.0, metres_east: float = 0.0, origin: dict = RESTAURANT_AT) -> dict:
    """A point so many metres north and east of the restaurant (a flat-earth step is close enough)."""
    return {"lat": origin["lat"] + metres_north / 111_200,
            "lng": origin["lng"] + metres_east / 73_000}


async def go_online(client, courier: Person, online: bool = True):
    return await client.put("/api/v1/courier/availability", json={"online": online}, headers=courier.headers)


async def send_fix(client, courier: Person, body: dict):
    return await client.post("/api/v1/courier/location", json=body, headers=courier.headers)


async def courier_at(client, where: dict, **fields) -> Person:
    """A courier online and believed at `where`."""
    courier = await make_person(client, Role.courier, **fields)
    assert (await go_online(client, courier)).status == 200
    response = await send_fix(client, courier, fix(**where))
    assert response.status == 200, await response.text()
    return courier


async def move(client, courier: Person, where: dict, ts: float | None = None) -> None:
    response = await send_fix(client, courier, fix(**where, ts=ts))
    assert response.status == 200, await response.text()


async def free_couriers(client) -> set:
    ctx = ctx_of(client)
    return {member.decode() for member in await ctx.redis.zrange(live_store.free_key(ctx), 0, -1)}


async def accepted_order(client, shop: Shop | None = None, customer: Person | None = None,
                         prep_minutes: int = 10) -> tuple[dict, Shop, Person]:
    """An order placed by a customer and accepted by its restaurant: dispatch has begun."""
    shop = shop or await make_shop(client)
    customer = customer or await make_person(client, Role.customer)
    order = await placed_order(client, customer, shop)
    response = await client.post(f"/api/v1/orders/{order['id']}/accept", json={"prep_minutes": prep_minutes},
                                 headers=shop.owner.headers)
    assert response.status == 200, await response.text()
    return await response.json(), shop, customer


async def delivery_of(client, order_id: str, person: Person) -> dict:
    response = await client.get(f"/api/v1/orders/{order_id}/delivery", headers=person.headers)
    assert response.status == 200, await response.text()
    return await response.json()


async def offer_of(client, courier: Person):
    """The offer in front of the courier (None if none)."""
    response = await client.get("/api/v1/courier/offer", headers=courier.headers)
    return await response.json() if response.status == 200 else None


async def kitchen_ready(client, order_id: str, shop: Shop) -> None:
    for step in ("preparing", "ready"):
        response = await client.post(f"/api/v1/orders/{order_id}/{step}", json={}, headers=shop.owner.headers)
        assert response.status == 200, await response.text()
