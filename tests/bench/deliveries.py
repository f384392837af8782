"""Courier-customer pairs for W2 on our node, made through the API once and remembered:
each pair has its own restaurant (far from every other, so dispatch offers the order to
the pair's courier alone), the customer's order accepted, and the courier assigned to it.
Positions then travel the product's real path: `gps` -> checks -> order:<id> room."""
from __future__ import annotations

import asyncio
import json
import time

import aiohttp

from tests.bench.accounts import TokenSource
from tests.bench.fixtures import ALL_DAY, Fixtures, _bearer
from tests.bench.harness import log

TAG = "w2"


def spot(k: int) -> dict:
    """Pair k's restaurant: a grid 20+ km apart (beyond dispatch's widest 8 km search)."""
    return {"lat": round(30.0 + 0.2 * (k % 71), 4), "lng": round(-5.0 + 0.3 * (k // 71), 4)}


class Pairs:
    def __init__(self, base_url: str, database: str) -> None:
        self.base_url, self.fixtures = base_url, Fixtures(base_url, database)
        self.source = TokenSource(base_url, database)

    async def make(self, count: int, concurrency: int = 12) -> list[dict]:
        """[{order_id, lat, lng, customer, courier}] with fresh access tokens, pair k first to last."""
        known: list[dict] = self.fixtures.cache.setdefault("w2_pairs", [])
        owners = await self.source.tokens("restaurateur", count, TAG) if len(known) < count else []
        customers = await self.source.tokens("customer", count, TAG)
        couriers = await self.source.tokens("courier", count, TAG)
        gate = asyncio.Semaphore(concurrency)
        started, made = time.monotonic(), len(known)
        async with aiohttp.ClientSession(self.base_url) as http:
            async def one(k: int) -> dict:
                async with gate:
                    return await _pair(http, k, owners[k]["token"], customers[k]["token"], couriers[k]["token"])
            try:
                for start in range(len(known), count, 200):  # kept as they come: a long first run resumes
                    known += await asyncio.gather(*(one(k) for k in range(start, min(count, start + 200))))
                    self.fixtures._save()
            finally:
                self.fixtures._save()
        if len(known) > made:
            log(f"{len(known) - made} courier-customer pairs made in {time.monotonic() - started:.0f}s")
        return [{**pair, "customer": customers[k]["token"], "courier": couriers[k]["token"]}
                for k, pair in enumerate(known[:count])]


async def _call(http: aiohttp.ClientSession, method: str, path: str, token: str, body=None,
                expect=(200, 201), headers=None) -> dict:
    async with http.request(method, path, json=body, headers={**_bearer(token), **(headers or {})}) as r:
        if r.status not in expect:
            raise RuntimeError(f"{method} {path}: {r.status} {await r.text()}")
        return await r.json() if r.content_type == "application/json" else {}


async def _pair(http, k: int, owner: str, customer: str, courier: str) -> dict:
    here = spot(k)
    restaurant = await _call(http, "POST", "/api/v1/restaurants", owner, {
        "name": f"Bench W2 {k}", "address": f"{k} route du banc", "position": here,
        "hours": {"days": ALL_DAY}, "delivery_radius_m": 5000})
    article = await _call(http, "POST", f"/api/v1/restaurants/{restaurant['id']}/articles", owner,
                          {"name": "Menu du jour", "price_cents": 1500})
    await _call(http, "PUT", "/api/v1/courier/availability", courier, {"online": True})
    await _call(http, "POST", "/api/v1/courier/location", courier,
                {**here, "ts": time.time() * 1000, "accuracy": 10})
    body = {"restaurant_id": restaurant["id"], "payment_token": "tok_sandbox_ok",
            "lines": [{"kind": "article", "item_id": article["id"], "quantity": 2}],
            "delivery": {"address": f"{k} chemin du banc",
                         "position": {"lat": here["lat"] + 0.01, "lng": here["lng"]}}}
    order = await _call(http, "POST", "/api/v1/orders", customer, body,
                        headers={"Idempotency-Key": f"bench-w2-{k}-{time.time()}"})
    await _call(http, "POST", f"/api/v1/orders/{order['id']}/accept", owner, {"prep_minutes": 15})
    for _ in range(50):  # the offer follows the acceptance's commit
        async with http.get("/api/v1/courier/offer", headers=_bearer(courier)) as r:
            if r.status == 200:
                offer = await r.json()
                break
        await asyncio.sleep(0.1)
    else:
        raise RuntimeError(f"pair {k}: no offer reached the courier")
    await _call(http, "POST", f"/api/v1/deliveries/{offer['delivery_id']}/accept", courier, {})
    return {"order_id": order["id"], **here}
