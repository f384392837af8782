"""Our real node, `python -m server serve`, on its own benchmark database and Redis prefix."""
from __future__ import annotations

import asyncio
import os
import secrets
import sys
import time

import asyncpg

from tests.bench.harness import Server, free_port, log

ADMIN_URL = os.environ.get("BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "cesi_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_PREFIX = "cebench:"


def _bench_secret() -> str:
    """The benchmark nodes' own signing key, kept with the cached tokens it signed."""
    from tests.bench.accounts import CACHE

    path = CACHE / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


SECRET_KEY = _bench_secret()


def database_url() -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{DATABASE}"


async def _ensure_database() -> None:
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DATABASE):
            await conn.execute(f'CREATE DATABASE "{DATABASE}"')
            log(f"created database {DATABASE}")
    finally:
        await conn.close()


def ensure_database() -> str:
    asyncio.run(_ensure_database())
    return database_url()


def our_server(core: int | str, *, env: str = "production", extra_env: dict[str, str] | None = None) -> Server:
    """Our node pinned to `core`; it applies pending migrations itself on start."""
    port = free_port()
    return Server(
        "cesi-eats", [sys.executable, "-m", "server", "serve"], port, core,
        env={"CESI_ENV": env, "HOST": "127.0.0.1", "PORT": str(port),
             "DATABASE_URL": ensure_database(), "REDIS_URL": REDIS_URL,
             "REDIS_PREFIX": REDIS_PREFIX, "SECRET_KEY": SECRET_KEY, "NODE_ID": f"bench-{port}",
             **(extra_env or {})},
    )


def prepare(roles: dict[str, int], *, orders: bool = False) -> dict[str, list[dict]]:
    """Access tokens per role (and with `orders`, one order per customer, each dict gaining
    order_id and after_seq), made by a set-up node sharing the measured node's database and
    secret: light password hashing, both cores. The measured node starts afterwards."""
    from tests.bench.accounts import TokenSource
    from tests.bench.fixtures import Fixtures

    async def make(url: str) -> dict[str, list[dict]]:
        source = TokenSource(url, DATABASE)
        made = {}
        for key, count in roles.items():  # "role", or "tag:role" for another set of accounts
            tag, _, role = key.rpartition(":")
            made[key] = await source.tokens(role, count, tag)
        if orders:
            owner = (await source.tokens("restaurateur", 1))[0]
            fixtures = Fixtures(url, DATABASE)
            restaurant = await fixtures.restaurant(owner["token"])
            ids = await fixtures.orders(restaurant, made["customer"])
            seqs = await last_seqs(ids)
            for customer, order_id in zip(made["customer"], ids):
                customer.update(order_id=order_id, after_seq=seqs.get(order_id, 0))
        return made

    return with_setup_node(make, f"{roles}{' with orders' if orders else ''}")


def catalogue(neighbours: int = 19) -> dict:
    """The benchmark restaurant ({id, articles}) and others around it, through the API."""
    from tests.bench.accounts import TokenSource
    from tests.bench.fixtures import Fixtures

    async def make(url: str) -> dict:
        owner = (await TokenSource(url, DATABASE).tokens("restaurateur", 1))[0]
        fixtures = Fixtures(url, DATABASE)
        restaurant = await fixtures.restaurant(owner["token"])
        await fixtures.neighbours(owner["token"], neighbours)
        return restaurant

    return with_setup_node(make, "catalogue")


def with_setup_node(job, what: str):
    """asyncio.run(job(base_url)) against a set-up node on both cores, stopped afterwards."""
    with our_server("0,1", env="test", extra_env={"ACCESS_TOKEN_TTL": "3600"}) as setup:
        started = time.monotonic()
        result = asyncio.run(job(setup.url))
        log(f"prepared {what} in {time.monotonic() - started:.1f}s")
    return result


async def last_seqs(order_ids: list[str]) -> dict[str, int]:
    """Where each order's events stand now: earlier runs left theirs in the outbox."""
    conn = await asyncpg.connect(database_url())
    try:
        rows = await conn.fetch("SELECT aggregate_id::text AS id, max(seq) AS seq FROM outbox"
                                " WHERE aggregate = 'order' AND aggregate_id = ANY($1::uuid[])"
                                " GROUP BY aggregate_id", order_ids)
    finally:
        await conn.close()
    return {row["id"]: row["seq"] for row in rows}
