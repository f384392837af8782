"""Catalogue versions in Redis: stamped by changes, read in shared batches that never lag a change."""
import asyncio
import uuid

import pytest
import redis.asyncio as aioredis

from server.catalogue.versions import DISCOVERY, VersionReader, changed, version_key
from server.context import Context


class CountingRedis:
    """The real client, counting the MGETs sent (and the keys each asked for) and able to hold them."""

    def __init__(self, client: aioredis.Redis) -> None:
        self.client, self.batches = client, []
        self.asked, self.go_on = asyncio.Event(), asyncio.Event()
        self.go_on.set()

    async def mget(self, keys):
        self.batches.append(sorted(keys))
        self.asked.set()
        await self.go_on.wait()
        return await self.client.mget(keys)


@pytest.fixture
async def ctx(settings):
    client = aioredis.from_url(settings.redis_url)
    yield Context(db=None, redis=client, settings=settings)
    await client.aclose()


async def test_a_change_stamps_the_restaurant_and_discovery_only_when_searches_see_it(ctx):
    restaurant = uuid.uuid4()
    await changed(ctx, restaurant, discovery=False)
    first = await ctx.redis.mget([version_key(ctx, restaurant), version_key(ctx, DISCOVERY)])
    assert first[0] is not None and first[1] is None
    await changed(ctx, restaurant)
    second = await ctx.redis.mget([version_key(ctx, restaurant), version_key(ctx, DISCOVERY)])
    assert second[0] not in (None, first[0]) and second[1] is not None


async def test_reads_waiting_together_share_one_mget(ctx):
    counting = CountingRedis(ctx.redis)
    reader = VersionReader(counting)
    keys = [version_key(ctx, uuid.uuid4()) for _ in range(3)]
    await ctx.redis.set(keys[0], "v0")
    found = await asyncio.wait_for(asyncio.gather(*(reader.read(k) for k in keys * 4)), 5)
    assert found[0] == b"v0" and found[1] is None and found[2] is None
    assert counting.batches == [sorted(keys)]


async def test_a_read_begun_while_an_mget_is_in_flight_waits_for_the_next_one(ctx):
    restaurant = uuid.uuid4()
    key = version_key(ctx, restaurant)
    counting = CountingRedis(ctx.redis)
    counting.go_on.clear()
    reader = VersionReader(counting)
    early = asyncio.create_task(reader.read(key))
    await asyncio.wait_for(counting.asked.wait(), 5)  # the first MGET is on its way
    await changed(ctx, restaurant, discovery=False)
    late = asyncio.create_task(reader.read(key))
    counting.go_on.set()
    await asyncio.wait_for(asyncio.gather(early, late), 5)
    assert counting.batches == [[key], [key]]
    assert late.result() == await ctx.redis.get(key) is not None


async def test_an_unreachable_redis_fails_every_waiting_read(ctx):
    class Broken:
        async def mget(self, keys):
            raise ConnectionError("Redis is away")
    reader = VersionReader(Broken())
    results = await asyncio.gather(reader.read("a"), reader.read("b"), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)


async def test_a_reader_that_gives_up_leaves_the_answer_to_the_others(ctx):
    counting = CountingRedis(ctx.redis)
    counting.go_on.clear()
    reader = VersionReader(counting)
    key = version_key(ctx, uuid.uuid4())
    await ctx.redis.set(key, "v1")
    leaving, staying = asyncio.create_task(reader.read(key)), asyncio.create_task(reader.read(key))
    await asyncio.wait_for(counting.asked.wait(), 5)
    leaving.cancel()
    counting.go_on.set()
    assert await asyncio.wait_for(staying, 5) == b"v1"
    assert leaving.cancelled()
