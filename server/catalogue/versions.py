"""Catalogue versions in Redis: a write stamps a fresh one, a cached read checks it first.

Every node caches catalogue reads; a change made on any node must show on the very next
read on every other. So each change sets new random stamps (the restaurant's own, and the
discovery one when nearby searches could see it) after its commit and before it returns,
and each cached read compares its entry with stamps read from Redis after the read began.
Reads waiting at the same moment share one MGET, so the check costs one round trip per
batch of reads, not per read. Random stamps, not counters: after a Redis restart a
counter would start again and match entries made before it.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
import uuid
from typing import Any

import redis.asyncio as aioredis

from server.context import Context

log = logging.getLogger(__name__)
DISCOVERY = "discovery"


def version_key(ctx: Context, scope: uuid.UUID | str) -> str:
    """The Redis key of one restaurant's version, or of DISCOVERY (every nearby search)."""
    return version_prefix(ctx) + str(scope)


def version_prefix(ctx: Context) -> str:
    return ctx.key("catalogue", "version", "")


async def changed(ctx: Context, restaurant_id: uuid.UUID, *, discovery: bool = True) -> None:
    """Call after a catalogue change commits; `discovery` when a nearby search could see it.

    A failure is logged, not raised: the change is saved, and cached reads last at most
    until the end of the minute they were made in (see server.catalogue.read_cache).
    """
    stamps = {version_key(ctx, restaurant_id): secrets.token_hex(8)}
    if discovery:
        stamps[version_key(ctx, DISCOVERY)] = secrets.token_hex(8)
    try:
        await ctx.redis.mset(stamps)
    except Exception:
        log.exception("catalogue version not stamped; cached reads may lag until the minute ends")


class VersionReader:
    """Reads versions for many waiting reads at once; each waits for an MGET sent after it asked."""

    def __init__(self, redis: aioredis.Redis) -> None:
        self._redis = redis
        self._next: tuple[set[str], list[asyncio.Future]] | None = None
        self._runner: asyncio.Task | None = None

    async def read(self, key: str) -> Any:
        """The key's value in Redis as of a moment after this call began (None when unset)."""
        if self._next is None:
            self._next = (set(), [])
        keys, waiters = self._next
        keys.add(key)
        # a future of its own: a reader that gives up cancels nobody else's answer
        waiter = asyncio.get_running_loop().create_future()
        waiters.append(waiter)
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(), name="catalogue-versions")
        return (await waiter)[key]

    async def _run(self) -> None:
        try:
            while self._next is not None:
                (keys, waiters), self._next = self._next, None
                wanted = list(keys)
                try:
                    found = dict(zip(wanted, await self._redis.mget(wanted)))
                except Exception as exc:
                    for waiter in waiters:
                        if not waiter.done():
                            waiter.set_exception(exc)
                    continue
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_result(found)
        finally:
            self._runner = None
