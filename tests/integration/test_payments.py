"""The sandbox provider and the order payment steps, against the real database."""
import asyncio
import uuid

import asyncpg
import pytest

from domain.errors import Invalid, PaymentFailed
from server.db.pool import create_pool
from server.context import build_context
from server.payments import service
from server.redis_client import create_redis


@pytest.fixture
async def ctx(settings):
    pool = await create_pool(settings.database_url)
    redis = create_redis(settings.redis_url)
    yield build_context(pool, redis, settings)
    await pool.close()
    await redis.aclose()


async def operations(ctx, order_id):
    async with ctx.db.acquire() as conn:
        return [(r["operation"], r["amount_cents"], r["succeeded"]) for r in await service.payments_of(conn, order_id)]


async def charge_row(ctx, order_id):
    return await ctx.db.fetchrow(
        "SELECT c.* FROM sandbox_charges c JOIN payments p ON p.provider_ref = c.id"
        " WHERE p.order_id = $1 AND p.operation = 'authorize'", order_id)


async def test_an_authorised_order_is_captured_once_even_when_capture_is_retried(ctx):
    order_id = uuid.uuid4()
    await service.authorize_order(ctx, order_id, "tok_sandbox_ok", 2590)
    assert await service.capture_order(ctx, order_id)
    assert await service.capture_order(ctx, order_id)
    assert await operations(ctx, order_id) == [("authorize", 2590, True), ("capture", 2590, True)]
    charge = await charge_row(ctx, order_id)
    assert (charge["captured_cents"], charge["status"]) == (2590, "captured")


@pytest.mark.parametrize("token, code", [
    ("tok_sandbox_declined", "card-declined"),
    ("tok_sandbox_insufficient_funds", "insufficient-funds"),
    ("tok_unknown_to_the_network", "invalid-token"),
])
async def test_a_refused_card_raises_payment_failed_and_holds_nothing(ctx, token, code):
    order_id = uuid.uuid4()
    with pytest.raises(PaymentFailed) as caught:
        await service.authorize_order(ctx, order_id, token, 1500)
    assert caught.value.code == code and caught.value.status == 402
    assert await operations(ctx, order_id) == [("authorize", 1500, False)]
    assert await charge_row(ctx, order_id) is None


@pytest.mark.parametrize("token", ["4242424242424242", "tok_4242 4242 4242 4242", "pm_card"])
async def test_a_card_number_is_never_accepted_or_stored(ctx, token):
    order_id = uuid.uuid4()
    with pytest.raises(Invalid):
        await service.authorize_order(ctx, order_id, token, 1500)
    assert await operations(ctx, order_id) == []
    assert await ctx.db.fetchval("SELECT count(*) FROM sandbox_charges WHERE token LIKE '%4242%'") == 0


async def test_releasing_a_hold_voids_it_and_a_capture_is_refunded(ctx):
    held, captured = uuid.uuid4(), uuid.uuid4()
    await service.authorize_order(ctx, held, "tok_sandbox_ok", 1000)
    await service.authorize_order(ctx, captured, "tok_sandbox_ok", 2000)
    await service.capture_order(ctx, captured)
    assert await service.release_order(ctx, held) == "void"
    assert await service.release_order(ctx, captured) == "refund"
    assert (await charge_row(ctx, held))["status"] == "voided"
    assert (await charge_row(ctx, captured))["refunded_cents"] == 2000


async def test_concurrent_retries_of_one_authorisation_hold_the_money_once(ctx):
    order_id = uuid.uuid4()
    charges = await asyncio.gather(*(service.authorize_order(ctx, order_id, "tok_sandbox_ok", 990)
                                     for _ in range(5)))
    assert len(set(charges)) == 1
    assert await ctx.db.fetchval("SELECT count(*) FROM sandbox_charges WHERE id = $1", charges[0]) == 1
    assert await operations(ctx, order_id) == [("authorize", 990, True)]


async def test_releasing_an_order_that_never_paid_does_nothing(ctx):
    assert await service.release_order(ctx, uuid.uuid4()) is None
