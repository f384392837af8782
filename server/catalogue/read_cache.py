"""A node's cache of catalogue answers, bounded in entries and bytes, least recently used out first.

An answer is kept with the catalogue version it was read at and the minute it was made in:
opening hours are whole minutes in whole-minute time zones, so whether a restaurant is open,
and when it next opens, cannot change within a minute. A new version (see
server.catalogue.versions) or a new minute means reading again; reads of one key waiting
at once share that one load.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from datetime import datetime
from typing import Any, Awaitable, Callable, Hashable, NamedTuple

# A loader returns the answer and its size in bytes (what the cache counts against its bound).
Loader = Callable[[], Awaitable[tuple[Any, int]]]


def minute_of(at: datetime) -> int:
    return int(at.timestamp() // 60)


class _Entry(NamedTuple):
    stamp: tuple[Any, int]  # (version, minute)
    value: Any
    size: int


class AnswerCache:
    """Answers by key; one is served while its version and minute are those asked for."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._loading: dict[tuple[Hashable, tuple], asyncio.Future] = {}
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    async def get(self, key: Hashable, version: Any, at: datetime, load: Loader) -> Any:
        stamp = (version, minute_of(at))
        entry = self._entries.get(key)
        if entry is not None and entry.stamp == stamp:
            self._entries.move_to_end(key)
            return entry.value
        pending = self._loading.get((key, stamp))
        if pending is None:
            pending = asyncio.ensure_future(self._fill(key, stamp, load))
            pending.add_done_callback(_retrieve)
            self._loading[(key, stamp)] = pending
        return await asyncio.shield(pending)

    async def _fill(self, key: Hashable, stamp: tuple, load: Loader) -> Any:
        try:
            value, size = await load()
        finally:
            del self._loading[(key, stamp)]
        self._put(key, _Entry(stamp, value, size))
        return value

    def _put(self, key: Hashable, entry: _Entry) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= old.size
        if entry.size > self.max_bytes:
            return  # served once, never kept: it would push out everything else
        self._entries[key] = entry
        self.bytes += entry.size
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.bytes -= evicted.size


def _retrieve(future: asyncio.Future) -> None:
    """Every reader may have given up; the load's error is theirs, not the loop's to report."""
    if not future.cancelled():
        future.exception()
