"""The last few seconds of requests: rate and latency percentiles for the node registry."""
from __future__ import annotations

import math
import random
import time
from collections import deque
from typing import Callable

import msgspec


class WindowFigures(msgspec.Struct, frozen=True):
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


class _Second:
    __slots__ = ("second", "count", "samples")

    def __init__(self, second: int) -> None:
        self.second, self.count, self.samples = second, 0, []


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (0 when empty)."""
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class RequestWindow:
    """Counts every request of the last `span_s` seconds; keeps a bounded sample of durations.

    Per second at most `keep` durations are kept (reservoir sampling), so a busy node's
    memory stays flat while its percentiles stay honest.
    """

    def __init__(self, span_s: int = 10, keep: int = 500,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.span_s, self.keep, self._clock = span_s, keep, clock
        self._seconds: deque[_Second] = deque()
        self._born = clock()

    def record(self, duration_s: float) -> None:
        now = int(self._clock())
        if not self._seconds or self._seconds[-1].second != now:
            self._seconds.append(_Second(now))
            self._forget(now)
        slot = self._seconds[-1]
        slot.count += 1
        if len(slot.samples) < self.keep:
            slot.samples.append(duration_s)
        elif (index := random.randrange(slot.count)) < self.keep:
            slot.samples[index] = duration_s

    def figures(self) -> WindowFigures:
        """Requests per second and p50/p95/p99 in milliseconds over the window."""
        now = self._clock()
        self._forget(int(now))
        span = min(float(self.span_s), max(now - self._born, 1.0))
        count = sum(slot.count for slot in self._seconds)
        ordered = sorted(d for slot in self._seconds for d in slot.samples)
        p50, p95, p99 = (round(percentile(ordered, f) * 1000, 2) for f in (0.5, 0.95, 0.99))
        return WindowFigures(round(count / span, 2), p50, p95, p99)

    def _forget(self, now: int) -> None:
        while self._seconds and self._seconds[0].second <= now - self.span_s:
            self._seconds.popleft()
