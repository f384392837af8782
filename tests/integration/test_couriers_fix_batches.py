"""Fixes that arrive together are handled together, yet each is judged as if it came alone."""
import asyncio
import uuid

import msgspec
import pytest

from domain.errors import Conflict
from domain.eta import Vehicle
from domain.geo import Position
from domain.gps import FixRefusal, GpsFix
from domain.roles import Role
from realtime.handlers import EVENTS
from server.couriers import live_store
from server.couriers.intake import SEEN_FOR_S, intake_of, receive_fix
from server.live.access import room
from tests.support.couriers import courier_at, ctx_of, near, now_ms
from tests.support.factories import make_person
from tests.support.sockets import connect_as, start_node


async def test_a_burst_from_one_courier_is_checked_fix_after_fix_against_the_rate_limit(client):
    courier = await courier_at(client, near(0))
    ctx, start = ctx_of(client), now_ms()
    fixes = [GpsFix(lat=near(i * 3)["lat"], lng=near(i * 3)["lng"], ts=start + i * 1000) for i in range(1, 10)]
    verdicts = await asyncio.gather(*(receive_fix(ctx, courier.id, fix) for fix in fixes))
    accepted = [verdict.accepted for verdict in verdicts]
    assert accepted[:4] == [True] * 4 and accepted[-4:] == [False] * 4
    assert {verdict.reason for verdict in verdicts if not verdict.accepted} == {FixRefusal.too_frequent}
    last_believed = fixes[accepted.count(True) - 1]
    state = await live_store.load(ctx, courier.id)
    assert (state.fix.lat, state.fix.ts) == (last_believed.lat, last_believed.ts)
    assert state.fix.tokens < 1


async def test_in_one_batch_an_offline_courier_is_refused_and_the_others_move(client):
    online, offline = await courier_at(client, near(0)), await make_person(client, Role.courier)
    ctx, here = ctx_of(client), near(20)
    fix = GpsFix(lat=here["lat"], lng=here["lng"], ts=now_ms() + 1000)
    moved, refused = await asyncio.gather(receive_fix(ctx, online.id, fix), receive_fix(ctx, offline.id, fix),
                                          return_exceptions=True)
    assert moved.accepted is True
    assert isinstance(refused, Conflict) and refused.code == "offline"
    position = await ctx.redis.geopos(live_store.free_key(ctx), str(online.id))
    assert abs(position[0][1] - here["lat"]) < 1e-4


async def test_a_batch_redis_cannot_take_answers_each_of_its_fixes_and_the_next_batch_goes_through(
        client, monkeypatch):
    courier = await courier_at(client, near(0))
    ctx, start, save_fixes = ctx_of(client), now_ms(), live_store.save_fixes

    async def unreachable(*args):
        monkeypatch.setattr(live_store, "save_fixes", save_fixes)
        raise ConnectionError("redis is away")

    monkeypatch.setattr(live_store, "save_fixes", unreachable)
    here = [near(i) for i in (1, 2)]
    fixes = [GpsFix(lat=p["lat"], lng=p["lng"], ts=start + 1000 * i) for i, p in enumerate(here, 1)]
    failed = await asyncio.gather(*(receive_fix(ctx, courier.id, fix) for fix in fixes), return_exceptions=True)
    assert [type(answer) for answer in failed] == [ConnectionError, ConnectionError]
    # judged but never kept: the next fix is judged on what Redis holds, not on the lost batch
    assert (await receive_fix(ctx, courier.id, fixes[0])).accepted is True
    assert (await live_store.load(ctx, courier.id)).fix.ts == fixes[0].ts


async def test_a_courier_the_node_saw_is_not_read_back_before_the_next_fix(client, monkeypatch):
    courier = await courier_at(client, near(0))
    ctx, start, reads = ctx_of(client), now_ms(), []
    load_many = live_store.load_many

    async def counted(ctx, courier_ids, redis=None):
        reads.append(list(courier_ids))
        return await load_many(ctx, courier_ids, redis)

    monkeypatch.setattr(live_store, "load_many", counted)
    for i in (1, 2):
        assert (await receive_fix(ctx, courier.id, GpsFix(**near(i * 3), ts=start + 2000 * i))).accepted
    assert reads == []
    assert (await live_store.load(ctx, courier.id)).fix.ts == start + 4000


