"""Payment steps of an order: authorise at placing, capture at delivery, release on exit.

Each step calls the provider with a key derived from the order and the step, then
records the outcome under the same key: a retried step never charges twice.
"""
from __future__ import annotations

import uuid

import asyncpg
import msgspec

from domain.errors import PaymentFailed
from domain.payments import check_payment_token, release_operation
from server.context import Context
from server.payments.provider import PaymentProvider, ProviderResult
from server.payments.sandbox import SandboxProvider

_MESSAGES = {
    "card_declined": "the card was declined",
    "insufficient_funds": "the card has insufficient funds",
    "invalid_token": "the payment token is not valid",
}


def provider_of(ctx: Context) -> PaymentProvider:
    if "payment_provider" not in ctx.extras:
        ctx.extras["payment_provider"] = SandboxProvider(ctx.db)
    return ctx.extras["payment_provider"]


class Hold(msgspec.Struct, frozen=True):
    """A hold the provider made and that is not yet in our books."""

    order_id: uuid.UUID
    amount_cents: int
    result: ProviderResult


async def authorize_order(ctx: Context, order_id: uuid.UUID, token: str, amount_cents: int) -> str:
    """Hold the order's total; PaymentFailed (402) if the card says no."""
    hold = await hold_unrecorded(ctx, order_id, token, amount_cents)
    await record_hold(ctx.db, ctx, hold)
    return hold.result.charge_id


async def hold_unrecorded(ctx: Context, order_id: uuid.UUID, token: str, amount_cents: int) -> Hold:
    """Hold the order's total, leaving its record to the caller's transaction (`record_hold`):
    the order and its payment commit together. A refusal is recorded here, as it leaves no
    order to commit with, and raises PaymentFailed (402)."""
    check_payment_token(token)
    key = f"{order_id}:authorize"
    result = await provider_of(ctx).authorize(token=token, amount_cents=amount_cents, idempotency_key=key)
    if not result.ok:
        await _record(ctx.db, ctx, order_id, "authorize", amount_cents, key, result)
        code = result.failure_code or "payment_failed"
        raise PaymentFailed(_MESSAGES.get(code, "the payment failed"), code=code.replace("_", "-"))
    return Hold(order_id, amount_cents, result)


async def record_hold(conn: asyncpg.Connection | asyncpg.Pool, ctx: Context, hold: Hold) -> None:
    """Write the hold in our books; once only, however often it is called."""
    await _record(conn, ctx, hold.order_id, "authorize", hold.amount_cents,
                  f"{hold.order_id}:authorize", hold.result)


async def capture_order(ctx: Context, order_id: uuid.UUID) -> bool:
    """Take what was held, once the food is delivered."""
    held = await _succeeded(ctx, order_id, "authorize")
    if held is None:
        return False
    key = f"{order_id}:capture"
    result = await provider_of(ctx).capture(charge_id=held["provider_ref"],
                                            amount_cents=held["amount_cents"], idempotency_key=key)
    await _record(ctx.db, ctx, order_id, "capture", held["amount_cents"], key, result)
    return result.ok


async def release_order(ctx: Context, order_id: uuid.UUID) -> str | None:
    """Give the money back: void a hold, refund a capture. Returns what was done."""
    held = await _succeeded(ctx, order_id, "authorize")
    captured = await _succeeded(ctx, order_id, "capture")
    operation = release_operation(captured["amount_cents"] if captured else 0, held is not None)
    if operation is None:
        return None
    key, provider = f"{order_id}:{operation}", provider_of(ctx)
    if operation == "void":
        result = await provider.void(charge_id=held["provider_ref"], idempotency_key=key)
        amount = held["amount_cents"]
    else:
        amount = captured["amount_cents"]
        result = await provider.refund(charge_id=held["provider_ref"], amount_cents=amount, idempotency_key=key)
    await _record(ctx.db, ctx, order_id, operation, amount, key, result)
    return operation if result.ok else None


async def payments_of(conn: asyncpg.Connection, order_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT operation, amount_cents, succeeded, failure_code, created_at FROM payments"
        " WHERE order_id = $1 ORDER BY created_at, operation", order_id)


async def _succeeded(ctx: Context, order_id: uuid.UUID, operation: str) -> asyncpg.Record | None:
    return await ctx.db.fetchrow(
        "SELECT amount_cents, provider_ref FROM payments WHERE order_id = $1 AND operation = $2"
        " AND succeeded", order_id, operation)


async def _record(conn: asyncpg.Connection | asyncpg.Pool, ctx: Context, order_id: uuid.UUID, operation: str,
                  amount: int, key: str, result: ProviderResult) -> None:
    await conn.execute(
        "INSERT INTO payments (order_id, operation, amount_cents, succeeded, provider, provider_ref,"
        " failure_code, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (idempotency_key) DO NOTHING",
        order_id, operation, amount, result.ok, provider_of(ctx).name, result.charge_id,
        result.failure_code, key)
