"""The announcing loop: the node's figures to the registry every few seconds."""
from __future__ import annotations

import asyncio
import contextlib
import logging

from server.ops.drain import DrainState
from server.ops.figures import FigureSource
from server.ops.registry import ANNOUNCE_EVERY_S, NodeRegistry

log = logging.getLogger(__name__)


class Announcer:
    """Announces at start, every ANNOUNCE_EVERY_S, and at once when draining starts.

    Stopped by an event rather than by cancellation alone: a Redis call interrupted by a
    cancellation may swallow it, which would leave the loop running after shutdown.
    """

    def __init__(self, registry: NodeRegistry, source: FigureSource, drain: DrainState) -> None:
        self.registry, self.source, self.drain = registry, source, drain
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="node-announcer")

    async def stop(self, node_id: str) -> None:
        """Stop announcing and withdraw, so the node shows as gone at once."""
        self._stop.set()
        if self._task:
            try:
                async with asyncio.timeout(2 * ANNOUNCE_EVERY_S):
                    await self._task
            except TimeoutError:
                self._task.cancel()
        with contextlib.suppress(Exception):
            await self.registry.withdraw(node_id)

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                await self.registry.announce(self.source.read())
            except Exception as exc:  # Redis down: keep trying, the TTL says the rest
                log.warning("node announcement failed", extra={"error": repr(exc)})
            await self._pause()

    async def _pause(self) -> None:
        stop, changed = asyncio.ensure_future(self._stop.wait()), asyncio.ensure_future(
            self.drain.changed.wait())
        try:
            await asyncio.wait({stop, changed}, timeout=ANNOUNCE_EVERY_S,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            changed.cancel()
        self.drain.changed.clear()
