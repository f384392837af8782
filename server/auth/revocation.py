"""Token versions: bumping one ends every access token of that user at once, on every node."""
from __future__ import annotations

import uuid

import asyncpg
import redis.asyncio as aioredis

_GONE = b"gone"


def _key(prefix: str, user_id: uuid.UUID) -> str:
    return f"{prefix}tv:{user_id}"


async def current_token_version(pool: asyncpg.Pool, redis: aioredis.Redis, prefix: str,
                                user_id: uuid.UUID, ttl_s: int) -> int | None:
    """The version tokens must carry, or None if the account may not act (gone or suspended)."""
    cached = await redis.get(_key(prefix, user_id))
    if cached is not None:
        return None if cached == _GONE else int(cached)
    row = await pool.fetchrow(
        "SELECT token_version, deleted_at IS NULL AND (suspended_until IS NULL"
        " OR suspended_until <= now()) AS active FROM users WHERE id = $1", user_id)
    version = row["token_version"] if row and row["active"] else None
    # NX: a writer's newer state (set_token_state) must win over this possibly stale read
    await redis.set(_key(prefix, user_id), _encode(version), ex=ttl_s, nx=True)
    return version


async def set_token_state(redis: aioredis.Redis, prefix: str, user_id: uuid.UUID,
                          version: int | None, ttl_s: int) -> None:
    """After committing a new token_version, a suspension (None) or a deletion (None)."""
    await redis.set(_key(prefix, user_id), _encode(version), ex=ttl_s)


def _encode(version: int | None) -> bytes:
    return _GONE if version is None else str(version).encode()
