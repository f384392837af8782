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


class Membership(socketio.AsyncManager):
    """python-socketio's bookkeeping made O(1) per socket: the stock manager scans every room
    of the node on each disconnect and keeps pending connects in lists, which turns a
    reconnect storm of 10,000 sockets into minutes of CPU."""

    def __init__(self) -> None:
        super().__init__()
        self.rooms_of: dict[tuple[str, str], set] = {}   # (namespace, sid) -> rooms, None included
        self.pending_connect: dict[str, set[str]] = {}
        self.pending_disconnect: dict[str, set[str]] = {}

    def basic_enter_room(self, sid, namespace, room, eio_sid=None):
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self.rooms_of.setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid, namespace, room):
        super().basic_leave_room(sid, namespace, room)
        held = self.rooms_of.get((namespace, sid))
        if held is not None:
            held.discard(room)
            if not held:
                del self.rooms_of[(namespace, sid)]

    def get_rooms(self, sid, namespace):
        return [room for room in self.rooms_of.get((namespace, sid), ()) if room is not None]

    async def pre_connect(self, eio_sid, namespace):
        if self.sid_from_eio_sid(eio_sid, namespace) is not None:
            return None  # already connected
        sid = self.server.eio.generate_id()
        self.basic_enter_room(sid, namespace, None, eio_sid=eio_sid)
        self.basic_enter_room(sid, namespace, sid, eio_sid=eio_sid)
        self.pending_connect.setdefault(namespace, set()).add(sid)
        return sid

    def is_pre_connected(self, sid, namespace):
        return sid in self.pending_connect.get(namespace, ()) and \
            self.eio_sid_from_sid(sid, namespace) is not None

    def is_connected(self, sid, namespace):
        if sid in self.pending_connect.get(namespace, ()) or \
                sid in self.pending_disconnect.get(namespace, ()):
            return False
        return self.eio_sid_from_sid(sid, namespace) is not None

    async def connect(self, sid, namespace):
        if not self.is_pre_connected(sid, namespace):
            sid = await self.pre_connect(sid, namespace)
        _discard(self.pending_connect, namespace, sid)
        return sid

    def pre_disconnect(self, sid, namespace):
        self.pending_disconnect.setdefault(namespace, set()).add(sid)
        return self.eio_sid_from_sid(sid, namespace)

    def basic_disconnect(self, sid, namespace, **kwargs):
        for room in list(self.rooms_of.get((namespace, sid), ())):
            self.basic_leave_room(sid, namespace, room)
        self.callbacks.pop(sid, None)
        _discard(self.pending_connect, namespace, sid)
        _discard(self.pending_disconnect, namespace, sid)


def _discard(pending: dict[str, set[str]], namespace: str, sid: str) -> None:
    waiting = pending.get(namespace)
    if waiting is not None:
        waiting.discard(sid)
        if not waiting:
            del pending[namespace]


class RoomManager(Membership):
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
