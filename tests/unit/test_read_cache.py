"""The catalogue's answer cache: bounded, stamped with a version and a minute, one load per key."""
import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from server.catalogue.read_cache import AnswerCache

NOON = datetime(2025, 1, 10, 12, 0, 0, tzinfo=UTC)


class Loads:
    """A loader that counts its calls and answers `value` of `size` bytes."""

    def __init__(self) -> None:
        self.calls = 0

    def of(self, value, size=10):
        async def load():
            self.calls += 1
            return value, size
        return load


async def test_an_answer_is_kept_for_its_version_within_its_minute():
    cache, loads = AnswerCache(10, 1000), Loads()
    assert await cache.get("k", "v1", NOON, loads.of("first")) == "first"
    assert await cache.get("k", "v1", NOON + timedelta(seconds=59), loads.of("second")) == "first"
    assert await cache.get("k", "v2", NOON + timedelta(seconds=59), loads.of("third")) == "third"
    assert await cache.get("k", "v2", NOON + timedelta(seconds=60), loads.of("fourth")) == "fourth"
    assert loads.calls == 3


async def test_the_least_recently_used_answer_goes_first_past_the_entry_bound():
    cache, loads = AnswerCache(2, 1000), Loads()
    await cache.get("a", 1, NOON, loads.of("a"))
    await cache.get("b", 1, NOON, loads.of("b"))
    await cache.get("a", 1, NOON, loads.of("a again"))  # a is now the most recently used
    await cache.get("c", 1, NOON, loads.of("c"))
    assert len(cache) == 2
    assert await cache.get("a", 1, NOON, loads.of("a reloaded")) == "a"
    assert await cache.get("b", 1, NOON, loads.of("b reloaded")) == "b reloaded"


async def test_the_byte_bound_holds_and_an_answer_bigger_than_it_is_served_but_not_kept():
    cache, loads = AnswerCache(100, 100), Loads()
    for key in "abcde":
        await cache.get(key, 1, NOON, loads.of(key, size=30))
    assert len(cache) == 3 and cache.bytes == 90
    assert await cache.get("huge", 1, NOON, loads.of("huge", size=101)) == "huge"
    assert len(cache) == 3 and cache.bytes == 90
    assert await cache.get("huge", 1, NOON, loads.of("huge again", size=101)) == "huge again"


async def test_reads_of_one_key_at_once_share_one_load():
    cache, started, release = AnswerCache(10, 1000), asyncio.Event(), asyncio.Event()
    calls = 0

    async def slow():
        nonlocal calls
        calls += 1
        started.set()
        await release.wait()
        return "shared", 10
    readers = [asyncio.create_task(cache.get("k", 1, NOON, slow)) for _ in range(5)]
    await asyncio.wait_for(started.wait(), 5)
    release.set()
    assert await asyncio.wait_for(asyncio.gather(*readers), 5) == ["shared"] * 5
    assert calls == 1


async def test_a_failed_load_reaches_every_reader_and_is_not_kept():
    cache, loads = AnswerCache(10, 1000), Loads()

    async def failing():
        raise LookupError("no such restaurant")
    with pytest.raises(LookupError):
        await cache.get("k", 1, NOON, failing)
    assert len(cache) == 0
    assert await cache.get("k", 1, NOON, loads.of("found")) == "found"


async def test_a_reader_that_gives_up_leaves_the_load_to_the_others():
    cache, started, release = AnswerCache(10, 1000), asyncio.Event(), asyncio.Event()

    async def slow():
        started.set()
        await release.wait()
        return "kept", 10
    leaving = asyncio.create_task(cache.get("k", 1, NOON, slow))
    staying = asyncio.create_task(cache.get("k", 1, NOON, slow))
    await asyncio.wait_for(started.wait(), 5)
    leaving.cancel()
    release.set()
    assert await asyncio.wait_for(staying, 5) == "kept"
    assert leaving.cancelled()
