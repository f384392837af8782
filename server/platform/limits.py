"""Request budgets: per API key by its plan, per person for tokens; shared by every node."""
from __future__ import annotations

import uuid

import msgspec

from server.context import Context
from server.ratelimit import Decision, RateLimiter


class Limits(msgspec.Struct, frozen=True):
    """Requests allowed per period (a burst of the whole budget is allowed, then a steady rate)."""

    plans: dict[str, int] = msgspec.field(default_factory=lambda: {"free": 60, "pro": 600})
    person: int = 600
    period_s: int = 60


def _limiter(ctx: Context) -> RateLimiter:
    limiter = ctx.extras.get("rate_limiter")
    if limiter is None:
        limiter = ctx.extras["rate_limiter"] = RateLimiter(ctx.redis)
    return limiter


async def hit_key(ctx: Context, limits: Limits, key_id: uuid.UUID, plan: str) -> Decision:
    limit = limits.plans.get(plan) or min(limits.plans.values())
    return await _limiter(ctx).hit(ctx.key("rl", "key", key_id), limit=limit,
                                   period_s=limits.period_s)


async def hit_person(ctx: Context, limits: Limits, user_id: uuid.UUID) -> Decision:
    return await _limiter(ctx).hit(ctx.key("rl", "user", user_id), limit=limits.person,
                                   period_s=limits.period_s)
