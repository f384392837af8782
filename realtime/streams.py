"""Per socket and aggregate room: the last seq sent, and live events held back during a replay."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any

_OVERFLOWED = None  # held back too much: the client will see a gap and subscribe again


class Streams:
    """The seam between replay and live: nothing missed, nothing twice, nothing out of order."""

    def __init__(self, hold_limit: int = 1000) -> None:
        self.hold_limit = hold_limit
        self.last: dict[str, dict[str, int]] = {}
        self.held: dict[tuple[str, str], list | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def admit(self, sid: str, room: str, seq: int, item: Any) -> bool:
        """Whether a live event goes out now; False if held back during a replay or already sent."""
        if self.held:
            key = (sid, room)
            if key in self.held:
                held = self.held[key]
                if held is not None:
                    if len(held) < self.hold_limit:
                        held.append((seq, item))
                    else:
                        self.held[key] = _OVERFLOWED
                return False
        rooms = self.last.get(sid)
        if rooms is None or room not in rooms:
            return True
        if seq <= rooms[room]:
            return False
        rooms[room] = seq
        return True

    @asynccontextmanager
    async def changing(self, sid: str):
        """One subscribe, unsubscribe or catch-up at a time per socket."""
        lock = self._locks.setdefault(sid, asyncio.Lock())
        async with lock:
            yield

    def begin(self, sid: str, room: str) -> None:
        self.held[(sid, room)] = []

    def finish(self, sid: str, room: str, last: int, *, flush: bool) -> tuple[list[Any], bool]:
        """End the replay at `last`: (held events past it in seq order, whether none was lost)."""
        held = self.held.pop((sid, room), None)
        out: list[Any] = []
        if flush and held:
            for seq, item in sorted(held, key=lambda pair: pair[0]):
                if seq > last:
                    out.append(item)
                    last = seq
        self.last.setdefault(sid, {})[room] = last
        return out, held is not _OVERFLOWED

    def abandon(self, sid: str, room: str) -> None:
        self.held.pop((sid, room), None)

    def drop(self, sid: str, room: str) -> bool:
        """Stop following a room; False if the socket was not following it."""
        self.held.pop((sid, room), None)
        return self.last.get(sid, {}).pop(room, None) is not None

    def forget(self, sid: str) -> None:
        self.last.pop(sid, None)
        self._locks.pop(sid, None)
        for key in [key for key in self.held if key[0] == sid]:
            del self.held[key]

    def following(self) -> list[tuple[str, str, int]]:
        """(sid, room, last seq sent) of every stream on this node."""
        return [(sid, room, last) for sid, rooms in self.last.items() for room, last in rooms.items()]
