"""Public catalogue reads answered from the node's cache, as JSON bytes ready to send.

A restaurant's menu page and settings are checked against the restaurant's version, a
nearby search against the discovery version (server.catalogue.versions). Each answer is
the one computed afresh would be: kept per minute, since open states change on whole
minutes, and re-stamped per read, since an open restaurant's next opening is the read's
own instant. Without Redis the reads go to Postgres, as they did before any cache.
"""
from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import msgspec
import redis.exceptions

from server.catalogue.clock import now
from server.catalogue.menu_page import menu_page
from server.catalogue.nearby import NearbyQuery, nearby
from server.catalogue.read_cache import AnswerCache
from server.catalogue.restaurants import get_restaurant
from server.catalogue.versions import DISCOVERY, VersionReader, version_key
from server.catalogue.views import NearbyRestaurant, Page, RestaurantView
from server.context import Context

log = logging.getLogger(__name__)
_encode = msgspec.json.Encoder().encode
_EXTRAS_KEY = "catalogue_reads"
MAX_ENTRIES, MAX_BYTES = 4096, 64 * 1024 * 1024  # per cache: restaurants' pages, nearby searches


class MenuPageBody(msgspec.Struct, kw_only=True):
    """A MenuPage whose categories and menus are encoded once; only the open state varies."""

    restaurant: RestaurantView
    categories: msgspec.Raw
    menus: msgspec.Raw
    open_now: bool
    next_opening_at: datetime | None


class CachedReads:
    """One node's caches and the version reader they share."""

    def __init__(self, ctx: Context) -> None:
        self.versions = VersionReader(ctx.redis)
        self.restaurants = AnswerCache(MAX_ENTRIES, MAX_BYTES)
        self.searches = AnswerCache(MAX_ENTRIES, MAX_BYTES)


def cached_reads(ctx: Context) -> CachedReads:
    """The node's caches, made on first use (each app has its own context, so its own caches)."""
    reads = ctx.extras.get(_EXTRAS_KEY)
    if reads is None:
        reads = ctx.extras[_EXTRAS_KEY] = CachedReads(ctx)
    return reads


async def _version(ctx: Context, reads: CachedReads, scope: uuid.UUID | str) -> str | None:
    return await reads.versions.read(version_key(ctx, scope))


async def menu_page_json(ctx: Context, restaurant_id: uuid.UUID) -> bytes:
    at, reads = now(ctx), cached_reads(ctx)

    async def load() -> tuple[MenuPageBody, int]:
        page = await menu_page(ctx, restaurant_id, at)
        body = MenuPageBody(restaurant=page.restaurant, categories=msgspec.Raw(_encode(page.categories)),
                            menus=msgspec.Raw(_encode(page.menus)), open_now=page.open_now,
                            next_opening_at=page.next_opening_at)
        return body, len(body.categories) + len(body.menus) + 1024
    try:
        version = await _version(ctx, reads, restaurant_id)
    except _UNREACHABLE:
        log.warning("catalogue versions unreadable; menu page read from Postgres", exc_info=True)
        return _encode(await menu_page(ctx, restaurant_id, at))
    body = await reads.restaurants.get(("menu", restaurant_id), version, at, load)
    if body.open_now:
        opened = _opened(at)
        body = msgspec.structs.replace(body, restaurant=_opened_view(body.restaurant, opened),
                                       next_opening_at=opened)
    return _encode(body)


async def restaurant_json(ctx: Context, restaurant_id: uuid.UUID) -> bytes:
    at, reads = now(ctx), cached_reads(ctx)

    async def load() -> tuple[RestaurantView, int]:
        return await get_restaurant(ctx, restaurant_id, at), 2048
    try:
        version = await _version(ctx, reads, restaurant_id)
    except _UNREACHABLE:
        log.warning("catalogue versions unreadable; restaurant read from Postgres", exc_info=True)
        return _encode(await get_restaurant(ctx, restaurant_id, at))
    view = await reads.restaurants.get(("restaurant", restaurant_id), version, at, load)
    return _encode(_opened_view(view, _opened(at)) if view.open_now else view)


async def nearby_json(ctx: Context, query: NearbyQuery) -> bytes:
    at, reads = now(ctx), cached_reads(ctx)

    async def load() -> tuple[Page[NearbyRestaurant], int]:
        page = await nearby(ctx, query, at)
        return page, len(_encode(page))
    try:
        version = await _version(ctx, reads, DISCOVERY)
    except _UNREACHABLE:
        log.warning("catalogue versions unreadable; nearby search read from Postgres", exc_info=True)
        return _encode(await nearby(ctx, query, at))
    page = await reads.searches.get(msgspec.structs.astuple(query), version, at, load)
    opened = _opened(at)
    items = [_opened_view(item, opened) if item.open_now else item for item in page.items]
    return _encode(Page(items=items, next_cursor=page.next_cursor))


_UNREACHABLE = (redis.exceptions.RedisError, OSError, TimeoutError)


def _opened(at: datetime) -> datetime:
    """What open_state says an open restaurant's next opening is: the instant asked about."""
    return at.astimezone(UTC)


def _opened_view(view, opened: datetime):
    """A RestaurantView or NearbyRestaurant of an open restaurant, as read at `opened`."""
    return msgspec.structs.replace(view, next_opening_at=opened)
