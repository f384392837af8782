"""Money around an order: released on refusal, cancellation and deadline; held again on edits."""
import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from server.catalogue.clock import CLOCK
from server.keys import CONTEXT
from server.orders.deadlines import refuse_overdue, settle_owed
from server.payments.sandbox import SandboxProvider
from tests.support.catalogue_factories import burger_line, make_shop, placed_order
from tests.support.factories import make_person


async def charges(client, order_id):
    """(operation, amount) of each successful payment step of an order, any hold of it."""
    rows = await client.app[CONTEXT].db.fetch(
        "SELECT p.operation, p.amount_cents FROM payments p JOIN orders o ON p.order_id IN (o.id, o.payment_id)"
        " WHERE o.id = $1 AND p.succeeded ORDER BY p.created_at, p.operation", uuid.UUID(order_id))
    return [(r["operation"], r["amount_cents"]) for r in rows]


async def released(client, order_id):
    return await client.app[CONTEXT].db.fetchval(
        "SELECT released_at IS NOT NULL FROM orders WHERE id = $1", uuid.UUID(order_id))


def later(client, seconds):
    at = datetime.now(UTC) + timedelta(seconds=seconds)
    client.app[CONTEXT].extras[CLOCK] = lambda: at


async def test_a_refused_order_has_its_hold_voided(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    response = await client.post(f"/api/v1/orders/{order['id']}/refuse", json={"reason": "Plus de pain"},
                                 headers=shop.owner.headers)
    assert (await response.json())["reason"] == "Plus de pain"
    assert await charges(client, order["id"]) == [("authorize", 2824), ("void", 2824)]
    assert await released(client, order["id"])


async def test_a_cancelled_order_has_its_hold_voided_and_its_credit_given_back(client):
    shop, customer = await make_shop(client), await make_person(client)
    db = client.app[CONTEXT].db
    await db.execute("UPDATE users SET credit_cents = 300 WHERE id = $1", customer.id)
    order = await placed_order(client, customer, shop)
    assert await db.fetchval("SELECT credit_cents FROM users WHERE id = $1", customer.id) == 0
    response = await client.post(f"/api/v1/orders/{order['id']}/cancel", headers=customer.headers)
    assert (await response.json())["status"] == "cancelled"
    assert await charges(client, order["id"]) == [("authorize", 2524), ("void", 2524)]
    assert await db.fetchval("SELECT credit_cents FROM users WHERE id = $1", customer.id) == 300


async def test_an_order_not_accepted_in_time_is_refused_by_the_system_and_voided(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    ctx = client.app[CONTEXT]
    assert await refuse_overdue(ctx) == 0
    later(client, ctx.settings.order_accept_timeout_s + 1)
    assert await refuse_overdue(ctx) == 1
    shown = await (await client.get(f"/api/v1/orders/{order['id']}", headers=customer.headers)).json()
    assert (shown["status"], shown["reason"]) == ("refused", "acceptance deadline passed")
    events = await (await client.get(f"/api/v1/orders/{order['id']}/events?after=1", headers=customer.headers)).json()
    assert [(e["type"], e["data"]["actor"]) for e in events["items"]] == [("order.refused", "system")]
    assert await charges(client, order["id"]) == [("authorize", 2824), ("void", 2824)]


async def test_two_workers_refuse_each_overdue_order_exactly_once(client):
    shop, customer = await make_shop(client), await make_person(client)
    orders = [await placed_order(client, customer, shop) for _ in range(6)]
    ctx = client.app[CONTEXT]
    later(client, ctx.settings.order_accept_timeout_s + 1)
    counts = await asyncio.gather(refuse_overdue(ctx), refuse_overdue(ctx))
    assert sum(counts) == 6
    refusals = await ctx.db.fetchval("SELECT count(*) FROM outbox WHERE type = 'order.refused'")
    voids = await ctx.db.fetchval("SELECT count(*) FROM payments WHERE operation = 'void' AND succeeded")
    assert (refusals, voids) == (6, 6)
    assert all([await released(client, o["id"]) for o in orders])


async def test_an_order_accepted_in_time_is_left_alone_by_the_deadline(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    await client.post(f"/api/v1/orders/{order['id']}/accept", json={"prep_minutes": 5}, headers=shop.owner.headers)
    later(client, 3600)
    assert await refuse_overdue(client.app[CONTEXT]) == 0


class _Down:
    """A provider that fails every call, as a network outage would."""

    name = "sandbox"

    def __getattr__(self, name):
        async def fail(**kwargs):
            raise ConnectionError("provider unreachable")
        return fail


async def test_a_void_that_failed_after_commit_is_retried_by_the_worker(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    ctx = client.app[CONTEXT]
    ctx.extras["payment_provider"] = _Down()
    response = await client.post(f"/api/v1/orders/{order['id']}/cancel", headers=customer.headers)
    assert (await response.json())["status"] == "cancelled"
    assert not await released(client, order["id"])
    ctx.extras["payment_provider"] = SandboxProvider(ctx.db)
    later(client, 60)
    assert await settle_owed(ctx) == 1
    assert await charges(client, order["id"]) == [("authorize", 2824), ("void", 2824)]
    assert await released(client, order["id"])


async def test_an_edit_keeping_the_total_needs_no_card(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    response = await client.patch(f"/api/v1/orders/{order['id']}", json={"note": "Code 1234B"},
                                  headers=customer.headers)
    assert response.status == 200, await response.text()
    body = await response.json()
    assert (body["note"], body["seq"], body["total_cents"]) == ("Code 1234B", 2, 2824)
    assert await charges(client, order["id"]) == [("authorize", 2824)]


async def test_an_edit_changing_the_total_without_a_card_changes_nothing(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    response = await client.patch(f"/api/v1/orders/{order['id']}", json={"lines": [burger_line(shop, 3)]},
                                  headers=customer.headers)
    assert response.status == 422
    problem = await response.json(content_type=None)
    assert problem["type"].endswith("payment-token-needed") and problem["total_cents"] == 3750 + 199 + 188
    shown = await (await client.get(f"/api/v1/orders/{order['id']}", headers=customer.headers)).json()
    assert (shown["seq"], shown["lines"][0]["quantity"]) == (1, 2)


async def test_an_edit_changing_the_total_holds_the_new_total_and_voids_the_old_hold(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    response = await client.patch(f"/api/v1/orders/{order['id']}", headers=customer.headers, json={
        "lines": [burger_line(shop, 3)], "payment_token": "tok_sandbox_ok"})
    assert response.status == 200, await response.text()
    assert (await response.json())["total_cents"] == 4137
    assert sorted(await charges(client, order["id"])) == [("authorize", 2824), ("authorize", 4137), ("void", 2824)]
    await client.post(f"/api/v1/orders/{order['id']}/cancel", headers=customer.headers)
    assert sorted(await charges(client, order["id"]))[-2:] == [("void", 2824), ("void", 4137)]


async def test_an_edit_paid_with_a_declined_card_leaves_the_order_as_it_was(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    response = await client.patch(f"/api/v1/orders/{order['id']}", headers=customer.headers, json={
        "lines": [burger_line(shop, 3)], "payment_token": "tok_sandbox_declined"})
    assert response.status == 402
    shown = await (await client.get(f"/api/v1/orders/{order['id']}", headers=customer.headers)).json()
    assert (shown["seq"], shown["total_cents"]) == (1, 2824)
    assert await charges(client, order["id"]) == [("authorize", 2824)]


async def test_an_accepted_order_can_no_longer_be_edited(client):
    shop, customer = await make_shop(client), await make_person(client)
    order = await placed_order(client, customer, shop)
    await client.post(f"/api/v1/orders/{order['id']}/accept", json={"prep_minutes": 5}, headers=shop.owner.headers)
    response = await client.patch(f"/api/v1/orders/{order['id']}", json={"note": "x"}, headers=customer.headers)
    assert response.status == 409
