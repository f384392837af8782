"""An order's life through the API: each transition once, illegal ones, strangers, races."""
import asyncio
import uuid

import pytest

from domain.accounts import Principal
from domain.errors import Forbidden, NotFound
from domain.roles import Role
from server.keys import CONTEXT
from server.orders.handover import assign_courier, mark_delivered, mark_picked_up
from tests.support.catalogue_factories import make_shop, placed_order
from tests.support.factories import make_person


async def post(client, order, action, person, body=None):
    return await client.post(f"/api/v1/orders/{order['id']}/{action}", json=body, headers=person.headers)


async def snapshot(client, order_id):
    """What an illegal request must leave untouched: the row and the outbox."""
    db = client.app[CONTEXT].db
    row = await db.fetchrow("SELECT status, seq, updated_at FROM orders WHERE id = $1", uuid.UUID(order_id))
    events = await db.fetchval("SELECT count(*) FROM outbox WHERE aggregate_id = $1", uuid.UUID(order_id))
    return dict(row), events


async def outbox(client, order_id):
    rows = await client.app[CONTEXT].db.fetch(
        "SELECT seq, type FROM outbox WHERE aggregate = 'order' AND aggregate_id = $1 ORDER BY id",
        uuid.UUID(order_id))
    return [(r["seq"], r["type"]) for r in rows]


@pytest.fixture
async def world(client):
    shop, customer = await make_shop(client), await make_person(client)
    return shop, customer, await placed_order(client, customer, shop)


async def test_the_kitchen_accepts_prepares_and_readies_an_order_then_it_is_carried(client, world):
    shop, customer, order = world
    accepted = await post(client, order, "accept", shop.owner, {"prep_minutes": 20})
    assert accepted.status == 200, await accepted.text()
    body = await accepted.json()
    assert (body["status"], body["prep_minutes"], body["actions"]) == ("accepted", 20, ["start_preparing"])
    assert body["ready_eta"] is not None
    assert (await (await post(client, order, "preparing", shop.owner)).json())["status"] == "preparing"
    assert (await (await post(client, order, "ready", shop.owner)).json())["status"] == "ready"
    ctx, courier = client.app[CONTEXT], await make_person(client, Role.courier)
    async with ctx.db.acquire() as conn, conn.transaction():
        await assign_courier(conn, uuid.UUID(order["id"]), courier.id)
    as_courier = Principal(user_id=courier.id, role=Role.courier)
    await mark_picked_up(ctx, uuid.UUID(order["id"]), as_courier)
    await mark_delivered(ctx, uuid.UUID(order["id"]), as_courier)
    shown = await (await client.get(f"/api/v1/orders/{order['id']}", headers=customer.headers)).json()
    assert [step["status"] for step in shown["timeline"]] == [
        "placed", "accepted", "preparing", "ready", "picked_up", "delivered"]
    assert await outbox(client, order["id"]) == [
        (1, "order.created"), (2, "order.accepted"), (3, "order.preparing"), (4, "order.ready"),
        (5, "order.picked_up"), (6, "order.delivered")]
    seq = await ctx.db.fetchval("SELECT seq FROM orders WHERE id = $1", uuid.UUID(order["id"]))
    assert seq == 6


async def test_delivery_captures_the_hold_and_the_courier_then_sees_the_order(client, world):
    shop, customer, order = world
    for action, body in (("accept", {"prep_minutes": 10}), ("preparing", None), ("ready", None)):
        await post(client, order, action, shop.owner, body)
    ctx, courier = client.app[CONTEXT], await make_person(client, Role.courier)
    order_id, as_courier = uuid.UUID(order["id"]), Principal(user_id=courier.id, role=Role.courier)
    with pytest.raises(NotFound):  # not theirs until assigned
        await mark_picked_up(ctx, order_id, as_courier)
    async with ctx.db.acquire() as conn, conn.transaction():
        await assign_courier(conn, order_id, courier.id)
    await mark_picked_up(ctx, order_id, as_courier)
    await mark_delivered(ctx, order_id, as_courier)
    captured = await ctx.db.fetchval(
        "SELECT captured_cents FROM sandbox_charges c JOIN payments p ON p.provider_ref = c.id"
        " WHERE p.order_id = $1 AND p.operation = 'capture'", order_id)
    assert captured == order["total_cents"]
    seen = await client.get(f"/api/v1/orders/{order['id']}", headers=courier.headers)
    assert seen.status == 200


async def test_a_restaurateur_cannot_deliver_an_order(client, world):
    shop, _, order = world
    for action, body in (("accept", {"prep_minutes": 10}), ("preparing", None), ("ready", None)):
        await post(client, order, action, shop.owner, body)
    ctx, kitchen = client.app[CONTEXT], Principal(user_id=shop.owner.id, role=Role.restaurateur)
    await mark_picked_up(ctx, uuid.UUID(order["id"]), kitchen)  # the hand-over scanned in the kitchen
    with pytest.raises(Forbidden):
        await mark_delivered(ctx, uuid.UUID(order["id"]), kitchen)


