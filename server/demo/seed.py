"""`python -m server seed`: the demo city, made idempotently through the product's use cases."""
from __future__ import annotations

import msgspec

from server.context import build_context
from server.db.migrate import migrate
from server.db.pool import create_pool
from server.demo.people import people
from server.demo.places import restaurants
from server.demo.seed_accounts import HashedOnce, ensure_accounts, ensure_api_keys
from server.demo.seed_catalogue import ensure_restaurants
from server.redis_client import create_redis
from server.settings import Settings

DEMO_PASSWORD = "demo-cesi-eats"  # documented in README; refused in production
_LOCK_ID = 0x0CE5EED  # two seeds at once wait for each other instead of racing on the same rows


class SeedRefused(Exception):
    """The seed will not run here (production, or an unusable password)."""


class SeedResult(msgspec.Struct, kw_only=True):
    seeded: bool
    demo_present: bool = True  # whether the demo accounts exist (false: a database of real people)
    accounts: int = 0
    restaurants: int = 0
    articles: int = 0
    menus: int = 0
    api_keys: dict[str, str] = {}


def check_allowed(settings: Settings, password: str) -> None:
    if settings.is_production:
        raise SeedRefused("the demo city is never seeded in production: its passwords are public")
    if not 10 <= len(password) <= 128:
        raise SeedRefused("the demo password must have 10 to 128 characters")


async def seed(settings: Settings, password: str = DEMO_PASSWORD, *, if_empty: bool = False) -> SeedResult:
    """Create what is missing of the demo city; with if_empty, only into a database with no restaurant."""
    check_allowed(settings, password)
    await migrate(settings.database_url)
    pool, redis = await create_pool(settings.database_url, min_size=1, max_size=10), create_redis(settings.redis_url)
    try:
        async with pool.acquire() as lock:
            await lock.execute("SELECT pg_advisory_lock($1)", _LOCK_ID)
            try:
                if if_empty and await pool.fetchval("SELECT EXISTS (SELECT 1 FROM restaurants)"):
                    present = await pool.fetchval("SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)",
                                                  people().staff[0].email)
                    return SeedResult(seeded=False, demo_present=present)
                ctx = build_context(pool, redis, settings)
                ctx.passwords = HashedOnce(ctx.passwords)
                return await _seed(ctx, password)
            finally:
                await lock.execute("SELECT pg_advisory_unlock($1)", _LOCK_ID)
    finally:
        await pool.close()
        await redis.aclose()


async def _seed(ctx, password: str) -> SeedResult:
    city = people()
    ids, accounts = await ensure_accounts(ctx, city.everyone(), password)
    owners = {a.email: ids[a.email] for a in city.owners}
    made = await ensure_restaurants(ctx, restaurants(), owners)
    keys = await ensure_api_keys(ctx, {a.email: ids[a.email] for a in city.developers})
    return SeedResult(seeded=True, accounts=accounts, restaurants=made.restaurants, articles=made.articles,
                      menus=made.menus, api_keys=keys)
