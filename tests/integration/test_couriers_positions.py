"""Couriers go online and send positions; unbelievable or abusive fixes are refused without harm."""
import pytest

from domain.roles import Role
from server.couriers import live_store
from tests.support.catalogue import problem
from tests.support.couriers import (courier_at, ctx_of, fix, free_couriers, go_online, near, now_ms,
                                    send_fix)
from tests.support.factories import make_person
from tests.support.sockets import connect_as, start_node


async def test_a_position_from_a_courier_who_is_not_online_is_refused(client):
    courier = await make_person(client, Role.courier)
    response = await send_fix(client, courier, fix(**near()))
    assert response.status == 409
    assert (await problem(response))["type"].endswith("/offline")


async def test_an_online_courier_with_a_position_is_in_the_pool_and_leaves_it_offline(client):
    courier = await courier_at(client, near(200))
    assert str(courier.id) in await free_couriers(client)
    body = await (await client.get("/api/v1/courier/availability", headers=courier.headers)).json()
    assert body == {"online": True, "free": True, "has_position": True}
    assert (await go_online(client, courier, False)).status == 200
    assert str(courier.id) not in await free_couriers(client)


async def test_an_online_courier_without_a_position_yet_is_not_in_the_pool(client):
    courier = await make_person(client, Role.courier)
    body = await (await go_online(client, courier)).json()
    assert body == {"online": True, "free": False, "has_position": False}
    assert await free_couriers(client) == set()


@pytest.mark.parametrize("bad", [
    {"lat": 91, "lng": 2.35},
    {"lat": 48.8, "lng": -181},
    {"lat": "48.8", "lng": 2.35},
    {"lat": 48.8},
    {"lat": 48.8, "lng": 2.35, "speed": 500},
])
async def test_a_malformed_position_is_refused_and_the_courier_stays_where_they_were(client, bad):
    courier = await courier_at(client, near(100))
    response = await send_fix(client, courier, {"ts": now_ms(), **bad})
    assert response.status == 422
    state = await live_store.load(ctx_of(client), courier.id)
    assert (round(state.fix.lat, 6), round(state.fix.lng, 6)) == (round(near(100)["lat"], 6),
                                                                 round(near(100)["lng"], 6))


async def test_a_jump_faster_than_any_courier_is_not_believed(client):
    courier = await courier_at(client, near(0))
    response = await send_fix(client, courier, fix(**near(50_000), ts=now_ms() + 1000))
    assert response.status == 422
    assert (await problem(response))["type"].endswith("/implausible-speed")
    ctx = ctx_of(client)
    position = await ctx.redis.geopos(live_store.free_key(ctx), str(courier.id))
    assert abs(position[0][1] - near(0)["lat"]) < 1e-4


async def test_timestamps_from_the_future_or_long_ago_are_refused(client):
    courier = await courier_at(client, near(0))
    future = await send_fix(client, courier, fix(**near(10), ts=now_ms() + 3_600_000))
    stale = await send_fix(client, courier, fix(**near(10), ts=now_ms() - 3_600_000))
    assert [future.status, stale.status] == [422, 422]
    assert (await problem(future))["type"].endswith("/future-timestamp")
    assert (await problem(stale))["type"].endswith("/stale-timestamp")


async def test_a_flood_of_positions_is_cut_down_to_a_few_per_second(client):
    courier = await courier_at(client, near(0))
    start = now_ms()
    statuses = [(await send_fix(client, courier, fix(**near(i), ts=start + i))).status for i in range(1, 12)]
    assert statuses.count(200) <= 5
    assert 429 in statuses


async def test_the_socket_answers_each_fix_and_stays_usable_after_bad_ones(aiohttp_server, aiohttp_client,
                                                                          make_app):
    client, url = await start_node(aiohttp_server, aiohttp_client, make_app)
    courier = await make_person(client, Role.courier)
    socket = await connect_as(courier, url)
    try:
        assert (await socket.call("availability", {"online": True}))["ok"] is True
        assert await socket.call("gps", fix(**near(0))) == {"ok": True}
        garbage = await socket.call("gps", {"lat": "north", "lng": 2.35})
        assert garbage["ok"] is False and garbage["error"] == "invalid"
        assert garbage["errors"][0]["field"] == "lat"
        assert (await socket.call("gps", "not even an object"))["error"] == "invalid"
        jump = await socket.call("gps", fix(**near(80_000), ts=now_ms() + 500))
        assert jump == {**jump, "ok": False, "error": "implausible-speed"}
        assert await socket.call("gps", fix(**near(5), ts=now_ms() + 1000)) == {"ok": True}
        assert str(courier.id) in await free_couriers(client)
    finally:
        await socket.close()


async def test_only_couriers_may_send_positions_over_the_socket(aiohttp_server, aiohttp_client, make_app):
    client, url = await start_node(aiohttp_server, aiohttp_client, make_app)
    customer = await make_person(client, Role.customer)
    socket = await connect_as(customer, url)
    try:
        answer = await socket.call("gps", fix(**near(0)))
        assert answer["ok"] is False and answer["error"] == "role-not-allowed"
        garbage = await socket.call("gps", {"lat": "north"})  # who sends it is checked first
        assert garbage["ok"] is False and garbage["error"] == "role-not-allowed"
    finally:
        await socket.close()
