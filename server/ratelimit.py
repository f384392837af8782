"""GCRA rate limiting in Redis: one atomic script, correct across every node."""
from __future__ import annotations

import math

import msgspec
import redis.asyncio as aioredis

# Generic cell rate algorithm: the key stores the "theoretical arrival time" in ms.
_GCRA = """
local tat_key = KEYS[1]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', tat_key) or now)
if tat < now then tat = now end
local new_tat = tat + interval * cost
local allow_at = new_tat - burst * interval
if allow_at > now then
  return {0, tat - now, allow_at - now}
end
redis.call('SET', tat_key, new_tat, 'PX', math.ceil(new_tat - now) + 1000)
return {1, new_tat - now, 0}
"""


class Decision(msgspec.Struct, frozen=True):
    allowed: bool
    limit: int
    remaining: int
    reset_s: int
    retry_after_s: int

    def headers(self) -> dict[str, str]:
        """The RateLimit-* headers (and Retry-After when refused)."""
        values = {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(self.remaining),
                  "RateLimit-Reset": str(self.reset_s)}
        if not self.allowed:
            values["Retry-After"] = str(self.retry_after_s)
        return values


class RateLimiter:
    """`limit` requests per `period_s`, allowing a burst of `limit`, per key."""

    def __init__(self, redis: aioredis.Redis) -> None:
        # the script reads Redis's clock, so every node agrees on "now"
        self._script = redis.register_script(_GCRA)

    async def hit(self, key: str, *, limit: int, period_s: float, cost: int = 1) -> Decision:
        interval_ms = period_s * 1000 / limit
        allowed, used_ms, wait_ms = await self._script(keys=[key], args=[interval_ms, limit, cost])
        remaining = max(0, limit - math.ceil(float(used_ms) / interval_ms))
        return Decision(allowed=bool(allowed), limit=limit, remaining=remaining,
                        reset_s=math.ceil(float(used_ms) / 1000),
                        retry_after_s=max(1, math.ceil(float(wait_ms) / 1000)) if not allowed else 0)
