"""Dispatch: the nearest fair courier is asked first; declines and silences pass the offer on."""
import asyncio
from datetime import UTC, datetime, timedelta

from domain.roles import Role
from server.couriers.cancelling import cancel_orphans_once
from server.couriers.offers import run_due_once
from tests.support.catalogue import set_clock
from tests.support.couriers import (accepted_order, courier_at, ctx_of, delivery_of, free_couriers, near,
                                    offer_of)
from tests.support.factories import make_person
from tests.support.sockets import connect_as, start_node


async def test_accepting_an_order_offers_its_delivery_to_the_nearest_courier(client):
    far = await courier_at(client, near(2_000))
    close = await courier_at(client, near(300))
    order, shop, customer = await accepted_order(client)
    offer = await offer_of(client, close)
    assert offer["order_id"] == order["id"]
    assert offer["restaurant"]["name"].startswith("Chez Test")
    assert 250 <= offer["distance_to_restaurant_m"] <= 350
    assert offer["pay_cents"] >= 300 and offer["timeout_s"] == 30
    assert "customer" not in offer and "dropoff" not in offer  # the door is told only to who takes it
    assert await offer_of(client, far) is None
    delivery = await delivery_of(client, order["id"], customer)
    assert delivery["status"] == "searching" and delivery["courier_id"] is None


async def test_between_couriers_equally_near_the_one_waiting_longest_is_asked_first(client):
    waiting = await courier_at(client, near(400))
    newcomer = await courier_at(client, near(100))
    order, _, _ = await accepted_order(client)
    assert (await offer_of(client, waiting))["order_id"] == order["id"]
    assert await offer_of(client, newcomer) is None


async def test_a_decline_passes_the_offer_to_the_next_courier_at_once(client):
    first = await courier_at(client, near(100))
    second = await courier_at(client, near(1_200))
    order, _, customer = await accepted_order(client)
    offer = await offer_of(client, first)
    response = await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/decline", headers=first.headers)
    assert response.status == 204
    assert (await offer_of(client, second))["delivery_id"] == offer["delivery_id"]
    assert await offer_of(client, first) is None
    again = await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/decline", headers=first.headers)
    assert again.status == 404


async def test_an_offer_left_unanswered_goes_to_the_next_courier_when_it_expires(client):
    first = await courier_at(client, near(100))
    second = await courier_at(client, near(1_500))
    order, _, _ = await accepted_order(client)
    offer = await offer_of(client, first)
    ctx = ctx_of(client)
    assert await run_due_once(ctx) == 0  # not yet expired
    assert (await offer_of(client, first))["delivery_id"] == offer["delivery_id"]
    set_clock(client, datetime.now(UTC) + timedelta(seconds=31))
    assert await run_due_once(ctx) == 1
    assert await offer_of(client, first) is None
    assert (await offer_of(client, second))["delivery_id"] == offer["delivery_id"]
    late = await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/accept", headers=first.headers)
    assert late.status == 409


async def test_couriers_beyond_the_widest_radius_are_never_asked(client):
    distant = await courier_at(client, near(9_000))
    order, _, _ = await accepted_order(client)
    assert await offer_of(client, distant) is None


async def test_nobody_near_alerts_staff_and_tells_the_customer(aiohttp_server, aiohttp_client, make_app):
    client, url = await start_node(aiohttp_server, aiohttp_client, make_app)
    sales, customer = await make_person(client, Role.sales), await make_person(client, Role.customer)
    staff_socket, customer_socket = await connect_as(sales, url), await connect_as(customer, url)
    try:
        await staff_socket.next_event("kpi")
        order, _, _ = await accepted_order(client, customer=customer)
        alert = await staff_socket.next_event("delivery.alert")
        assert alert["data"]["order_id"] == order["id"]
        while (note := await customer_socket.next_event("notification"))["data"]["kind"] != "delivery.delayed":
            pass
        assert order["ref"] in note["data"]["body"]
    finally:
        await staff_socket.close()
        await customer_socket.close()


