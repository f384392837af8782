"""Sign-in attempts limited per account and per address, across every node (Redis GCRA)."""
from __future__ import annotations

import hashlib

import msgspec

from domain.errors import RateLimited
from server.context import Context
from server.ratelimit import RateLimiter


class LoginLimits(msgspec.Struct, frozen=True):
    """Attempts allowed in a burst, refilled evenly over the period."""

    per_account: int = 10
    account_period_s: int = 15 * 60
    # generous: a whole office or campus may sit behind one address
    per_ip: int = 100
    ip_period_s: int = 60


def limits(ctx: Context) -> LoginLimits:
    """The deployment's limits; a test may put its own in ctx.extras["login_limits"]."""
    return ctx.extras.get("login_limits") or LoginLimits()


def _limiter(ctx: Context) -> RateLimiter:
    if "login_limiter" not in ctx.extras:
        ctx.extras["login_limiter"] = RateLimiter(ctx.redis)
    return ctx.extras["login_limiter"]


def _account_key(ctx: Context, email: str) -> str:
    # hashed: Redis need not hold the address itself
    return ctx.key("login", "account", hashlib.sha256(email.encode()).hexdigest()[:32])


async def account_refusal(ctx: Context, email: str) -> RateLimited | None:
    """Count one attempt at this account's password; the refusal if it is one too many."""
    chosen = limits(ctx)
    decision = await _limiter(ctx).hit(_account_key(ctx, email), limit=chosen.per_account,
                                       period_s=chosen.account_period_s)
    if decision.allowed:
        return None
    return RateLimited("too many sign-in attempts for this account; try again later",
                       retry_after=decision.retry_after_s)


async def login_refusal(ctx: Context, email: str, ip: str | None) -> RateLimited | None:
    """Count one sign-in attempt from this address and at this account."""
    chosen = limits(ctx)
    if ip:
        decision = await _limiter(ctx).hit(ctx.key("login", "ip", ip), limit=chosen.per_ip,
                                           period_s=chosen.ip_period_s)
        if not decision.allowed:
            return RateLimited("too many sign-in attempts from this address; try again later",
                               retry_after=decision.retry_after_s)
    return await account_refusal(ctx, email)
