"""Health of the shared stores as one node sees them: reachable, how fast, how loaded."""
from __future__ import annotations

import asyncio
import time

import asyncpg
import msgspec
import redis.asyncio as aioredis

CHECK_TIMEOUT_S = 2.0


class PostgresHealth(msgspec.Struct):
    ok: bool
    ping_ms: float | None = None
    connections: int | None = None       # server connections to this database, every node's
    max_connections: int | None = None
    server_version: str | None = None
    error: str | None = None


class RedisHealth(msgspec.Struct):
    ok: bool
    ping_ms: float | None = None
    used_memory_bytes: int | None = None
    peak_memory_bytes: int | None = None
    max_memory_bytes: int | None = None
    connected_clients: int | None = None
    blocked_clients: int | None = None
    server_version: str | None = None
    error: str | None = None


def _failure(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


async def postgres_health(pool: asyncpg.Pool) -> PostgresHealth:
    """A timed SELECT 1, then the server's connection count against its limit."""
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            async with pool.acquire() as conn:
                started = time.perf_counter()
                await conn.fetchval("SELECT 1")
                ping_ms = round((time.perf_counter() - started) * 1000, 2)
                row = await conn.fetchrow(
                    "SELECT (SELECT count(*) FROM pg_stat_activity"
                    "        WHERE datname = current_database()) AS connections,"
                    " current_setting('max_connections')::int AS max_connections,"
                    " current_setting('server_version') AS server_version")
    except Exception as exc:
        return PostgresHealth(ok=False, error=_failure(exc))
    return PostgresHealth(ok=True, ping_ms=ping_ms, **dict(row))


async def redis_health(redis: aioredis.Redis) -> RedisHealth:
    """A timed PING, then INFO's memory and clients sections."""
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            started = time.perf_counter()
            await redis.ping()
            ping_ms = round((time.perf_counter() - started) * 1000, 2)
            memory = await redis.info("memory")
            clients = await redis.info("clients")
            server = await redis.info("server")
    except Exception as exc:
        return RedisHealth(ok=False, error=_failure(exc))
    return RedisHealth(
        ok=True, ping_ms=ping_ms, used_memory_bytes=memory.get("used_memory"),
        peak_memory_bytes=memory.get("used_memory_peak"), max_memory_bytes=memory.get("maxmemory"),
        connected_clients=clients.get("connected_clients"),
        blocked_clients=clients.get("blocked_clients"),
        server_version=str(server.get("redis_version", "")) or None)
