"""Batching: a courier already due at a restaurant is offered a second order from it first."""
from domain.earnings import BATCH_BONUS_CENTS
from tests.support.catalogue_factories import make_shop
from tests.support.couriers import accepted_order, courier_at, near, offer_of


async def take(client, courier) -> dict:
    offer = await offer_of(client, courier)
    response = await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/accept", headers=courier.headers)
    assert response.status == 200, await response.text()
    return await response.json()


async def test_a_second_order_from_the_same_restaurant_goes_to_the_courier_already_coming(client):
    carrying = await courier_at(client, near(1_000))
    first, shop, _ = await accepted_order(client)
    taken = await take(client, carrying)
    nearer = await courier_at(client, near(100))
    second, _, _ = await accepted_order(client, shop=shop)
    offer = await offer_of(client, carrying)
    assert offer["order_id"] == second["id"] and offer["batched"] is True
    assert offer["pay_cents"] == taken["pay_cents"] + BATCH_BONUS_CENTS
    assert await offer_of(client, nearer) is None


async def test_a_declined_batch_goes_to_the_free_couriers(client):
    carrying = await courier_at(client, near(1_000))
    _, shop, _ = await accepted_order(client)
    await take(client, carrying)
    free = await courier_at(client, near(100))
    second, _, _ = await accepted_order(client, shop=shop)
    offer = await offer_of(client, carrying)
    await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/decline", headers=carrying.headers)
    moved = await offer_of(client, free)
    assert moved["order_id"] == second["id"] and moved["batched"] is False


async def test_an_order_from_another_restaurant_is_never_batched(client):
    carrying = await courier_at(client, near(200))
    await accepted_order(client)
    await take(client, carrying)
    other_shop = await make_shop(client)
    await accepted_order(client, shop=other_shop)
    assert await offer_of(client, carrying) is None
