"""Suspending accounts: for a while or indefinitely, with a reason; lifted by staff or by time."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone

import asyncpg
from aiohttp import web

from domain.accounts import INDEFINITELY, Suspension, suspension_end
from server.accounts import queries
from server.accounts.announce import announce
from server.context import Context
from server.events import Event, record
from server.keys import CONTEXT

log = logging.getLogger(__name__)
# How often the worker looks for suspensions that have reached their end.
SWEEP_EVERY_S = 5.0
_BATCH = 100


async def suspend(conn: asyncpg.Connection, user: asyncpg.Record,
                  suspension: Suspension) -> tuple[asyncpg.Record, Event]:
    """Inside the caller's transaction, with the user's row locked: suspend and end sessions."""
    until = suspension_end(suspension, datetime.now(timezone.utc))
    reason = suspension.reason.strip()
    updated = await queries.set_suspension(conn, user["id"], until, reason)
    await queries.revoke_user_tokens(conn, user["id"])
    event = await record(conn, "user", user["id"], "user.suspended", {
        "user_id": str(user["id"]), "reason": reason,
        "until": None if until == INDEFINITELY else until.isoformat()})
    return updated, event


async def reactivate(conn: asyncpg.Connection, user: asyncpg.Record) -> tuple[asyncpg.Record, Event]:
    """Inside the caller's transaction, with the user's row locked: lift the suspension."""
    updated = await queries.set_suspension(conn, user["id"], None, None)
    event = await record(conn, "user", user["id"], "user.reactivated", {"user_id": str(user["id"])})
    return updated, event


async def lift_due_suspensions(ctx: Context) -> int:
    """Lift every suspension whose end has come; returns how many were lifted."""
    async with ctx.db.acquire() as conn, conn.transaction():
        lifted = await queries.lift_due_suspensions(conn, _BATCH)
        events = [await record(conn, "user", user["id"], "user.reactivated",
                               {"user_id": str(user["id"])}) for user in lifted]
    for user, event in zip(lifted, events):
        await announce(ctx, user, [event])
    if lifted:
        log.info("suspensions ended", extra={"count": len(lifted)})
    return len(lifted)


async def lift_suspensions_when_due(app: web.Application) -> None:
    """Worker job: suspensions end by themselves at their date."""
    ctx = app[CONTEXT]
    while True:
        while await lift_due_suspensions(ctx) == _BATCH:
            pass  # a full batch: more may be waiting
        await asyncio.sleep(SWEEP_EVERY_S)
