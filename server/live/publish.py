"""After a commit: events and pushes go on their rooms' Redis channels, each encoded once."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

import msgspec

from server.context import Context
from server.events import PUBLISHERS, Event
from server.live import wire
from server.live.access import room

Audience = Callable[[Event], Iterable[tuple[str, str]]]
_AUDIENCES: dict[str, list[Audience]] = {}
# Outbox events of aggregate "user" after which the person's sockets must go, on every node.
DISCONNECTING = frozenset({"user.suspended", "user.deleted"})


class LivePayload(msgspec.Struct):
    """What every server -> client event carries; aggregate and id tell streams apart."""

    seq: int
    type: str
    data: Any
    at: datetime
    aggregate: str | None = None
    id: uuid.UUID | None = None


def add_audience(aggregate: str, audience: Audience) -> None:
    """More (room, socket event name) pairs for an aggregate's events, e.g. a restaurant's room."""
    _AUDIENCES.setdefault(aggregate, []).append(audience)


def audiences(event: Event) -> list[tuple[str, str]]:
    """Always the aggregate's own room as `<aggregate>.updated`, then what features added."""
    pairs = [(room(event.aggregate, event.aggregate_id), f"{event.aggregate}.updated")]
    for audience in _AUDIENCES.get(event.aggregate, ()):
        pairs.extend(audience(event))
    return pairs


async def publish_events(ctx: Context, events: list[Event]) -> None:
    """The fast path of server.events.publish: every room an event concerns, on every node."""
    messages = []
    for event in events:
        payload = wire.encode_payload(LivePayload(event.seq, event.type, event.data, event.at,
                                                  event.aggregate, event.aggregate_id))
        messages += [(ctx.key("room", where), wire.event_message(name, payload, event.seq))
                     for where, name in audiences(event)]
        if event.aggregate == "user" and event.type in DISCONNECTING:
            messages.append((ctx.key("room", room("user", event.aggregate_id)),
                             wire.control_message(wire.DISCONNECT, event.type)))
    await send(ctx, messages)


async def push(ctx: Context, where: str, name: str, data: Any, *, type: str | None = None,
               seq: int = 0, at: datetime | None = None) -> None:
    """A live message that is no outbox event (a notification, KPIs, a position) to one room."""
    await send(ctx, [(ctx.key("room", where), live_message(name, data, type=type, seq=seq, at=at))])


def live_message(name: str, data: Any, *, type: str | None = None, seq: int = 0,
                 at: datetime | None = None) -> bytes:
    """What push() publishes, for callers that publish it themselves (a batch of positions)."""
    payload = LivePayload(seq, type or name, data, at or datetime.now(timezone.utc))
    return wire.event_message(name, wire.encode_payload(payload), seq)


async def disconnect_user(ctx: Context, user_id: uuid.UUID, reason: str = "disconnected") -> None:
    """End the person's live connections on every node (they may reconnect if their token allows)."""
    await send(ctx, [(ctx.key("room", room("user", user_id)),
                      wire.control_message(wire.DISCONNECT, reason))])


async def join_room(ctx: Context, user_id: uuid.UUID, where: str, *, leave: bool = False) -> None:
    """Put the person's open sockets in a room (or take them out), e.g. a new restaurant's."""
    kind = wire.LEAVE if leave else wire.JOIN
    await send(ctx, [(ctx.key("room", room("user", user_id)), wire.control_message(kind, where))])


async def send(ctx: Context, messages: list[tuple[str, bytes]]) -> None:
    if len(messages) == 1:
        await ctx.redis.publish(*messages[0])
    elif messages:
        async with ctx.redis.pipeline(transaction=False) as pipe:
            for channel, message in messages:
                pipe.publish(channel, message)
            await pipe.execute()


if publish_events not in PUBLISHERS:
    PUBLISHERS.append(publish_events)
