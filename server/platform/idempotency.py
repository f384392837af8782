"""Idempotency keys in Postgres: one request claims a key, the others get its first answer."""
from __future__ import annotations

import asyncio
import random
import time

import asyncpg
import msgspec

from domain.errors import Conflict, Invalid
from server.context import Context

TTL_S = 24 * 3600
# a claim this old with no answer belongs to a node that died mid-request: take it over
ABANDONED_AFTER_S = 120
WAIT_FOR_FIRST_S = 30


class StoredAnswer(msgspec.Struct, frozen=True):
    status: int
    headers: dict[str, str]
    body: bytes


_CLAIM = """
INSERT INTO idempotency_keys AS k (owner, key, fingerprint) VALUES ($1, $2, $3)
ON CONFLICT (owner, key) DO UPDATE
   SET fingerprint = EXCLUDED.fingerprint, created_at = now(), locked_at = now(),
       status = NULL, headers = NULL, body = NULL, completed_at = NULL
 WHERE k.created_at < now() - make_interval(secs => $4)
    OR (k.completed_at IS NULL AND k.fingerprint = EXCLUDED.fingerprint
        AND k.locked_at < now() - make_interval(secs => $5))
RETURNING true
"""


async def claim(ctx: Context, owner: str, key: str, fingerprint: bytes) -> StoredAnswer | None:
    """None if this request now owns the key; else the first answer (waiting for it if needed)."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_S
    delay = 0.01
    while True:
        async with ctx.db.acquire() as conn:
            if await conn.fetchval(_CLAIM, owner, key, fingerprint, TTL_S, ABANDONED_AFTER_S):
                if random.random() < 0.01:
                    await purge_expired(conn)
                return None
            row = await conn.fetchrow(
                "SELECT fingerprint, status, headers, body, completed_at FROM idempotency_keys"
                " WHERE owner = $1 AND key = $2", owner, key)
        if row is None:
            continue  # released between our two queries: try to claim it again
        if row["fingerprint"] != fingerprint:
            raise Invalid("this Idempotency-Key was already used with another request",
                          code="idempotency-key-reused",
                          errors=[{"field": "Idempotency-Key", "message": "used with another body"}])
        if row["completed_at"] is not None:
            return StoredAnswer(status=row["status"], headers=row["headers"], body=row["body"])
        if time.monotonic() > deadline:
            raise Conflict("a request with this Idempotency-Key is still being processed; retry",
                           code="idempotency-in-progress")
        await _wait(delay)  # the first request is still running: wait for its answer
        delay = min(delay * 2, 0.2)


async def _wait(delay: float) -> None:
    await asyncio.sleep(delay)


_COMPLETE = ("UPDATE idempotency_keys SET status = $3, headers = $4, body = $5, completed_at = now()"
             " WHERE owner = $1 AND key = $2")


async def complete(ctx: Context, owner: str, key: str, answer: StoredAnswer) -> None:
    await ctx.db.execute(_COMPLETE, owner, key, answer.status, answer.headers, answer.body)


async def complete_within(conn: asyncpg.Connection, owner: str, key: str, answer: StoredAnswer) -> None:
    """Keep the answer in the caller's open transaction: it is kept if and only if the work
    it answers for commits, and costs no commit of its own."""
    await conn.execute(_COMPLETE, owner, key, answer.status, answer.headers, answer.body)


async def release(ctx: Context, owner: str, key: str) -> None:
    """Forget a claim whose request failed, so a retry runs it afresh."""
    await ctx.db.execute("DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2"
                         " AND completed_at IS NULL", owner, key)


async def purge_expired(conn: asyncpg.Connection, batch: int = 500) -> int:
    """Delete a batch of keys past their 24 hours; returns how many went."""
    status = await conn.execute(
        "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys"
        " WHERE created_at < now() - make_interval(secs => $1) LIMIT $2)", TTL_S, batch)
    return int(status.split()[-1])
