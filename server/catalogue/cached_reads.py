"""Public catalogue reads answered from the node's cache, as JSON bytes ready to send.

A restaurant's menu page and settings are checked against the restaurant's version, a
nearby search against the discovery version (server.catalogue.versions). Each answer is
the one computed afresh would be: kept per minute, since open states change on whole
minutes, and stamped per read, since an open restaurant's next opening is the read's own
instant. Without Redis the reads go to Postgres, as they did before any cache.
"""
from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Awaitable, Callable

import msgspec
import redis.exceptions

from server.catalogue.clock import now
from server.catalogue.menu_page import menu_page
from server.catalogue.nearby import NearbyQuery, nearby
from server.catalogue.read_cache import AnswerCache
from server.catalogue.restaurants import get_restaurant
from server.catalogue.versions import DISCOVERY, VersionReader, version_prefix
from server.context import Context

log = logging.getLogger(__name__)
_encode = msgspec.json.Encoder().encode
_EXTRAS_KEY = "catalogue_reads"
MAX_ENTRIES, MAX_BYTES = 4096, 32 * 1024 * 1024  # per cache: restaurants' pages, nearby searches
_UNREACHABLE = (redis.exceptions.RedisError, OSError, TimeoutError)
# An answer is kept in pieces cut where an open restaurant's next opening is, encoded as
# this instant; each read joins them with its own. Only our own structs have a
# next_opening_at key: no text a person typed can match.
_READ_INSTANT = datetime(1, 1, 1, tzinfo=UTC)
_MARK = b'"next_opening_at":' + _encode(_READ_INSTANT)


class CachedReads:
    """One node's caches and the version reader they share."""

    def __init__(self, ctx: Context) -> None:
        self.versions = VersionReader(ctx.redis)
        self.version_prefix = version_prefix(ctx)
        self.restaurants = AnswerCache(MAX_ENTRIES, MAX_BYTES)
        self.searches = AnswerCache(MAX_ENTRIES, MAX_BYTES)


def cached_reads(ctx: Context) -> CachedReads:
    """The node's caches, made on first use (each app has its own context, so its own caches)."""
    reads = ctx.extras.get(_EXTRAS_KEY)
    if reads is None:
        reads = ctx.extras[_EXTRAS_KEY] = CachedReads(ctx)
    return reads


async def menu_page_json(ctx: Context, restaurant_id: uuid.UUID) -> bytes:
    async def load(at: datetime) -> bytes:
        page = await menu_page(ctx, restaurant_id, at)
        if page.open_now:
            page = msgspec.structs.replace(page, restaurant=_marked(page.restaurant),
                                           next_opening_at=_READ_INSTANT)
        return _encode(page)
    return await _read(ctx, "restaurants", ("menu", restaurant_id), str(restaurant_id), load)


async def restaurant_json(ctx: Context, restaurant_id: uuid.UUID) -> bytes:
    async def load(at: datetime) -> bytes:
        return _encode(_marked(await get_restaurant(ctx, restaurant_id, at)))
    return await _read(ctx, "restaurants", ("restaurant", restaurant_id), str(restaurant_id), load)


async def nearby_json(ctx: Context, query: NearbyQuery) -> bytes:
    async def load(at: datetime) -> bytes:
        page = await nearby(ctx, query, at)
        return _encode(msgspec.structs.replace(page, items=[_marked(item) for item in page.items]))
    return await _read(ctx, "searches", msgspec.structs.astuple(query), DISCOVERY, load)


async def _read(ctx: Context, cache: str, key: tuple, scope: str,
                load: Callable[[datetime], Awaitable[bytes]]) -> bytes:
    """The answer from the cache when its version and minute still hold, else from `load`."""
    at, reads = now(ctx), cached_reads(ctx)

    async def split() -> tuple[list[bytes], int]:
        body = await load(at)
        return body.split(_MARK), len(body)
    try:
        version = await reads.versions.read(reads.version_prefix + scope)
    except _UNREACHABLE:
        log.warning("catalogue versions unreadable; read from Postgres", exc_info=True)
        parts = (await split())[0]
    else:
        parts = await getattr(reads, cache).get(key, version, at, split)
    return (b'"next_opening_at":' + _encode(at.astimezone(UTC))).join(parts)


def _marked(view):
    """A RestaurantView or NearbyRestaurant, its next opening marked if it is open now."""
    return msgspec.structs.replace(view, next_opening_at=_READ_INSTANT) if view.open_now else view
