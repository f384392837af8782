"""Rooms: python-socketio's local membership, plus each room's Redis channel while a member is here."""
from __future__ import annotations

import asyncio
import logging

import socketio

from realtime.subscriber import Subscriber

log = logging.getLogger(__name__)
CONFIRM_TIMEOUT_S = 5.0


class Channels:
    """A node listens to a room's channel only while it holds a socket in that room."""

    def __init__(self, subscriber: Subscriber, prefix: str) -> None:
        self.subscriber, self.prefix = subscriber, prefix
        self.counts: dict[str, int] = {}

    def channel(self, room: str) -> bytes:
        return f"{self.prefix}room:{room}".encode()

    def room_of(self, channel: bytes) -> str:
        return channel[len(self.prefix) + 5:].decode()

    async def hold(self, room: str) -> None:
        """Returns once Redis confirms; if it cannot, the catch-up after its reconnect covers the gap."""
        self.counts[room] = self.counts.get(room, 0) + 1
        confirmed = self.subscriber.subscribe(self.channel(room))
        if not confirmed.done():
            try:
                async with asyncio.timeout(CONFIRM_TIMEOUT_S):
                    await asyncio.shield(confirmed)
            except TimeoutError:
                log.warning("redis did not confirm a room's channel in time", extra={"room": room})

    def release(self, room: str) -> None:
        left = self.counts.get(room, 0) - 1
        if left > 0:
            self.counts[room] = left
        elif self.counts.pop(room, None) is not None:
            self.subscriber.unsubscribe(self.channel(room))


class RoomManager(socketio.AsyncManager):
    """Every enter and leave goes through here, so the node's channels follow its sockets."""

    def __init__(self, channels: Channels) -> None:
        super().__init__()
        self.channels = channels

    def _is_member(self, sid: str, namespace: str, room) -> bool:
        return sid in self.rooms.get(namespace, {}).get(room, ())

    async def enter_room(self, sid, namespace, room, eio_sid=None):
        if room is None or room == sid or self._is_member(sid, namespace, room):
            return self.basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self.basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        await self.channels.hold(room)

    async def leave_room(self, sid, namespace, room):
        if self._is_member(sid, namespace, room):
            self.basic_leave_room(sid, namespace, room)
            if room is not None and room != sid:
                self.channels.release(room)

    async def close_room(self, room, namespace):
        for sid, _ in list(self.get_participants(namespace, room)):
            await self.leave_room(sid, namespace, room)

    async def disconnect(self, sid, namespace, **kwargs):
        rooms = [room for room in self.get_rooms(sid, namespace) if room != sid]
        self.basic_disconnect(sid, namespace, **kwargs)
        for room in rooms:
            self.channels.release(room)

    def members(self, room: str) -> dict[str, str]:
        """sid -> engine.io sid of this node's sockets in the room (no copy: do not await meanwhile)."""
        found = self.rooms.get("/", {}).get(room)
        return found._fwdm if found is not None else {}
