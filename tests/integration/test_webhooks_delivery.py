"""Webhook deliveries to a real receiver: signed, only one's own orders, retried, in order."""
from datetime import UTC, datetime, timedelta

from tests.support.catalogue import set_clock
from tests.support.catalogue_factories import make_shop, order_body, placed_order
from tests.support.factories import make_person
from tests.support.webhooks import (deliveries, make_developer, pump, signed_by, start_receiver,
                                    subscribe)


async def order_by_key(client, developer, shop) -> dict:
    response = await client.post("/api/v1/orders", json=order_body(shop), headers=developer.headers)
    assert response.status == 201, await response.text()
    return await response.json()


def later(**delta) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


async def test_a_receiver_verifies_the_signature_of_an_order_placed_with_the_key(client, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    endpoint = await subscribe(client, developer, url)
    order = await order_by_key(client, developer, shop)

    await pump(client)
    hit = await receiver.next()
    assert hit.event["type"] == "order.created" and hit.event["data"]["order_id"] == order["id"]
    assert hit.event["data"]["seq"] == 1 and "customer_id" not in hit.event["data"]
    assert hit.headers["CesiEats-Event-Id"] == hit.event["id"]
    assert signed_by(hit, endpoint["secret"])
    assert not signed_by(hit, "whsec_someone-else")

    [logged] = await deliveries(client, developer, endpoint["id"])
    assert (logged["status"], logged["event_type"], logged["order_id"]) == ("delivered", "order.created", order["id"])
    [attempt] = logged["attempt_log"]
    assert (attempt["outcome"], attempt["status_code"], attempt["response_excerpt"]) == ("delivered", 200, "merci")
    assert attempt["duration_ms"] >= 0 and attempt["next_retry_at"] is None


async def test_an_endpoint_hears_only_of_the_orders_its_owner_placed(client, aiohttp_server):
    mine, theirs = await start_receiver(aiohttp_server), await start_receiver(aiohttp_server)
    me, them, shop = await make_developer(client), await make_developer(client), await make_shop(client)
    await subscribe(client, me, mine[1])
    await subscribe(client, them, theirs[1])
    customer = await make_person(client)

    my_order = await order_by_key(client, me, shop)
    await placed_order(client, customer, shop)
    await pump(client)

    assert [hit.event["data"]["order_id"] for hit in mine[0].drain()] == [my_order["id"]]
    assert theirs[0].drain() == []


async def test_a_delivery_answered_500_is_retried_with_growing_delays_until_it_succeeds(client, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    endpoint = await subscribe(client, developer, url)
    receiver.plan = [500, 500, 200]
    await order_by_key(client, developer, shop)

    await pump(client)
    [logged] = await deliveries(client, developer, endpoint["id"])
    [first] = logged["attempt_log"]
    assert (logged["status"], first["outcome"], first["status_code"]) == ("pending", "failed", 500)
    assert first["response_excerpt"].startswith("boom") and len(first["response_excerpt"]) == 1024
    wait_1 = datetime.fromisoformat(first["next_retry_at"]) - datetime.fromisoformat(first["finished_at"])
    assert timedelta(seconds=8) <= wait_1 <= timedelta(seconds=10)

    assert await pump(client) == []  # not due yet
    set_clock(client, later(seconds=11))
    await pump(client)
    set_clock(client, later(seconds=35))
    await pump(client)

    [logged] = await deliveries(client, developer, endpoint["id"])
    assert logged["status"] == "delivered"
    assert [a["status_code"] for a in logged["attempt_log"]] == [500, 500, 200]
    second = logged["attempt_log"][1]
    wait_2 = datetime.fromisoformat(second["next_retry_at"]) - datetime.fromisoformat(second["finished_at"])
    assert timedelta(seconds=16) <= wait_2 <= timedelta(seconds=20)
    assert len(receiver.drain()) == 3


async def test_a_receiver_that_does_not_answer_in_time_is_tried_again(make_app, aiohttp_client, aiohttp_server):
    client = await aiohttp_client(make_app(webhook_timeout_s=1))
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    endpoint = await subscribe(client, developer, url)
    receiver.plan = ["hang"]
    await order_by_key(client, developer, shop)

    await pump(client)
    [logged] = await deliveries(client, developer, endpoint["id"])
    [attempt] = logged["attempt_log"]
    assert (attempt["outcome"], attempt["status_code"]) == ("failed", None)
    assert attempt["error"] == "no answer within 1 s"
    receiver.release.set()

    set_clock(client, later(seconds=11))
    await pump(client)
    [logged] = await deliveries(client, developer, endpoint["id"])
    assert logged["status"] == "delivered" and len(logged["attempt_log"]) == 2


async def accept_and_prepare(client, shop, order_id: str) -> None:
    for path, body in (("accept", {"prep_minutes": 10}), ("preparing", None)):
        response = await client.post(f"/api/v1/orders/{order_id}/{path}", json=body,
                                     headers=shop.owner.headers)
        assert response.status == 200, await response.text()


async def test_an_orders_events_wait_for_the_earlier_one_and_other_orders_do_not(client, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    await subscribe(client, developer, url, ["order.created", "order.accepted", "order.preparing"])
    first = await order_by_key(client, developer, shop)
    await accept_and_prepare(client, shop, first["id"])
    receiver.plan = [503]

    await pump(client)
    assert [h.event["type"] for h in receiver.drain()] == ["order.created"]
    second = await order_by_key(client, developer, shop)
    await pump(client)
    assert [(h.event["data"]["order_id"], h.event["type"]) for h in receiver.drain()] == [
        (second["id"], "order.created")]

    set_clock(client, later(seconds=11))
    await pump(client)
    got = [(h.event["type"], h.event["data"]["seq"]) for h in receiver.drain()]
    assert got == [("order.created", 1), ("order.accepted", 2), ("order.preparing", 3)]


async def test_after_a_rotation_both_secrets_sign_until_the_grace_period_ends(client, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    endpoint = await subscribe(client, developer, url)
    rotated = await (await client.patch(f"/api/v1/webhooks/{endpoint['id']}", headers=developer.headers,
                                        json={"rotate_secret": True})).json()

    await order_by_key(client, developer, shop)
    await pump(client)
    hit = await receiver.next()
    assert signed_by(hit, rotated["secret"]) and signed_by(hit, endpoint["secret"])
    assert hit.headers["CesiEats-Signature"].count("v1=") == 2

    set_clock(client, datetime.fromisoformat(rotated["previous_secret_valid_until"]) + timedelta(seconds=1))
    await order_by_key(client, developer, shop)
    await pump(client)
    hit = await receiver.next()
    assert signed_by(hit, rotated["secret"]) and not signed_by(hit, endpoint["secret"])


async def test_redeliver_sends_the_same_event_again_and_logs_it_apart(client, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    endpoint = await subscribe(client, developer, url)
    await order_by_key(client, developer, shop)
    await pump(client)
    original = await receiver.next()
    [logged] = await deliveries(client, developer, endpoint["id"])

    response = await client.post(f"/api/v1/webhooks/{endpoint['id']}/deliveries/{logged['id']}/redeliver",
                                 headers=developer.headers)
    assert response.status == 202
    assert (await response.json())["redelivery_of"] == logged["id"]
    await pump(client)
    again = await receiver.next()
    assert again.event == original.event
    assert again.headers["CesiEats-Event-Id"] == original.headers["CesiEats-Event-Id"]
    log = await deliveries(client, developer, endpoint["id"])
    assert [(d["status"], d["redelivery_of"]) for d in log] == [("delivered", logged["id"]),
                                                               ("delivered", None)]


async def test_after_24_hours_of_failures_the_event_is_given_up_and_the_developer_told(client, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    endpoint = await subscribe(client, developer, url)
    receiver.plan = [500, 500]
    await order_by_key(client, developer, shop)
    await pump(client)

    set_clock(client, later(hours=24, seconds=1))
    await pump(client)
    [logged] = await deliveries(client, developer, endpoint["id"])
    assert logged["status"] == "given_up" and logged["next_attempt_at"] is None
    shown = await (await client.get(f"/api/v1/webhooks/{endpoint['id']}", headers=developer.headers)).json()
    assert shown["failing_since"] is not None
    notes = await (await client.get("/api/v1/me/notifications", headers=developer.person.headers)).json()
    [told] = [n for n in notes["items"] if n["kind"] == "webhook.failing"]
    assert url in told["body"] and told["data"] == {"endpoint_id": endpoint["id"]}

    await order_by_key(client, developer, shop)
    await pump(client)
    shown = await (await client.get(f"/api/v1/webhooks/{endpoint['id']}", headers=developer.headers)).json()
    assert shown["failing_since"] is None


async def test_a_paused_endpoint_takes_no_new_event(client, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    endpoint = await subscribe(client, developer, url)
    await client.patch(f"/api/v1/webhooks/{endpoint['id']}", headers=developer.headers, json={"active": False})
    await order_by_key(client, developer, shop)
    await pump(client)
    assert receiver.drain() == [] and await deliveries(client, developer, endpoint["id"]) == []