async def test_a_fix_after_the_courier_went_offline_elsewhere_is_refused_on_what_redis_holds(client):
    courier = await courier_at(client, near(0))
    ctx = ctx_of(client)
    await live_store.go_offline(ctx, courier.id)  # as another node would: this one's copy is now old
    refused = await asyncio.gather(receive_fix(ctx, courier.id, GpsFix(**near(3), ts=now_ms() + 1000)),
                                   return_exceptions=True)
    assert isinstance(refused[0], Conflict) and refused[0].code == "offline"
    assert (await live_store.load(ctx, courier.id)).fix.lat == near(0)["lat"]


async def test_a_fix_taken_by_another_node_is_the_one_the_next_fix_here_is_judged_against(
        aiohttp_client, make_app, client):
    courier = await courier_at(client, near(0))
    here, there = ctx_of(client), ctx_of(await aiohttp_client(make_app(node_id="node-b")))
    start = now_ms()
    assert (await receive_fix(here, courier.id, GpsFix(**near(3), ts=start + 1000))).accepted
    assert (await receive_fix(there, courier.id, GpsFix(**near(6), ts=start + 3000))).accepted
    older = await receive_fix(here, courier.id, GpsFix(**near(4), ts=start + 2000))
    assert (older.accepted, older.reason) == (False, FixRefusal.out_of_order)
    state = await live_store.load(here, courier.id)
    assert (state.fix.lat, state.fix.ts) == (near(6)["lat"], start + 3000)


async def test_a_change_that_leaves_the_revision_is_seen_once_the_nodes_copies_are_due(client):
    courier = await courier_at(client, near(0))
    ctx, leg = ctx_of(client), a_leg()
    # as a node of the release before would write it: the leg, and `rev` left as it was
    await ctx.redis.hset(live_store.hash_key(ctx, courier.id), f"leg:{leg.delivery_id}",
                         msgspec.json.encode(leg))
    start = now_ms()
    assert await shown_to(ctx, leg.order_id, courier.id, GpsFix(**near(3), ts=start + 1000)) == []
    intake_of(ctx).seen_since -= SEEN_FOR_S  # the node's copies are due
    shown = await shown_to(ctx, leg.order_id, courier.id, GpsFix(**near(6), ts=start + 3000))
    assert len(shown) == 1 and b"courier.location" in shown[0]


async def test_a_fix_whose_courier_changes_under_every_try_is_refused_and_not_kept(client, monkeypatch):
    courier = await courier_at(client, near(0))
    ctx, save_fixes, tries = ctx_of(client), live_store.save_fixes, []

    async def changed_first(ctx, saves, redis=None):
        tries.append(len(saves))
        await ctx.redis.hset(live_store.hash_key(ctx, courier.id), "rev", live_store.revision())
        return await save_fixes(ctx, saves, redis)

    monkeypatch.setattr(live_store, "save_fixes", changed_first)
    refused = await asyncio.gather(receive_fix(ctx, courier.id, GpsFix(**near(3), ts=now_ms() + 1000)),
                                   return_exceptions=True)
    assert isinstance(refused[0], Conflict) and refused[0].code == "busy"
    assert tries == [1, 1, 1]
    assert (await live_store.load(ctx, courier.id)).fix.lat == near(0)["lat"]


async def test_a_delivery_assigned_meanwhile_gets_the_next_position(client):
    courier = await courier_at(client, near(0))
    ctx, leg = ctx_of(client), a_leg()
    await live_store.add_leg(ctx, courier.id, leg)
    shown = await shown_to(ctx, leg.order_id, courier.id, GpsFix(**near(3), ts=now_ms() + 1000))
    assert len(shown) == 1 and b"courier.location" in shown[0]
    assert (await live_store.load(ctx, courier.id)).legs == [leg]


