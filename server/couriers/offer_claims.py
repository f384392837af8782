"""One offer at a time per courier, across every node and worker: a Redis key that expires."""
from __future__ import annotations

import uuid

from server.context import Context

# Delete the key only if it still names this delivery: a newer offer must not be freed.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _key(ctx: Context, courier_id: uuid.UUID) -> str:
    return ctx.key("courier", courier_id, "offer")


async def take(ctx: Context, courier_id: uuid.UUID, delivery_id: uuid.UUID, timeout_s: int) -> bool:
    """Reserve the courier for this offer; False if another delivery is being offered to them."""
    taken = await ctx.redis.set(_key(ctx, courier_id), str(delivery_id), nx=True, px=timeout_s * 1000)
    if taken:
        return True
    # the same delivery asking again (a retry after a failed commit) keeps its reservation
    return await ctx.redis.get(_key(ctx, courier_id)) == str(delivery_id).encode()


async def release(ctx: Context, courier_id: uuid.UUID, delivery_id: uuid.UUID) -> None:
    scripts = ctx.extras.setdefault("courier_scripts", {})
    if "release_offer" not in scripts:
        scripts["release_offer"] = ctx.redis.register_script(_RELEASE)
    await scripts["release_offer"](keys=[_key(ctx, courier_id)], args=[str(delivery_id)])
