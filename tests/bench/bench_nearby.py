"""Nearby search at a city's scale: 10,000 restaurants with 50 articles each, timed searches.

    python -m tests.bench.bench_nearby [--restaurants 10000] [--articles 50] [--searches 400] [--fresh]

Uses BENCH_DATABASE_URL (or TEST_DATABASE_URL, else the local postgres) to create its own
database, loads it once (kept between runs unless --fresh), then runs the search use case
itself (SQL + exact geodesic filter + open-now) and prints one JSON line of timings.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time

import asyncpg

from server.catalogue.discovery_queries import NEARBY_SQL
from server.catalogue.nearby import NearbyQuery, nearby
from server.context import Context
from server.db.migrate import migrate
from server.db.pool import create_pool
from server.settings import Settings
from tests.support import stores

NAME = "cesi_bench_nearby"
# Île-de-France, about 55 km by 55 km
AREA = {"lat": (48.60, 49.10), "lng": (2.00, 2.75)}
DISHES = ["pizza", "burger", "sushi", "ramen", "tacos", "salade", "couscous", "crêpe", "curry", "poke"]
HOURS = '{"days": [' + ", ".join(['[{"open": "11:00", "close": "23:00"}]'] * 7) + "]}"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


async def load(url: str, restaurants: int, articles: int) -> None:
    conn = await asyncpg.connect(url)
    try:
        owner = await conn.fetchval(
            "INSERT INTO users (role, email, name, referral_code) VALUES ('restaurateur',"
            " 'bench-owner@example.fr', 'Bench', 'BENCHOWNER') RETURNING id")
        started = time.perf_counter()
        await conn.execute(
            "INSERT INTO restaurants (owner_id, name, cuisines, lat, lng, delivery_radius_m,"
            " avg_prep_minutes, hours, search) SELECT $1, 'Resto ' || i, ARRAY[($6::text[])[1 + i % 10]],"
            " $2::float8 + random() * ($3::float8 - $2), $4::float8 + random() * ($5::float8 - $4), 1000 + (random() * 7000)::int, 20,"
            f" '{HOURS}', to_tsvector('simple', 'resto ' || i) FROM generate_series(1, $7::int) i",
            owner, *AREA["lat"], *AREA["lng"], DISHES, restaurants)
        log(f"{restaurants} restaurants in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        await conn.execute(
            "INSERT INTO articles (id, restaurant_id, category, name, price_cents, position, search)"
            " SELECT gen_random_uuid(), r.id, 'dish', initcap(($1::text[])[1 + (g + n) % 10]) || ' ' || g,"
            " 500 + g * 10, g, to_tsvector('simple', ($1::text[])[1 + (g + n) % 10] || ' ' || g)"
            " FROM (SELECT id, row_number() OVER () AS n FROM restaurants) r, generate_series(1, $2) g",
            [d.replace("ê", "e") for d in DISHES], articles)
        log(f"{restaurants * articles} articles in {time.perf_counter() - started:.1f}s")
        await conn.execute("ANALYZE restaurants; ANALYZE articles")
    finally:
        await conn.close()


async def prepare(admin_url: str, args) -> str:
    url = stores.with_database(admin_url, NAME)
    conn = await asyncpg.connect(admin_url)
    exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", NAME)
    await conn.close()
    if args.fresh or not exists:
        await stores.recreate_database(admin_url, NAME)
    await migrate(url)
    check = await asyncpg.connect(url)
    count = await check.fetchval("SELECT count(*) FROM restaurants")
    await check.close()
    if count != args.restaurants:  # a half-loaded or differently sized set: start over
        await stores.recreate_database(admin_url, NAME)
        await migrate(url)
        await load(url, args.restaurants, args.articles)
    return url


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


async def time_searches(url: str, args) -> dict:
    pool = await create_pool(url, max_size=2)
    ctx = Context(db=pool, redis=None, settings=Settings(secret_key="x" * 40, database_url=url))
    rng = random.Random(7)
    results = {}
    try:
        for label, extra in (("plain", {}), ("dish_words", {"q": "pizz"}), ("open_now", {"open_now": True})):
            timings, found = [], []
            for _ in range(args.searches):
                query = NearbyQuery(lat=rng.uniform(*AREA["lat"]), lng=rng.uniform(*AREA["lng"]), limit=20, **extra)
                started = time.perf_counter()
                page = await nearby(ctx, query)
                timings.append((time.perf_counter() - started) * 1000)
                found.append(len(page.items))
            results[label] = {"p50_ms": percentile(timings, .5), "p95_ms": percentile(timings, .95),
                              "p99_ms": percentile(timings, .99), "mean_found": round(statistics.mean(found), 1)}
        async with pool.acquire() as conn:
            results["plan"] = await plan(conn)
    finally:
        await pool.close()
    return results


async def plan(conn: asyncpg.Connection) -> dict:
    """How Postgres runs one search: the index used and how many rows it read."""
    from domain.geo import Position, bounding_box

    here = Position(lat=48.8566, lng=2.3522)
    rows = await conn.fetch("EXPLAIN (ANALYZE, FORMAT JSON) " + NEARBY_SQL,
                            *bounding_box(here, 8000), here.lat, here.lng, 8000.0, None, None)
    raw = rows[0][0]  # the pool's codec already decodes json
    top = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    nodes, stack = [], [top["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node.get("Node Type") + (f" on {node['Index Name']}" if "Index Name" in node else ""))
        stack.extend(node.get("Plans", []))
    return {"nodes": nodes, "execution_ms": top["Execution Time"],
            "seq_scan_on_restaurants": any(n.startswith("Seq Scan") for n in nodes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restaurants", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--searches", type=int, default=400)
    parser.add_argument("--fresh", action="store_true", help="drop and reload the data")
    args = parser.parse_args()
    admin = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") \
        or "postgresql://postgres@127.0.0.1:5432/postgres"
    url = asyncio.run(prepare(admin, args))
    results = asyncio.run(time_searches(url, args))
    print(json.dumps({"bench": "nearby", "restaurants": args.restaurants, "articles_each": args.articles,
                      "searches": args.searches, **results}, separators=(",", ":"), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