async def test_a_courier_who_comes_online_later_gets_the_waiting_delivery(client):
    order, _, _ = await accepted_order(client)
    latecomer = await courier_at(client, near(200))
    set_clock(client, datetime.now(UTC) + timedelta(seconds=11))
    await run_due_once(ctx_of(client))
    assert (await offer_of(client, latecomer))["order_id"] == order["id"]


async def test_an_accepted_delivery_takes_its_courier_out_of_the_pool(client):
    courier = await courier_at(client, near(100))
    order, _, customer = await accepted_order(client)
    offer = await offer_of(client, courier)
    response = await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/accept", headers=courier.headers)
    assert response.status == 200, await response.text()
    body = await response.json()
    assert body["status"] == "assigned" and body["courier_id"] == str(courier.id)
    assert len(body["pickup_code"]["code"].replace(" ", "")) == 6
    assert body["customer"]["address"] == "99 rue de Rivoli, 75001 Paris"
    assert str(courier.id) not in await free_couriers(client)
    seen = await (await client.get(f"/api/v1/orders/{order['id']}", headers=customer.headers)).json()
    assert seen["courier_id"] == str(courier.id)
    customer_view = await delivery_of(client, order["id"], customer)
    assert "pickup_code" not in customer_view and "customer" not in customer_view


async def test_two_workers_at_once_move_an_expired_offer_on_only_once(client):
    first = await courier_at(client, near(100))
    second = await courier_at(client, near(1_500))
    third = await courier_at(client, near(2_500))
    await accepted_order(client)
    delivery_id = (await offer_of(client, first))["delivery_id"]
    set_clock(client, datetime.now(UTC) + timedelta(seconds=31))
    ctx = ctx_of(client)
    handled = await asyncio.gather(run_due_once(ctx), run_due_once(ctx))
    assert sorted(handled) == [0, 1]
    assert (await offer_of(client, second))["delivery_id"] == delivery_id
    assert await offer_of(client, third) is None


async def test_an_order_cancelled_by_staff_after_acceptance_frees_its_courier(client):
    courier = await courier_at(client, near(100))
    order, _, customer = await accepted_order(client)
    offer = await offer_of(client, courier)
    await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/accept", headers=courier.headers)
    sales = await make_person(client, Role.sales)
    cancelled = await client.post(f"/api/v1/orders/{order['id']}/cancel", json={"reason": "fermeture"},
                                  headers=sales.headers)
    assert cancelled.status == 200, await cancelled.text()
    assert await cancel_orphans_once(ctx_of(client)) == 1
    assert (await delivery_of(client, order["id"], customer))["status"] == "cancelled"
    assert str(courier.id) in await free_couriers(client)
    mine = await (await client.get("/api/v1/deliveries", headers=courier.headers)).json()
    assert mine["items"] == []


async def test_a_courier_going_offline_passes_on_the_offer_in_front_of_them(client):
    first = await courier_at(client, near(100))
    second = await courier_at(client, near(1_500))
    order, _, _ = await accepted_order(client)
    assert (await offer_of(client, first))["order_id"] == order["id"]
    gone = await client.put("/api/v1/courier/availability", json={"online": False}, headers=first.headers)
    assert gone.status == 200
    assert (await offer_of(client, second))["order_id"] == order["id"]
    assert str(first.id) not in await free_couriers(client)


async def test_a_courier_with_a_delivery_in_hand_cannot_go_offline(client):
    courier = await courier_at(client, near(100))
    await accepted_order(client)
    offer = await offer_of(client, courier)
    await client.post(f"/api/v1/deliveries/{offer['delivery_id']}/accept", headers=courier.headers)
    refused = await client.put("/api/v1/courier/availability", json={"online": False}, headers=courier.headers)
    assert refused.status == 409
    body = await (await client.get("/api/v1/courier/availability", headers=courier.headers)).json()
    assert body == {"online": True, "free": False, "has_position": True}
