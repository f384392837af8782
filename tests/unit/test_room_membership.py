"""The node's room bookkeeping answers exactly as python-socketio's own manager does."""
import random

import socketio

from realtime.rooms import Membership

NAMESPACE = "/"


def managers() -> tuple[socketio.AsyncManager, Membership]:
    stock, ours = socketio.AsyncManager(), Membership()
    socketio.AsyncServer(client_manager=stock)
    socketio.AsyncServer(client_manager=ours)
    return stock, ours


def observed(manager, sids: list[str]) -> dict:
    """What a caller can see, the socket's own sid room named "own" (sids are random on each side)."""
    own = set(sids)
    name = lambda room: "own" if room in own else room
    return {
        "rooms": sorted(name(room) for room in manager.rooms.get(NAMESPACE, {}) if room is not None),
        "sockets": [(sorted(map(name, manager.get_rooms(sid, NAMESPACE))), manager.is_connected(sid, NAMESPACE))
                    for sid in sids],
    }


async def connect(manager, eio_sid: str) -> str:
    sid = await manager.pre_connect(eio_sid, NAMESPACE)
    await manager.connect(sid, NAMESPACE)
    return sid


async def test_a_random_life_of_sockets_and_rooms_reads_the_same_as_the_stock_manager():
    stock, ours = managers()
    rng = random.Random(7)
    sids: dict[str, tuple[str, str]] = {}   # eio sid -> (stock sid, our sid)
    for step in range(3000):
        action = rng.random()
        if action < 0.2 or not sids:
            eio_sid = f"eio-{step}"
            sids[eio_sid] = (await connect(stock, eio_sid), await connect(ours, eio_sid))
        elif action < 0.6:
            eio_sid = rng.choice(list(sids))
            room = f"room-{rng.randrange(12)}"
            await stock.enter_room(sids[eio_sid][0], NAMESPACE, room)
            await ours.enter_room(sids[eio_sid][1], NAMESPACE, room)
        elif action < 0.85:
            eio_sid = rng.choice(list(sids))
            room = f"room-{rng.randrange(12)}"
            await stock.leave_room(sids[eio_sid][0], NAMESPACE, room)
            await ours.leave_room(sids[eio_sid][1], NAMESPACE, room)
        else:
            eio_sid = rng.choice(list(sids))
            stock_sid, our_sid = sids.pop(eio_sid)
            stock.pre_disconnect(stock_sid, NAMESPACE)
            ours.pre_disconnect(our_sid, NAMESPACE)
            assert not ours.is_connected(our_sid, NAMESPACE)
            await stock.disconnect(stock_sid, NAMESPACE)
            await ours.disconnect(our_sid, NAMESPACE)
        assert observed(ours, [pair[1] for pair in sids.values()]) == \
            observed(stock, [pair[0] for pair in sids.values()])


async def test_a_disconnected_socket_leaves_no_trace():
    _, ours = managers()
    sid = await connect(ours, "eio-1")
    for room in ("user:1", "role:customer", "order:9"):
        await ours.enter_room(sid, NAMESPACE, room)
    ours.pre_disconnect(sid, NAMESPACE)
    await ours.disconnect(sid, NAMESPACE)
    assert ours.rooms == {}
    assert ours.rooms_of == {}
    assert ours.pending_connect == {} and ours.pending_disconnect == {}
    assert ours.get_rooms(sid, NAMESPACE) == []


async def test_a_socket_is_not_connected_until_its_connect_completes():
    _, ours = managers()
    sid = await ours.pre_connect("eio-1", NAMESPACE)
    assert not ours.is_connected(sid, NAMESPACE)
    assert ours.is_pre_connected(sid, NAMESPACE)
    await ours.connect(sid, NAMESPACE)
    assert ours.is_connected(sid, NAMESPACE)
    assert await ours.pre_connect("eio-1", NAMESPACE) is None  # the same engine.io socket twice
