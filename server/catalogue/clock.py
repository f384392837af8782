"""The current instant, replaceable per process (tests put a fixed one in ctx.extras)."""
from __future__ import annotations

from datetime import UTC, datetime

from server.context import Context

CLOCK = "clock"


def now(ctx: Context) -> datetime:
    """An aware UTC datetime: ctx.extras["clock"]() when set, else the system clock."""
    clock = ctx.extras.get(CLOCK)
    return clock() if clock else datetime.now(UTC)
