"""The staff's live KPIs: counted from the outbox in Postgres, pushed after order events."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone

import asyncpg
import msgspec

from server.context import Context
from server.events import PUBLISHERS, Event
from server.live.publish import LivePayload, push

log = logging.getLogger(__name__)
COUNTED = ("order.created", "order.accepted", "delivery.assigned", "order.delivered",
           "order.cancelled", "order.refused")
STAFF_ROOMS = ("role:sales", "role:tech")
TIMEZONE = "Europe/Paris"  # "of the day" is a French day
MIN_INTERVAL_S = 1.0        # a dashboard refreshed every second at most, however busy the day


class Kpi(msgspec.Struct):
    """Today's counters and the money at stake; `events` only grows during a day."""

    day: str
    placed: int
    accepted: int
    assigned: int
    delivered: int
    cancelled: int
    in_progress: int
    volume_in_progress_cents: int
    volume_day_cents: int
    events: int


# Totals come from the latest order event that states one (an edit may change it).
_TOTAL = "CASE WHEN jsonb_typeof(t.data->'total_cents') = 'number' THEN (t.data->>'total_cents')::bigint END"
_SQL = f"""
WITH day AS (SELECT date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1 AS start),
counts AS (
  SELECT count(*) FILTER (WHERE type = 'order.created') AS placed,
         count(*) FILTER (WHERE type = 'order.accepted') AS accepted,
         count(DISTINCT aggregate_id) FILTER (WHERE type = 'delivery.assigned') AS assigned,
         count(*) FILTER (WHERE type = 'order.delivered') AS delivered,
         count(*) FILTER (WHERE type IN ('order.cancelled', 'order.refused')) AS cancelled,
         count(*) AS events
  FROM outbox, day WHERE aggregate IN ('order', 'delivery') AND created_at >= day.start
    AND type = ANY($2::text[])),
created AS (
  SELECT c.aggregate_id, c.created_at >= day.start AS today FROM outbox c, day
  WHERE c.aggregate = 'order' AND c.type = 'order.created'
    AND c.created_at >= least(day.start, now() - interval '2 days')),
ended AS (
  SELECT DISTINCT e.aggregate_id, e.type FROM outbox e JOIN created USING (aggregate_id)
  WHERE e.aggregate = 'order' AND e.type IN ('order.delivered', 'order.cancelled', 'order.refused')),
totals AS (
  SELECT DISTINCT ON (t.aggregate_id) t.aggregate_id, {_TOTAL} AS cents
  FROM outbox t JOIN created USING (aggregate_id)
  WHERE t.aggregate = 'order' AND t.data ? 'total_cents' ORDER BY t.aggregate_id, t.seq DESC),
money AS (
  SELECT count(*) FILTER (WHERE ended.type IS NULL) AS in_progress,
         coalesce(sum(cents) FILTER (WHERE ended.type IS NULL), 0)::bigint AS volume_in_progress_cents,
         coalesce(sum(cents) FILTER (WHERE today AND (ended.type IS NULL
                  OR ended.type = 'order.delivered')), 0)::bigint AS volume_day_cents
  FROM created LEFT JOIN ended USING (aggregate_id) LEFT JOIN totals USING (aggregate_id))
SELECT to_char(day.start AT TIME ZONE $1, 'YYYY-MM-DD') AS day, counts.*, money.*
FROM day, counts, money
"""


async def kpi_snapshot(conn: asyncpg.Connection) -> Kpi:
    """Right on every node and after any restart: Postgres is the one source of truth."""
    row = await conn.fetchrow(_SQL, TIMEZONE, list(COUNTED))
    return Kpi(**dict(row))


def kpi_payload(kpi: Kpi) -> LivePayload:
    """As every live event: seq (today's counted events), type, data, at."""
    return LivePayload(kpi.events, "kpi", kpi, datetime.now(timezone.utc))


async def push_kpi(ctx: Context, rooms: tuple[str, ...] = STAFF_ROOMS) -> Kpi:
    async with ctx.db.acquire() as conn:
        kpi = await kpi_snapshot(conn)
    for where in rooms:
        await push(ctx, where, "kpi", kpi, seq=kpi.events, at=datetime.now(timezone.utc))
    return kpi


async def anyone_watching(ctx: Context, rooms: tuple[str, ...] = STAFF_ROOMS) -> bool:
    """Whether some node holds a staff socket: a node listens to a room's channel only then."""
    counts = await ctx.redis.pubsub_numsub(*(ctx.key("room", where) for where in rooms))
    return any(count for _, count in counts)


class KpiStream:
    """Coalesces bursts: events arriving while a snapshot is computed cause one more, not many,
    and snapshots come at most once per `min_interval_s`. The snapshot reads the day's outbox,
    which grows all day: it is skipped while no staff dashboard is open anywhere (one that
    opens gets a fresh snapshot at connect)."""

    def __init__(self, ctx: Context, min_interval_s: float = MIN_INTERVAL_S) -> None:
        self.ctx = ctx
        self.min_interval_s = min_interval_s
        self.dirty = False
        self.task: asyncio.Task | None = None
        self._last = float("-inf")

    def touch(self) -> None:
        self.dirty = True
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run(), name="kpi-stream")

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self.dirty:
            await asyncio.sleep(max(0.0, self._last + self.min_interval_s - loop.time()))
            self.dirty = False
            self._last = loop.time()
            try:
                if await anyone_watching(self.ctx):
                    await push_kpi(self.ctx)
            except Exception:
                log.exception("kpi push failed; the next order event will try again")

    async def close(self) -> None:
        if self.task is not None:
            await asyncio.gather(self.task, return_exceptions=True)


def kpi_stream(ctx: Context) -> KpiStream:
    """One per process, kept with the process's other services."""
    return ctx.extras.setdefault("kpi", KpiStream(ctx))


async def on_events(ctx: Context, events: list[Event]) -> None:
    if any(event.type in COUNTED for event in events):
        kpi_stream(ctx).touch()


if on_events not in PUBLISHERS:
    PUBLISHERS.append(on_events)
