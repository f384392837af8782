"""Event loop lag: how late a short timer fires tells how busy the loop is."""
from __future__ import annotations

import asyncio

from prometheus_client import Gauge

INTERVAL_S = 0.25


class LoopLag:
    """Samples the lag; keeps the worst since the last read for the node announcement."""

    def __init__(self, gauge: Gauge) -> None:
        self._gauge = gauge
        self.last_s = 0.0
        self._worst_s = 0.0

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(INTERVAL_S)
            lag = max(0.0, loop.time() - started - INTERVAL_S)
            self.last_s = lag
            self._worst_s = max(self._worst_s, lag)
            self._gauge.set(lag)

    def take_worst(self) -> float:
        """The worst lag since the previous call, then start over."""
        worst, self._worst_s = max(self._worst_s, self.last_s), 0.0
        return worst
