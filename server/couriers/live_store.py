"""Couriers' live state in Redis: who is online, free couriers' GEO set, last fix, route legs.

`couriers:free` is a GEO set holding exactly the online couriers without a delivery in
hand, at their last believed position. `courier:<id>` is a hash: `online`, `since` (ms,
free since: fairness), `vehicle`, `fix` (the last AcceptedFix), `trail` (recent fixes for
the speed), one `leg:<delivery id>` per delivery carried, and `rev`, a token every change
replaces: a node may judge fixes against the state it last saw, and Redis keeps the fix
only if nothing changed since. Every change that decides membership of the GEO set runs as
one script, so a fix and an assignment cannot cross.
"""
from __future__ import annotations

import functools
import itertools
import os
import uuid
from datetime import datetime

import msgspec

from domain.eta import Vehicle
from domain.geo import Position
from domain.gps import AcceptedFix
from server.context import Context
from server.couriers.live_scripts import DROP_LEG, LOAD_MANY, ONLINE, SAVE_FIXES

TRAIL = 6
_LEG = "leg:"

class Leg(msgspec.Struct, frozen=True):
    """A delivery the courier carries: where to, and since when the courier's position is shown."""

    delivery_id: uuid.UUID
    order_id: uuid.UUID
    pickup: Position
    dropoff: Position | None
    ready_at: datetime | None
    picked_up: bool = False


class TrailPoint(msgspec.Struct, frozen=True, array_like=True):
    """One fix of the trail, kept as [lat, lng, ts]; has what domain.eta's Fix protocol asks."""

    lat: float
    lng: float
    ts: float


class FixSave(msgspec.Struct, frozen=True):
    """What one fix leaves in Redis: the rate limit's state, the trail if believed, the rooms told;
    kept only if the courier's revision is still `judged_on`, and then `rev` replaces it."""

    courier_id: uuid.UUID
    kept: AcceptedFix
    trail: list[TrailPoint] | None
    messages: list[tuple[str, bytes]]
    judged_on: str
    rev: str


class CourierState(msgspec.Struct):
    online: bool = False
    since_ms: float | None = None
    vehicle: Vehicle = Vehicle.bike
    fix: AcceptedFix | None = None
    trail: list[TrailPoint] = []
    legs: list[Leg] = []
    rev: str = ""     # "" before any change (or for a hash kept before revisions)

    @property
    def free(self) -> bool:
        return self.online and not self.legs


_states_decoder = msgspec.json.Decoder(list[CourierState])
_encode = msgspec.json.encode
_pack = msgspec.msgpack.encode
_tokens = itertools.count()
_PROCESS = os.urandom(6).hex()  # revisions from two processes, or two runs, never meet
# A courier's or an order's id as text, for the keys and channels of every fix: str(UUID)
# formats in Python, a few times what looking the text up costs.
id_text = functools.lru_cache(maxsize=65_536)(str)


def revision() -> str:
    """A new revision token, unique across the nodes' processes and restarts."""
    return f"{_PROCESS}{next(_tokens):x}"


def hash_key(ctx: Context, courier_id: uuid.UUID) -> str:
    return ctx.key("courier", courier_id)


def free_key(ctx: Context) -> str:
    return ctx.key("couriers", "free")


def _script(ctx: Context, name: str, source: str):
    scripts = ctx.extras.setdefault("courier_scripts", {})
    if name not in scripts:
        scripts[name] = ctx.redis.register_script(source)
    return scripts[name]


async def load(ctx: Context, courier_id: uuid.UUID) -> CourierState:
    """The courier's live state (offline and unknown when nothing is kept)."""
    return (await load_many(ctx, [courier_id]))[0]


async def load_many(ctx: Context, courier_ids: list[uuid.UUID], redis=None) -> list[CourierState]:
    """Several couriers' states in one round trip, in the order asked (on `redis`, else the pool)."""
    if not courier_ids:
        return []
    prefix = hash_key(ctx, "")
    keys = [prefix + str(courier_id) for courier_id in courier_ids]
    return _states_decoder.decode(await _script(ctx, "load_many", LOAD_MANY)(keys=keys, client=redis))


async def save_fixes(ctx: Context, saves: list[FixSave], redis=None) -> list[bool]:
    """Keep each fix's rate limit and, for believed ones, move the courier and tell the rooms: one
    script. Per save, whether it was kept (False: the courier changed since it was judged)."""
    if not saves:
        return []
    keys, fixes, prefix = [free_key(ctx)], [], hash_key(ctx, "")
    for save in saves:
        member = id_text(save.courier_id)
        keys.append(prefix + member)
        # text, not bytes: Redis's cmsgpack knows no MessagePack bin type
        fix = [member, _encode(save.kept).decode(),
               _encode(save.trail[-TRAIL:]).decode() if save.trail is not None else "",
               save.kept.lng, save.kept.lat, save.judged_on, save.rev]
        for channel, message in save.messages:
            fix += (channel, message.decode())
        fixes.append(fix)
    args = [_pack(fixes)]
    kept = await _script(ctx, "save_fixes", SAVE_FIXES)(keys=keys, args=args, client=redis)
    return [flag == 1 for flag in kept]


async def go_online(ctx: Context, courier_id: uuid.UUID, vehicle: Vehicle, now_ms: float) -> None:
    keys = [hash_key(ctx, courier_id), free_key(ctx)]
    await _script(ctx, "online", ONLINE)(
        keys=keys, args=[str(courier_id), int(now_ms), str(vehicle), revision()])


async def go_offline(ctx: Context, courier_id: uuid.UUID) -> None:
    async with ctx.redis.pipeline(transaction=True) as pipe:
        pipe.hdel(hash_key(ctx, courier_id), "online", "since")
        pipe.hset(hash_key(ctx, courier_id), "rev", revision())
        pipe.zrem(free_key(ctx), str(courier_id))
        await pipe.execute()


async def add_leg(ctx: Context, courier_id: uuid.UUID, leg: Leg) -> None:
    """The courier carries this delivery: out of the free set, position shown to its order."""
    async with ctx.redis.pipeline(transaction=True) as pipe:
        pipe.hset(hash_key(ctx, courier_id),
                  mapping={_LEG + str(leg.delivery_id): _encode(leg), "rev": revision()})
        pipe.hdel(hash_key(ctx, courier_id), "since")
        pipe.zrem(free_key(ctx), str(courier_id))
        await pipe.execute()


async def drop_leg(ctx: Context, courier_id: uuid.UUID, delivery_id: uuid.UUID, now_ms: float) -> None:
    """The delivery ended: its order sees no more positions; a courier now free goes back in the set."""
    keys = [hash_key(ctx, courier_id), free_key(ctx)]
    await _script(ctx, "drop_leg", DROP_LEG)(
        keys=keys, args=[str(courier_id), int(now_ms), _LEG + str(delivery_id), revision()])


async def nearby(ctx: Context, at: Position, radius_m: float, count: int = 50) -> list[tuple[uuid.UUID, Position]]:
    """Free couriers within the radius, nearest first."""
    found = await ctx.redis.geosearch(free_key(ctx), longitude=at.lng, latitude=at.lat, radius=radius_m,
                                      unit="m", sort="ASC", count=count, withcoord=True)
    return [(uuid.UUID(member.decode()), Position(lat=coord[1], lng=coord[0])) for member, coord in found]


async def is_free(ctx: Context, courier_id: uuid.UUID) -> bool:
    return await ctx.redis.zscore(free_key(ctx), str(courier_id)) is not None
