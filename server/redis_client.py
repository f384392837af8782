"""The Redis client: one per process, reconnecting by itself, on a bounded pool."""
from __future__ import annotations

import redis.asyncio as aioredis
from redis.asyncio.connection import BlockingConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeout

# Commands in flight at once; more wait for a free connection (up to POOL_WAIT_S) instead of
# opening one socket each: 10,000 sockets reconnecting at once must not mean 10,000 connections.
MAX_CONNECTIONS = 64
POOL_WAIT_S = 10.0


def create_redis(url: str) -> aioredis.Redis:
    """A client that retries briefly on dropped connections (e.g. a Redis restart)."""
    tcp_only = {} if url.startswith("unix://") else {"socket_keepalive": True}
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=MAX_CONNECTIONS,
        timeout=POOL_WAIT_S,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=5),
        retry_on_error=[RedisConnectionError, RedisTimeout],
        health_check_interval=15,
        socket_connect_timeout=5,
        **tcp_only,
    )
    return aioredis.Redis.from_pool(pool)  # closing the client closes its pool
