"""Staff accounts from the command line, before any staff member exists."""
from __future__ import annotations

import uuid

import msgspec

from domain.accounts import RegisterInput
from domain.errors import Invalid
from server.accounts.registration import register
from server.context import build_context
from server.db.pool import create_pool
from server.redis_client import create_redis
from server.settings import Settings


async def create_staff_account(settings: Settings, role: str, email: str, password: str,
                               name: str) -> uuid.UUID:
    """Validate like the API does, then create the account."""
    try:
        data = msgspec.convert({"email": email, "password": password, "name": name, "role": role},
                               RegisterInput)
    except msgspec.ValidationError as exc:
        raise Invalid(str(exc)) from None
    pool, redis = await create_pool(settings.database_url, min_size=1, max_size=2), create_redis(settings.redis_url)
    try:
        user = await register(build_context(pool, redis, settings), data, by_staff=True)
    finally:
        await pool.close()
        await redis.aclose()
    return user["id"]
