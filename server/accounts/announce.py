"""After an account change commits: every node's token check and live channels learn of it."""
from __future__ import annotations

from datetime import datetime, timezone

import asyncpg

from server.auth.revocation import set_token_state
from server.context import Context
from server.events import Event, publish


def may_act(user: asyncpg.Record) -> bool:
    """Neither erased nor suspended right now."""
    until = user["suspended_until"]
    return user["deleted_at"] is None and (until is None or until <= datetime.now(timezone.utc))


async def announce(ctx: Context, user: asyncpg.Record, events: list[Event] = ()) -> None:
    """Call after commit: tokens follow the account's new state at once, then events go out."""
    version = user["token_version"] if may_act(user) else None
    await set_token_state(ctx.redis, ctx.settings.redis_prefix, user["id"], version,
                          ctx.settings.access_token_ttl_s)
    if events:
        await publish(ctx, list(events))
