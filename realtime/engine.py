"""Engine.IO and Socket.IO servers on LeanSocket: bounded per-socket queues, sends that never
wait, and one flush per loop turn for every socket given packets."""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

import engineio
import msgspec
import socketio
from engineio import exceptions, packet

from realtime import codec
from realtime.lean_socket import LeanSocket, UpgradedWebSocket

log = logging.getLogger(__name__)


class Engine(engineio.AsyncServer):
    """Engine.IO whose sends never wait: a socket that falls `queue_limit` packets behind is cut."""

    def __init__(self, *, queue_limit: int = 1000, **options) -> None:
        super().__init__(**options)
        self.queue_limit = queue_limit
        self.dropped = 0
        self._async = {**self._async, "websocket": UpgradedWebSocket}
        self._background: set[asyncio.Task] = set()
        self._to_flush: list[LeanSocket] = []

    def flush_soon(self, sock: LeanSocket) -> None:
        """Once per loop turn, every socket given packets meanwhile writes them: one write
        each, however many packets, and no task."""
        if not self._to_flush:
            asyncio.get_running_loop().call_soon(self._flush)
        self._to_flush.append(sock)

    def _flush(self) -> None:
        socks, self._to_flush = self._to_flush, []
        for sock in socks:
            try:
                sock.flush()
            except Exception:  # one broken socket must not keep the others' packets
                log.exception("a socket's packets could not be written", extra={"sid": sock.sid})

    def deliver(self, eio_sid: str, pkt) -> bool:
        """Queue a packet for one socket at once, or drop the socket if it is too far behind."""
        sock = self.sockets.get(eio_sid)
        if sock is None or sock.closed or sock.closing:
            return False
        if sock.queue.qsize() >= self.queue_limit:
            self._drop(sock)
            return False
        sock.put(pkt)
        return True

    async def _service_task(self) -> None:
        """Every ping_timeout, closed sockets leave the table. engineio's own task walks every
        socket, one wait_for each, hundreds a second at 10,000 sockets, to find those whose
        pong is late; a LeanSocket's own timer closes those already."""
        self.service_task_event = self.create_event()
        while not self.service_task_event.is_set():
            try:
                await asyncio.wait_for(self.service_task_event.wait(), timeout=self.ping_timeout)
            except TimeoutError:
                self.sweep()

    def sweep(self) -> None:
        for sid in [sid for sid, sock in self.sockets.items() if sock.closed]:
            del self.sockets[sid]

    async def send_packet(self, sid: str, pkt) -> None:
        self.deliver(sid, pkt)

    def spawn(self, coroutine) -> None:
        """A close or the like that must not wait for its caller, kept until done."""
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _drop(self, sock) -> None:
        self.dropped += 1
        log.warning("live socket dropped: its client does not read", extra={"sid": sock.sid})
        if sock.transport is not None:
            sock.transport.abort()  # frees the kernel and aiohttp buffers, ends its reader and writer
        self.spawn(sock.close(wait=False, abort=True, reason="queue-full"))

    async def _handle_connect(self, environ, transport, jsonp_index=None):
        """engineio's handshake, on a LeanSocket."""
        if self.start_service_task:
            self.start_service_task = False
            self.service_task_handle = self.start_background_task(self._service_task)
        sid = self.generate_id()
        sock = self.sockets[sid] = LeanSocket(self, sid)
        sock.put(packet.Packet(packet.OPEN, {
            "sid": sid, "upgrades": self._upgrades(sid, transport),
            "pingTimeout": int(self.ping_timeout * 1000),
            "pingInterval": int(self.ping_interval + self.ping_interval_grace_period) * 1000,
            "maxPayload": self.max_http_buffer_size,
        }))
        ret = await self._trigger_event("connect", sid, environ, run_async=False)
        if ret is not None and ret is not True:
            del self.sockets[sid]
            self.logger.warning("Application rejected connection")
            return self._unauthorized(ret or None)
        sock.schedule_ping()
        if transport == "websocket":
            try:
                return await sock.serve_websocket(environ)
            finally:  # also when the upgrade itself failed
                await sock.close(wait=False, abort=True, reason=self.reason.TRANSPORT_ERROR)
                self.sockets.pop(sid, None)
        sock.connected = True
        headers = None
        if self.cookie:
            options = self.cookie if isinstance(self.cookie, dict) else {
                "name": self.cookie, "path": "/", "SameSite": "Lax"}
            headers = [("Set-Cookie", self._generate_sid_cookie(sid, options))]
        try:
            return self._ok(await sock.poll(), headers=headers, jsonp_index=jsonp_index)
        except exceptions.QueueEmpty:
            return self._bad_request()


_TEXT_EVENT = re.compile(r"2([0-9]*)\[")  # Socket.IO EVENT on "/": type, ack id, JSON array
_NAMED_EVENT = re.compile(r'2([0-9]*)\["([^"\\]*)",')  # ...whose name is a plain string


def text_event(data) -> tuple[int | None, list] | None:
    """(ack id, [name, *arguments]) of a text EVENT packet on the default namespace; None for
    any other packet, or one that does not decode, which python-socketio then handles."""
    found = _TEXT_EVENT.match(data) if isinstance(data, str) else None
    if found is None:
        return None
    try:
        arguments = codec.loads(data[found.end() - 1:])
    except ValueError:
        return None
    if not isinstance(arguments, list) or not arguments or not isinstance(arguments[0], str):
        return None
    return (int(found.group(1)) if found.group(1) else None), arguments


class Server(socketio.AsyncServer):
    """python-socketio on our Engine (options such as queue_limit pass through to it)."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        # event name -> (a decoder of its packet's [name, payload] array, its runner(sid,
        # payload, decoded=True) -> the ack), or None for an event python-socketio handles
        self.typed_event: Callable[[str], tuple[msgspec.json.Decoder, Callable] | None] = lambda name: None

    def _engineio_server_class(self):
        return Engine

    async def _handle_eio_message(self, eio_sid, data):
        """A client's event on "/", the packet couriers send every few seconds, decoded once by
        msgspec: straight into its payload's type and answered here when the event has one,
        else handed to python-socketio's own event handling (checks, handler, ack). Every
        other packet, and any event that does not decode, takes python-socketio's path."""
        if eio_sid in self._binary_packet or not isinstance(data, str):
            return await super()._handle_eio_message(eio_sid, data)
        named = _NAMED_EVENT.match(data)
        typed = named and self.typed_event(named.group(2))
        if typed and await self._handle_typed(eio_sid, data, named, *typed):
            return
        event = text_event(data)
        if event is None:
            return await super()._handle_eio_message(eio_sid, data)
        await self._handle_event(eio_sid, "/", *event)

    async def _handle_typed(self, eio_sid: str, data: str, named: re.Match, decoder, run) -> bool:
        """What python-socketio's event path does (connected? run, ack), for one decoded payload.
        False, and nothing done, when the socket is not connected on "/" or the payload is not
        the type: python-socketio's path then answers as it always has."""
        sid = self.manager.sid_from_eio_sid(eio_sid, "/")
        if sid is None or not self.manager.is_connected(sid, "/"):
            return False
        try:
            _, payload = decoder.decode(data[named.end(1):])
        except ValueError:  # msgspec's DecodeError and ValidationError both
            return False
        ack = await run(sid, payload, True)
        if named.group(1):  # the client asked for an answer: Socket.IO ACK, same id
            self.eio.deliver(eio_sid, packet.Packet(packet.MESSAGE, f"3{named.group(1)}{codec.dumps([ack])}"))
        return True

    @property
    def engine(self) -> Engine:
        return self.eio
