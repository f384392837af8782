"""One node's live edge: the Socket.IO server, its rooms' Redis channels, and the streams."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Coroutine

from domain.accounts import Principal
from realtime import codec
from realtime.engine import Server
from realtime.metrics import LiveMetrics
from realtime.packets import EventMessage
from realtime.rooms import Channels, RoomManager
from realtime.streams import Streams
from realtime.subscriber import Subscriber
from server.context import Context
from server.events import Event
from server.live import wire
from server.live.publish import LivePayload

log = logging.getLogger(__name__)
QUEUE_LIMIT = 1000          # packets waiting for one socket before it is dropped
MAX_CLIENT_MESSAGE = 64 * 1024


class Live:
    """Built by setup(app); `start(ctx)` once the app's resources exist."""

    def __init__(self, *, queue_limit: int = QUEUE_LIMIT) -> None:
        self.ctx: Context | None = None
        self.channels: Channels | None = None
        self.manager = RoomManager(None)
        # async_handlers=False: a socket's events are handled in its reader, in order, with no
        # task each; a handler that waits holds only its own socket's next event back.
        self.sio = Server(client_manager=self.manager, json=codec, async_mode="aiohttp",
                          async_handlers=False, transports=["websocket", "polling"], queue_limit=queue_limit,
                          max_http_buffer_size=MAX_CLIENT_MESSAGE, http_compression=False)
        self.engine = self.sio.engine
        self.streams = Streams(hold_limit=queue_limit)
        self.principals: dict[str, Principal] = {}
        self.stats = LiveMetrics()
        self.on_resubscribed: list = []   # callbacks(live) run after Redis came back
        self._tasks: set[asyncio.Task] = set()
        self._shut = False

    def start(self, ctx: Context) -> None:
        self.ctx = ctx
        self.stats = LiveMetrics(getattr(ctx, "extras", {}).get("metrics"))
        subscriber = Subscriber(ctx.settings.redis_url, self.dispatch, self._resubscribed)
        self.channels = self.manager.channels = Channels(subscriber, ctx.settings.redis_prefix)
        subscriber.start()

    async def close_sockets(self) -> None:
        """Cut every connection: clients see a transport error and reconnect, elsewhere if we go."""
        for sock in list(self.engine.sockets.values()):
            transport = getattr(sock, "transport", None)
            if transport is not None:
                transport.abort()  # a CLOSE packet would tell some clients not to come back
            else:
                await sock.close(wait=False, abort=True)
        if not self._shut:
            self._shut = True
            await self.sio.shutdown()

    async def stop(self) -> None:
        await self.close_sockets()
        await self.channels.subscriber.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def spawn(self, coroutine: Coroutine) -> asyncio.Task:
        """A background task kept alive until done, cancelled at shutdown."""
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def dispatch(self, channel: bytes, message: bytes) -> None:
        """A room's message from Redis, to this node's sockets in that room; encoded once, no task."""
        room = self.channels.room_of(channel)
        members = self.manager.members(room)
        kind = message[0]
        if kind == wire.EVENT:
            seq, arguments = wire.parse_event(message)
            delivered = 0
            if members:
                pkt = EventMessage(arguments)
                admit, deliver = self.streams.admit, self.engine.deliver
                for sid, eio_sid in members.items():
                    if (seq == 0 or admit(sid, room, seq, pkt)) and deliver(eio_sid, pkt):
                        delivered += 1
            self.stats.fanout(arguments, delivered)
        else:
            self.stats.fanout(None, len(members))
            self._control(kind, message, list(members))

    def _control(self, kind: int, message: bytes, members: list[str]) -> None:
        """Disconnect, join or leave: each needs awaiting, so each socket gets a small task."""
        if kind == wire.DISCONNECT:
            for sid in members:
                self.spawn(self.sio.disconnect(sid))
        elif kind in (wire.JOIN, wire.LEAVE):
            target = message[1:].decode()
            move = self.sio.enter_room if kind == wire.JOIN else self.sio.leave_room
            for sid in members:
                self.spawn(move(sid, target))

    def send(self, sid: str, name: str, payload: Any) -> None:
        """One event to one local socket, through its bounded queue."""
        self.send_packet(sid, EventMessage(wire.event_arguments(name, wire.encode_payload(payload))))

    def send_event(self, sid: str, name: str, event: Event) -> None:
        payload = LivePayload(event.seq, event.type, event.data, event.at, event.aggregate,
                              event.aggregate_id)
        self.send(sid, name, payload)

    def send_packet(self, sid: str, pkt) -> None:
        eio_sid = self.manager.eio_sid_from_sid(sid, "/")
        if eio_sid is not None:
            self.engine.deliver(eio_sid, pkt)

    def _resubscribed(self) -> None:
        for callback in self.on_resubscribed:
            self.spawn(self._after_reconnect(callback))

    async def _after_reconnect(self, callback) -> None:
        try:
            await callback(self)
        except Exception:
            log.exception("a step after the Redis reconnect failed", extra={"step": callback.__name__})
