"""GPS tracks in Postgres: fixes buffered per node and written in batches with COPY, pruned later."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import asyncpg
from aiohttp import web

from server.catalogue.clock import now as clock
from server.context import Context
from server.keys import CONTEXT

log = logging.getLogger(__name__)
COLUMNS = ("courier_id", "at", "lat", "lng", "heading", "speed", "accuracy", "received_at")
BATCH_ROWS = 500          # a full batch is written at once...
EVERY_S = 1.0             # ...and anything waiting at least this often
MAX_HELD = 50_000         # while Postgres is away, the oldest fixes go first
PRUNE_EVERY_S = 600
PRUNE_CHUNK = 10_000


class TrackBuffer:
    """Fixes waiting to be written; one per process, flushed on a timer, when full and at exit."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows: list[tuple] = []
        self.written = 0
        self._task: asyncio.Task | None = None
        self._full = asyncio.Event()
        self._closed = False

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) > MAX_HELD:
            del self.rows[:len(self.rows) - MAX_HELD]
        if len(self.rows) >= BATCH_ROWS:
            self._full.set()
        if self._task is None and not self._closed:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="gps-tracks")

    async def flush(self) -> int:
        """Write what is waiting in one COPY; on failure keep it for the next try."""
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        try:
            async with self.ctx.db.acquire() as conn:
                await conn.copy_records_to_table("courier_fixes", records=rows, columns=COLUMNS)
        except Exception:
            log.exception("writing %d GPS fixes failed; kept for the next try", len(rows))
            self.rows[:0] = rows[-MAX_HELD:]
            return 0
        self.written += len(rows)
        return len(rows)

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._full.wait(), EVERY_S)
            except asyncio.TimeoutError:
                pass
            self._full.clear()
            await self.flush()

    async def close(self) -> None:
        """Stop the timer and write the rest: called before the pool closes."""
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self.flush()


def track_buffer(ctx: Context) -> TrackBuffer:
    buffer = ctx.extras.get("gps_tracks")
    if buffer is None:
        buffer = ctx.extras["gps_tracks"] = TrackBuffer(ctx)
    return buffer


async def flush_tracks(app: web.Application) -> None:
    """FLUSH_HOOKS: at shutdown the intake answers its last fixes, then all buffered reach Postgres."""
    extras = app[CONTEXT].extras
    intake = extras.get("gps_intake")  # server.couriers.intake's FixIntake, which imports this module
    if intake is not None:
        await intake.close()
    buffer = extras.get("gps_tracks")
    if buffer is not None:
        await buffer.close()


async def prune(conn: asyncpg.Connection, before: datetime) -> int:
    """Delete fixes older than `before`, a chunk at a time so no transaction grows huge."""
    deleted = 0
    while True:
        status = await conn.execute(
            "DELETE FROM courier_fixes WHERE ctid IN (SELECT ctid FROM courier_fixes"
            " WHERE at < $1 LIMIT $2)", before, PRUNE_CHUNK)
        count = int(status.split()[-1])
        deleted += count
        if count < PRUNE_CHUNK:
            return deleted


async def prune_old_tracks(ctx: Context) -> int:
    cutoff = clock(ctx) - timedelta(seconds=ctx.settings.gps_retention_s)
    async with ctx.db.acquire() as conn:
        return await prune(conn, cutoff)


async def prune_tracks(app: web.Application) -> None:
    """Worker job: tracks older than GPS_RETENTION are deleted, every ten minutes."""
    while True:
        deleted = await prune_old_tracks(app[CONTEXT])
        if deleted:
            log.info("old GPS fixes deleted", extra={"count": deleted})
        await asyncio.sleep(PRUNE_EVERY_S)
