"""A sandbox provider that behaves like a real one: test tokens, holds, captures, refunds.

Test tokens: tok_sandbox_ok (and tok_visa) succeed, tok_sandbox_declined is declined,
tok_sandbox_insufficient_funds lacks funds; any other token is unknown to the network.
It keeps its books in its own tables and its own transactions, as a remote service would.
"""
from __future__ import annotations

import secrets

import asyncpg
import msgspec

from server.payments.provider import ProviderResult

_OUTCOMES = {
    "tok_sandbox_ok": None, "tok_visa": None,
    "tok_sandbox_declined": "card_declined",
    "tok_sandbox_insufficient_funds": "insufficient_funds",
}


# The request is kept under its key and, if it is a new one that succeeds, the hold is made,
# in the same statement; a key already kept answers what it answered first.
_AUTHORIZE = """
WITH request AS (
    INSERT INTO sandbox_requests (idempotency_key, response) VALUES ($1, $2)
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING response
), hold AS (
    INSERT INTO sandbox_charges (id, token, authorized_cents, status)
    SELECT $3, $4, $5, 'authorized' FROM request WHERE $3::text IS NOT NULL
)
SELECT response FROM request
UNION ALL
SELECT response FROM sandbox_requests WHERE idempotency_key = $1 AND NOT EXISTS (SELECT FROM request)
"""


class SandboxProvider:
    name = "sandbox"

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def authorize(self, *, token: str, amount_cents: int, idempotency_key: str) -> ProviderResult:
        """One statement: the answer kept under the key and the hold, or the first answer kept."""
        failure = _OUTCOMES.get(token, "invalid_token")
        result = ProviderResult(ok=False, failure_code=failure) if failure else \
            ProviderResult(ok=True, charge_id="ch_" + secrets.token_hex(12))
        stored = await self._pool.fetchval(_AUTHORIZE, idempotency_key, msgspec.to_builtins(result),
                                           result.charge_id, token, amount_cents)
        if stored is None:  # the same key's first request committed while this one waited
            stored = await self._pool.fetchval(
                "SELECT response FROM sandbox_requests WHERE idempotency_key = $1", idempotency_key)
        return msgspec.convert(stored, ProviderResult)

    async def capture(self, *, charge_id: str, amount_cents: int, idempotency_key: str) -> ProviderResult:
        return await self._move(idempotency_key, charge_id, amount_cents, "capture")

    async def refund(self, *, charge_id: str, amount_cents: int, idempotency_key: str) -> ProviderResult:
        return await self._move(idempotency_key, charge_id, amount_cents, "refund")

    async def void(self, *, charge_id: str, idempotency_key: str) -> ProviderResult:
        return await self._move(idempotency_key, charge_id, 0, "void")

    async def _move(self, key: str, charge_id: str, amount: int, kind: str) -> ProviderResult:
        async def run(conn: asyncpg.Connection) -> ProviderResult:
            charge = await conn.fetchrow("SELECT * FROM sandbox_charges WHERE id = $1 FOR UPDATE", charge_id)
            failure = _refusal(charge, amount, kind)
            if failure:
                return ProviderResult(ok=False, charge_id=charge_id, failure_code=failure)
            column, status = {"capture": ("captured_cents", "captured"),
                              "refund": ("refunded_cents", "refunded"),
                              "void": ("captured_cents", "voided")}[kind]
            await conn.execute(f"UPDATE sandbox_charges SET {column} = {column} + $2, status = $3"
                               " WHERE id = $1", charge_id, amount, status)
            return ProviderResult(ok=True, charge_id=charge_id)
        return await self._once(key, run)

    async def _once(self, key: str, run) -> ProviderResult:
        """Run a request once per idempotency key; a replay gets the first answer."""
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", key)
            stored = await conn.fetchval("SELECT response FROM sandbox_requests WHERE idempotency_key = $1", key)
            if stored is not None:
                return msgspec.convert(stored, ProviderResult)
            result = await run(conn)
            await conn.execute("INSERT INTO sandbox_requests (idempotency_key, response) VALUES ($1, $2)",
                               key, msgspec.to_builtins(result))
            return result


def _refusal(charge: asyncpg.Record | None, amount: int, kind: str) -> str | None:
    if charge is None:
        return "no_such_charge"
    if kind == "capture":
        ok = charge["status"] == "authorized" and 0 < amount <= charge["authorized_cents"]
    elif kind == "void":
        ok = charge["status"] == "authorized"
    else:
        ok = charge["status"] in ("captured", "refunded") and \
            0 < amount <= charge["captured_cents"] - charge["refunded_cents"]
    return None if ok else f"cannot_{kind}"