def a_leg() -> live_store.Leg:
    return live_store.Leg(delivery_id=uuid.uuid4(), order_id=uuid.uuid4(), pickup=Position(48.85, 2.35),
                          dropoff=None, ready_at=None)


async def shown_to(ctx, order_id: uuid.UUID, courier_id: uuid.UUID, fix: GpsFix) -> list[bytes]:
    """What the order's room is sent for this accepted fix: read up to the answer of a PING,
    which Redis sends after everything published before it."""
    pubsub = ctx.redis.pubsub()
    try:
        async with asyncio.timeout(5):
            await pubsub.subscribe(ctx.key("room", room("order", order_id)))
            while (await pubsub.get_message(timeout=5) or {}).get("type") != "subscribe":
                pass
            assert (await receive_fix(ctx, courier_id, fix)).accepted
            await pubsub.ping()
            sent = []
            while (message := await pubsub.get_message(timeout=5) or {}).get("type") != "pong":
                if message.get("type") == "message":
                    sent.append(message["data"])
        return sent
    finally:
        await pubsub.aclose()


@pytest.fixture
def held_events():
    """Two test events on the node: `test.hold` waits a little for `test.quick` to begin."""
    seen: list[str] = []
    quick_began = asyncio.Event()

    async def hold(live, sid, principal, payload) -> dict:
        seen.append("hold")
        try:
            async with asyncio.timeout(0.5):
                await quick_began.wait()
        except TimeoutError:
            pass
        seen.append("hold done")
        return {}

    async def quick(live, sid, principal, payload) -> dict:
        quick_began.set()
        seen.append("quick")
        return {}

    EVENTS.update({"test.hold": hold, "test.quick": quick})
    yield seen
    del EVENTS["test.hold"], EVENTS["test.quick"]


async def test_a_sockets_events_are_handled_one_after_the_other_in_order(aiohttp_server, aiohttp_client,
                                                                          make_app, held_events):
    client, url = await start_node(aiohttp_server, aiohttp_client, make_app)
    socket = await connect_as(await make_person(client, Role.courier), url)
    try:
        answers = await asyncio.gather(socket.call("test.hold", {}), socket.call("test.quick", {}))
        assert answers == [{"ok": True}, {"ok": True}]
        assert held_events == ["hold", "hold done", "quick"]
    finally:
        await socket.close()


async def test_states_read_in_one_batch_come_back_as_kept_and_an_unknown_courier_is_offline(client):
    courier, ctx = await courier_at(client, near(0)), ctx_of(client)
    await live_store.go_online(ctx, courier.id, Vehicle.scooter, now_ms())
    legs = [live_store.Leg(delivery_id=uuid.uuid4(), order_id=uuid.uuid4(), pickup=Position(48.85, 2.35),
                           dropoff=dropoff, ready_at=None, picked_up=picked)
            for dropoff, picked in ((Position(48.86, 2.36), False), (None, True))]
    for leg in legs:
        await live_store.add_leg(ctx, courier.id, leg)
    kept = await live_store.load(ctx, courier.id)
    unknown = uuid.uuid4()
    states = await live_store.load_many(ctx, [unknown, courier.id, unknown])
    assert states[1] == kept and states[0] == states[2] == live_store.CourierState()
    assert (kept.online, kept.vehicle, kept.since_ms) == (True, Vehicle.scooter, None)  # a leg: not free
    assert sorted(kept.legs, key=lambda leg: leg.picked_up) == legs
    assert (kept.fix.lat, kept.fix.lng) == (near(0)["lat"], near(0)["lng"])
    assert [(point.lat, point.lng) for point in kept.trail] == [(kept.fix.lat, kept.fix.lng)]
    await live_store.drop_leg(ctx, courier.id, legs[0].delivery_id, 1_765_000_000_123)
    await live_store.drop_leg(ctx, courier.id, legs[1].delivery_id, 1_765_000_000_456)
    free = await live_store.load(ctx, courier.id)
    assert (free.legs, free.since_ms, free.free) == ([], 1_765_000_000_456, True)
