"""subscribe {<aggregate>_id, after_seq}: replay what was missed from the outbox, then live."""
from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from domain.accounts import Principal
from domain.errors import Invalid, NotFound
from realtime.handlers import on
from realtime.live import Live
from server.events import events_after
from server.live.access import is_registered, may_see, room

log = logging.getLogger(__name__)
REPLAY_LIMIT = 500          # events per subscribe; the ack says `more` and the client asks again
CATCH_UP_CONCURRENCY = 8


def target(payload: Any) -> tuple[str, uuid.UUID, int]:
    """(aggregate, id, after_seq) out of e.g. {"order_id": "...", "after_seq": 3}."""
    if not isinstance(payload, dict):
        raise Invalid("send an object such as {order_id, after_seq}")
    keys = [key for key in payload if isinstance(key, str) and key.endswith("_id")]
    if len(keys) != 1 or not is_registered(keys[0][:-3]):
        raise Invalid("name one thing to follow, such as order_id",
                      errors=[{"field": "(body)", "message": "one known <aggregate>_id is required"}])
    try:
        aggregate_id = uuid.UUID(str(payload[keys[0]]))
    except ValueError:
        raise Invalid("not an id", errors=[{"field": keys[0], "message": "is not a UUID"}]) from None
    after_seq = payload.get("after_seq", 0)
    if type(after_seq) is not int or after_seq < 0:
        raise Invalid("after_seq must be a whole number, 0 or more",
                      errors=[{"field": "after_seq", "message": "must be an integer >= 0"}])
    return keys[0][:-3], aggregate_id, after_seq


@on("subscribe")
async def subscribe(live: Live, sid: str, principal: Principal, payload: Any) -> dict:
    aggregate, aggregate_id, after_seq = target(payload)
    async with live.ctx.db.acquire() as conn:
        if not await may_see(conn, principal, aggregate, aggregate_id):
            raise NotFound("nothing to follow here", code="not-found")
    return await follow(live, sid, aggregate, aggregate_id, after_seq)


@on("unsubscribe")
async def unsubscribe(live: Live, sid: str, principal: Principal, payload: Any) -> dict:
    aggregate, aggregate_id, _ = target(payload)
    where = room(aggregate, aggregate_id)
    async with live.streams.changing(sid):
        if live.streams.drop(sid, where):
            await live.sio.leave_room(sid, where)
    return {}


async def follow(live: Live, sid: str, aggregate: str, aggregate_id: uuid.UUID,
                 after_seq: int) -> dict:
    """Join the room first (held back), replay from Postgres, then release what was held."""
    where, name = room(aggregate, aggregate_id), f"{aggregate}.updated"
    async with live.streams.changing(sid):
        if sid not in live.principals:
            return {"last_seq": after_seq, "more": False}  # gone while waiting its turn
        live.streams.begin(sid, where)
        try:
            await live.sio.enter_room(sid, where)
            async with live.ctx.db.acquire() as conn:
                events = await events_after(conn, aggregate, aggregate_id, after_seq, REPLAY_LIMIT)
        except BaseException:
            live.streams.abandon(sid, where)
            raise
        for event in events:
            live.send_event(sid, name, event)
        last = events[-1].seq if events else after_seq
        truncated = len(events) == REPLAY_LIMIT
        held, complete = live.streams.finish(sid, where, last, flush=not truncated)
        for pkt in held:
            live.send_packet(sid, pkt)
    return {"last_seq": last, "more": truncated or not complete}


async def catch_up(live: Live) -> None:
    """After Redis came back: what each stream missed meanwhile, from Postgres."""
    gate = asyncio.Semaphore(CATCH_UP_CONCURRENCY)

    async def one(sid: str, where: str, last: int) -> None:
        aggregate, _, raw_id = where.partition(":")
        async with gate:
            try:
                await follow(live, sid, aggregate, uuid.UUID(raw_id), last)
            except Exception:
                log.exception("catch-up failed", extra={"room": where})

    await asyncio.gather(*(one(*stream) for stream in live.streams.following()))
