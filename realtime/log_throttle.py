"""A traceback now and then: a storm of the same failure must not become a storm of log lines."""
from __future__ import annotations

import time


class Throttle:
    """`due()` is true at most once per `every_s` seconds."""

    __slots__ = ("every_s", "_last")

    def __init__(self, every_s: float = 10.0) -> None:
        self.every_s = every_s
        self._last = float("-inf")

    def due(self) -> bool:
        now = time.monotonic()
        if now - self._last < self.every_s:
            return False
        self._last = now
        return True