@pytest.mark.parametrize("action, body", [
    ("preparing", None), ("ready", None), ("accept", {"prep_minutes": 10}),
])
async def test_an_illegal_transition_answers_409_and_changes_nothing(client, world, action, body):
    shop, _, order = world
    if action == "accept":
        await post(client, order, "accept", shop.owner, {"prep_minutes": 10})
    before = await snapshot(client, order["id"])
    response = await post(client, order, action, shop.owner, body)
    assert response.status == 409
    assert (await response.json(content_type=None))["type"].endswith("illegal-transition")
    assert await snapshot(client, order["id"]) == before


async def test_a_customer_cannot_cancel_once_the_kitchen_has_accepted(client, world):
    shop, customer, order = world
    await post(client, order, "accept", shop.owner, {"prep_minutes": 10})
    before = await snapshot(client, order["id"])
    assert (await post(client, order, "cancel", customer)).status == 409
    assert await snapshot(client, order["id"]) == before


async def test_another_restaurants_owner_and_another_customer_get_404(client, world):
    shop, _, order = world
    stranger_kitchen, stranger = (await make_shop(client)).owner, await make_person(client)
    before = await snapshot(client, order["id"])
    assert (await post(client, order, "accept", stranger_kitchen, {"prep_minutes": 10})).status == 404
    assert (await post(client, order, "cancel", stranger)).status == 404
    assert (await client.get(f"/api/v1/orders/{order['id']}", headers=stranger.headers)).status == 404
    assert (await client.get(f"/api/v1/orders/{order['id']}/events", headers=stranger.headers)).status == 404
    assert (await client.get(f"/api/v1/orders/{uuid.uuid4()}", headers=stranger.headers)).status == 404
    assert await snapshot(client, order["id"]) == before


async def test_staff_see_every_order_and_may_cancel_it_until_delivery(client, world):
    shop, customer, order = world
    await post(client, order, "accept", shop.owner, {"prep_minutes": 10})
    sales = await make_person(client, Role.sales)
    assert (await client.get(f"/api/v1/orders/{order['id']}", headers=sales.headers)).status == 200
    cancelled = await post(client, order, "cancel", sales, {"reason": "Client injoignable"})
    assert (await cancelled.json())["status"] == "cancelled"


async def test_concurrent_accept_and_cancel_never_both_succeed(client):
    shop, customer = await make_shop(client), await make_person(client)
    for _ in range(4):
        order = await placed_order(client, customer, shop)
        accept, cancel = await asyncio.gather(
            post(client, order, "accept", shop.owner, {"prep_minutes": 10}), post(client, order, "cancel", customer))
        assert sorted([accept.status, cancel.status]) == [200, 409]
        status = "accepted" if accept.status == 200 else "cancelled"
        row, events = await snapshot(client, order["id"])
        assert (row["status"], row["seq"], events) == (status, 2, 2)


async def test_two_concurrent_accepts_make_one_acceptance(client, world):
    shop, _, order = world
    responses = await asyncio.gather(*(post(client, order, "accept", shop.owner, {"prep_minutes": m})
                                       for m in (10, 20, 30)))
    assert sorted(r.status for r in responses) == [200, 409, 409]
    assert await outbox(client, order["id"]) == [(1, "order.created"), (2, "order.accepted")]


async def test_accepting_needs_a_preparation_time_and_refusing_a_reason(client, world):
    shop, _, order = world
    assert (await post(client, order, "accept", shop.owner, {})).status == 422
    assert (await post(client, order, "accept", shop.owner, {"prep_minutes": 0})).status == 422
    assert (await post(client, order, "refuse", shop.owner, {"reason": ""})).status == 422
    assert (await snapshot(client, order["id"]))[0]["status"] == "placed"


async def test_hooks_run_inside_the_accepting_and_cancelling_transactions_and_after_their_commits(client, world, monkeypatch):
    from server.orders import transitions
    shop, _, order = world
    seen = []

    def hook(name):
        async def run(conn, ctx, row):
            outside = await ctx.db.fetchval("SELECT status FROM orders WHERE id = $1", row["id"])
            seen.append((name, row["status"], outside))  # others do not see the change before the commit

            async def later():
                seen.append((name + " after commit", await ctx.db.fetchval(
                    "SELECT status FROM orders WHERE id = $1", row["id"])))
            return later
        return run
    monkeypatch.setattr(transitions, "ON_ACCEPTED", [hook("accepted")])
    monkeypatch.setattr(transitions, "ON_CANCELLED", [hook("cancelled")])
    await post(client, order, "accept", shop.owner, {"prep_minutes": 10})
    await post(client, order, "cancel", await make_person(client, Role.tech))
    assert seen == [("accepted", "accepted", "placed"), ("accepted after commit", "accepted"),
                    ("cancelled", "cancelled", "accepted"), ("cancelled after commit", "cancelled")]
