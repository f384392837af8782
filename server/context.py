"""What a use case needs from the process, handed over by the edges (never aiohttp itself)."""
from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg
import redis.asyncio as aioredis

from server.auth.passwords import Passwords
from server.settings import Settings


@dataclass(slots=True)
class Context:
    """The process's shared resources; features may attach their own services in `extras`."""

    db: asyncpg.Pool
    redis: aioredis.Redis
    settings: Settings
    passwords: Passwords = field(default_factory=Passwords)
    extras: dict = field(default_factory=dict)

    def key(self, *parts: object) -> str:
        """A Redis key or channel name under this deployment's prefix."""
        return self.settings.redis_prefix + ":".join(str(p) for p in parts)


def build_context(db: asyncpg.Pool, redis: aioredis.Redis, settings: Settings) -> Context:
    return Context(db=db, redis=redis, settings=settings,
                   passwords=Passwords(light=settings.env == "test"))
