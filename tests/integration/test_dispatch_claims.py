"""A delivery is claimed once: many couriers answering at once never share it."""
import asyncio
import uuid

from domain.accounts import Principal
from domain.roles import Role
from server.couriers import live_store, queries
from server.couriers.offers import accept
from tests.support.couriers import accepted_order, courier_at, ctx_of, delivery_of, near, offer_of


async def _twenty_couriers(client) -> list:
    return [await courier_at(client, near(100 + 40 * i)) for i in range(20)]


async def test_twenty_couriers_accepting_the_same_offer_at_once_yield_one_assignment(client):
    couriers = await _twenty_couriers(client)
    order, _, customer = await accepted_order(client)
    offered = [c for c in couriers if await offer_of(client, c) is not None]
    assert len(offered) == 1
    delivery_id = (await offer_of(client, offered[0]))["delivery_id"]
    answers = await asyncio.gather(*(
        client.post(f"/api/v1/deliveries/{delivery_id}/accept", headers=c.headers) for c in couriers))
    assert sorted(a.status for a in answers) == [200] + [409] * 19
    winner = couriers[[a.status for a in answers].index(200)]
    assert winner.id == offered[0].id
    delivery = await delivery_of(client, order["id"], customer)
    assert delivery["status"] == "assigned" and delivery["courier_id"] == str(winner.id)
    ctx = ctx_of(client)
    assigned = await ctx.db.fetchval("SELECT count(*) FROM outbox WHERE aggregate = 'delivery'"
                                     " AND type = 'delivery.assigned'")
    assert assigned == 1


async def test_the_offered_courier_accepting_twenty_times_at_once_is_assigned_once(client):
    courier = await courier_at(client, near(100))
    order, _, customer = await accepted_order(client)
    delivery_id = (await offer_of(client, courier))["delivery_id"]
    ctx = ctx_of(client)
    me = Principal(user_id=courier.id, role=Role.courier)
    results = await asyncio.gather(*(accept(ctx, me, delivery_id) for _ in range(20)),
                                   return_exceptions=True)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert {getattr(r, "code", "") for r in results if isinstance(r, Exception)} == {"offer-gone"}
    async with ctx.db.acquire() as conn:
        row = await queries.by_id(conn, delivery_id)
    assert row["seq"] == 2 and row["status"] == "assigned"
    state = await live_store.load(ctx, courier.id)
    assert [leg.order_id for leg in state.legs] == [uuid.UUID(order["id"])]


async def test_a_courier_cannot_accept_an_offer_made_to_someone_else(client):
    offered = await courier_at(client, near(100))
    other = await courier_at(client, near(2_500))
    await accepted_order(client)
    delivery_id = (await offer_of(client, offered))["delivery_id"]
    response = await client.post(f"/api/v1/deliveries/{delivery_id}/accept", headers=other.headers)
    assert response.status == 409
    decline = await client.post(f"/api/v1/deliveries/{delivery_id}/decline", headers=other.headers)
    assert decline.status == 404
    assert (await offer_of(client, offered))["delivery_id"] == delivery_id
