"""Restaurants, articles and menus created through the real API, with sensible defaults."""
from __future__ import annotations

from datetime import datetime

from server.catalogue.clock import CLOCK
from server.keys import CONTEXT

# A Paris address and its position; lunch and dinner every day.
PARIS = {"lat": 48.8566, "lng": 2.3522}
EVERY_DAY = {"days": [[{"open": "11:30", "close": "14:30"}, {"open": "18:30", "close": "23:00"}]] * 7}


def restaurant_body(**changes) -> dict:
    body = {"name": "Chez Léa", "description": "Cuisine de bistrot", "cuisines": ["Française"],
            "address": "1 place de l'Hôtel de Ville, 75004 Paris", "position": PARIS,
            "hours": EVERY_DAY, "delivery_radius_m": 3000, "avg_prep_minutes": 15}
    return {**body, **changes}


def article_body(**changes) -> dict:
    return {"name": "Burger", "category": "dish", "price_cents": 1250, **changes}


async def problem(response) -> dict:
    assert response.content_type == "application/problem+json", await response.text()
    return await response.json(content_type="application/problem+json")


async def fields_of(response) -> set[str]:
    return {e["field"] for e in (await problem(response)).get("errors", [])}


async def make_restaurant(client, owner, **changes) -> dict:
    response = await client.post("/api/v1/restaurants", json=restaurant_body(**changes), headers=owner.headers)
    assert response.status == 201, await response.text()
    return await response.json()


async def make_article(client, owner, restaurant_id, **changes) -> dict:
    response = await client.post(f"/api/v1/restaurants/{restaurant_id}/articles",
                                 json=article_body(**changes), headers=owner.headers)
    assert response.status == 201, await response.text()
    return await response.json()


def set_clock(client, at: datetime) -> None:
    """Make the app under test believe it is `at` (an aware datetime)."""
    client.app[CONTEXT].extras[CLOCK] = lambda: at
