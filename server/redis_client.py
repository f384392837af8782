"""The Redis client: one per process, reconnecting by itself."""
from __future__ import annotations

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeout


def create_redis(url: str) -> aioredis.Redis:
    """A client that retries briefly on dropped connections (e.g. a Redis restart)."""
    tcp_only = {} if url.startswith("unix://") else {"socket_keepalive": True}
    return aioredis.from_url(
        url,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=5),
        retry_on_error=[RedisConnectionError, RedisTimeout],
        health_check_interval=15,
        socket_connect_timeout=5,
        **tcp_only,
    )
