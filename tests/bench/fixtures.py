"""A restaurant, its articles and customers' orders, made through the node's API once and
remembered (by id, in the cache folder) for later runs on the same benchmark database."""
from __future__ import annotations

import asyncio
import json
import uuid

import aiohttp

from tests.bench.accounts import CACHE
from tests.bench.harness import log

PARIS = {"lat": 48.8566, "lng": 2.3522}
ALL_DAY = [[{"open": "00:00", "close": "23:59"}] for _ in range(7)]
ARTICLES = [("Burger maison", 1200), ("Frites", 350), ("Limonade", 500), ("Salade César", 950),
            ("Tiramisu", 600), ("Wrap poulet", 890)]


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class Fixtures:
    """What the workloads on our node need besides accounts, against one base URL."""

    def __init__(self, base_url: str, database: str) -> None:
        self.base_url = base_url
        self.path = CACHE / f"{database}-fixtures.json"
        self.cache = json.loads(self.path.read_text()) if self.path.exists() else {}

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.cache))

    async def restaurant(self, owner_token: str) -> dict:
        """{id, articles: [{id, price_cents}]}: open all week, delivering around central Paris."""
        async with aiohttp.ClientSession(self.base_url, headers=_bearer(owner_token)) as http:
            known = self.cache.get("restaurant")
            if known:
                async with http.get(f"/api/v1/restaurants/{known['id']}") as r:
                    if r.status == 200:
                        return known
            body = {"name": "Bench Bistro", "description": "Benchmark restaurant", "cuisines": ["french"],
                    "address": "1 rue de Rivoli, 75001 Paris", "position": PARIS,
                    "hours": {"days": ALL_DAY}, "delivery_radius_m": 10000, "avg_prep_minutes": 15}
            async with http.post("/api/v1/restaurants", json=body) as r:
                if r.status != 201:
                    raise RuntimeError(f"restaurant: {r.status} {await r.text()}")
                restaurant = {"id": (await r.json())["id"], "articles": []}
            for name, price in ARTICLES:
                async with http.post(f"/api/v1/restaurants/{restaurant['id']}/articles",
                                     json={"name": name, "price_cents": price}) as r:
                    if r.status != 201:
                        raise RuntimeError(f"article: {r.status} {await r.text()}")
                    restaurant["articles"].append({"id": (await r.json())["id"], "price_cents": price})
        self.cache.update(restaurant=restaurant, orders={})  # orders were the old restaurant's
        self._save()
        log(f"restaurant {restaurant['id']} made through the API")
        return restaurant

    async def neighbours(self, owner_token: str, count: int) -> list[str]:
        """More restaurants around central Paris, so a nearby search lists a page of them."""
        known: list[str] = self.cache.setdefault("neighbours", [])
        async with aiohttp.ClientSession(self.base_url, headers=_bearer(owner_token)) as http:
            for k in range(len(known), count):
                where = {"lat": PARIS["lat"] + 0.002 * (k % 5 - 2), "lng": PARIS["lng"] + 0.003 * (k // 5 - 2)}
                body = {"name": f"Bench Voisin {k}", "cuisines": ["french", "pizza"][k % 2:k % 2 + 1],
                        "address": f"{k + 2} rue de Rivoli, 75001 Paris", "position": where,
                        "hours": {"days": ALL_DAY}, "delivery_radius_m": 8000}
                async with http.post("/api/v1/restaurants", json=body) as r:
                    if r.status != 201:
                        raise RuntimeError(f"restaurant: {r.status} {await r.text()}")
                    known.append((await r.json())["id"])
        self._save()
        return known[:count]

    async def orders(self, restaurant: dict, customers: list[dict], concurrency: int = 16) -> list[str]:
        """One order per customer (placed through POST /api/v1/orders unless remembered)."""
        known: dict[str, str] = self.cache.setdefault("orders", {})
        gate = asyncio.Semaphore(concurrency)
        async with aiohttp.ClientSession(self.base_url) as http:
            async def one(customer: dict) -> str:
                if customer["email"] not in known:
                    async with gate:
                        known[customer["email"]] = await place(http, customer["token"], restaurant)
                return known[customer["email"]]
            try:
                return await asyncio.gather(*(one(c) for c in customers))
            finally:
                self._save()


def order_body(restaurant: dict, line: int = 0) -> dict:
    articles = restaurant["articles"]
    return {
        "restaurant_id": restaurant["id"],
        "lines": [{"kind": "article", "item_id": articles[(line + k) % len(articles)]["id"], "quantity": 1 + k % 2}
                  for k in range(3)],
        "delivery": {"address": "10 rue de la Paix, 75002 Paris", "position": {"lat": 48.8686, "lng": 2.3316}},
        "payment_token": "tok_sandbox_ok",
    }


async def place(http: aiohttp.ClientSession, token: str, restaurant: dict) -> str:
    headers = {**_bearer(token), "Idempotency-Key": str(uuid.uuid4())}
    async with http.post("/api/v1/orders", json=order_body(restaurant), headers=headers) as r:
        if r.status != 201:
            raise RuntimeError(f"order: {r.status} {await r.text()}")
        return (await r.json())["id"]
