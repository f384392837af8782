"""Engine.IO and Socket.IO servers with lean, bounded per-socket queues and no per-message deflate.

An idle socket costs what its connection needs and little more: no writer task, no ping task,
no task around each read, no asyncio.Queue (four deques and an event). Packets go to a list and
out at the loop's next turn, one write per socket however many; a writer task exists only while
a transport is backed up; the ping and the wait for its pong are one timer per socket.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
import time

import engineio
import socketio
from aiohttp import WSMsgType
from aiohttp.web import WebSocketResponse
from engineio import exceptions, packet
from engineio.async_drivers.aiohttp import WebSocket as AiohttpWebSocket
from engineio.async_socket import AsyncSocket

log = logging.getLogger(__name__)


async def open_websocket(request, max_size: int) -> WebSocketResponse:
    """Without deflate: it costs ~90 KiB per idle connection."""
    ws = WebSocketResponse(max_msg_size=max_size, compress=False)
    await ws.prepare(request)
    return ws


def drop_header_copies(environ: dict) -> None:
    """python-socketio keeps the handshake's environ while the socket lives; the request it
    holds (environ["aiohttp.request"]) has the headers, so their HTTP_* copies go."""
    kept = {key: value for key, value in environ.items() if not key.startswith("HTTP_")}
    environ.clear()  # in place: engineio's frames and python-socketio share this dict
    environ.update(kept)


class UpgradedWebSocket(AiohttpWebSocket):
    """engineio's aiohttp websocket, for a socket that began with long-polling."""

    async def __call__(self, environ):
        request = environ["aiohttp.request"]
        self._sock = await open_websocket(request, self.server.max_http_buffer_size)
        # the handler is bound to its engine.io socket: an overflow must be able to cut it
        self.handler.__self__.transport = request.transport
        await self.handler(self)
        return self._sock


WRITE_BUFFER_LIMIT = 64 * 1024  # bytes the transport holds before writes wait for it to drain


def websocket_frame(pkt: packet.Packet) -> bytes:
    """The packet as one unmasked websocket frame (RFC 6455 5.2), built once per packet however
    many sockets it goes to."""
    frame = pkt.__dict__.get("websocket_frame")
    if frame is None:
        data = pkt.encode()
        payload, first = (data, 0x82) if isinstance(data, bytes) else (data.encode(), 0x81)
        size = len(payload)
        if size < 126:
            header = bytes((first, size))
        elif size < 65536:
            header = struct.pack("!BBH", first, 126, size)
        else:
            header = struct.pack("!BBQ", first, 127, size)
        frame = pkt.websocket_frame = header + payload
    return frame


class PacketQueue:
    """A socket's packets not yet written: a list, and one future for whoever waits on it."""

    __slots__ = ("items", "_changed")

    def __init__(self) -> None:
        self.items: list = []
        self._changed: asyncio.Future | None = None

    def qsize(self) -> int:
        return len(self.items)

    def put_nowait(self, pkt) -> None:
        self.items.append(pkt)
        self._wake()

    def take(self) -> list:
        """Every packet waiting, in order; the queue is empty afterwards."""
        items, self.items = self.items, []
        self._wake()
        return items

    async def changed(self) -> None:
        """Until the next put or take (cancelling one waiter leaves the others waiting)."""
        if self._changed is None:
            self._changed = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._changed)

    def _wake(self) -> None:
        changed, self._changed = self._changed, None
        if changed is not None and not changed.done():
            changed.set_result(None)


class LeanSocket(AsyncSocket):
    """engineio's AsyncSocket, protocol unchanged, with tasks and timers only when needed.

    Over a websocket, the aiohttp handler reads in place and the engine writes queued packets
    at the loop's next turn. Closing the socket ends its websocket once what was queued is
    written.
    """

    def __init__(self, server, sid) -> None:
        super().__init__(server, sid)
        self.queue = PacketQueue()
        self.transport = None   # the TCP transport, once on a websocket: cutting it ends everything
        self._ws = None         # the websocket packets are written to, while it is open
        self._writer: asyncio.Task | None = None
        self._dirty = False     # waiting for the engine's next flush
        self._timer: asyncio.TimerHandle | None = None

    async def send(self, pkt) -> None:
        if not self.closed:
            self.put(pkt)

    def put(self, pkt) -> None:
        """Queue a packet (None ends the websocket); written at the loop's next turn."""
        self.queue.put_nowait(pkt)
        if self._ws is not None and not self._dirty:
            self._dirty = True
            self.server.flush_soon(self)

    def flush(self) -> None:
        """What waits, in one write, straight to the transport; a writer task only when the
        transport is backed up or the websocket must close (both need awaiting)."""
        self._dirty = False
        ws, transport, items = self._ws, self.transport, self.queue.items
        if ws is None or self._writer is not None or not items:
            return
        if (None in items or ws.closed or transport is None or transport.is_closing()
                or transport.get_write_buffer_size() > WRITE_BUFFER_LIMIT):
            self._start_writer()
            return
        transport.write(b"".join([websocket_frame(pkt) for pkt in self.queue.take()]))

    def _start_writer(self) -> None:
        if self._ws is not None and self._writer is None:
            self._writer = asyncio.ensure_future(self._write())

    async def _write(self) -> None:
        ws = self._ws
        try:
            while packets := self.queue.take():
                for pkt in packets:
                    if pkt is None:
                        self._ws = None
                        await ws.close()
                        return
                    data = pkt.encode()
                    await (ws.send_bytes(data) if isinstance(data, bytes) else ws.send_str(data))
        except Exception:  # the connection broke: stop writing, the reader sees it end too
            self._ws = None
            with contextlib.suppress(Exception):
                await ws.close()
        finally:
            self._writer = None

    async def poll(self):
        """Long-polling: the packets waiting, once there is one, up to the next None."""
        try:
            async with asyncio.timeout(self.server.ping_interval + self.server.ping_timeout):
                while not self.queue.items:
                    await self.queue.changed()
        except (TimeoutError, asyncio.CancelledError):
            raise exceptions.QueueEmpty() from None
        packets = self.queue.take()
        if None in packets:
            end = packets.index(None)
            self.queue.items[:0] = packets[end:]
            packets = packets[:end]
        return packets

    async def close(self, wait=True, abort=False, reason=None):
        if self.closed or self.closing:
            return
        self.closing = True
        self._cancel_timer()
        await self.server._trigger_event("disconnect", self.sid,
                                         reason or self.server.reason.SERVER_DISCONNECT,
                                         run_async=False)
        if not abort:
            self.put(packet.Packet(packet.CLOSE))
        if self._ws is not None:
            self.put(None)
        self.closed = True
        if wait:
            await self._sent()

    async def _sent(self) -> None:
        """Until what was queued is written (websocket) or taken by a poll."""
        while self._writer is not None:
            await asyncio.shield(self._writer)
        while not self.upgraded and self.queue.items and self.queue.items != [None]:
            await self.queue.changed()

    def schedule_ping(self) -> None:
        """After the handshake and each pong: the next ping, ping_interval from now."""
        if self.last_ping:
            self.last_ping = None
            self._set_timer(self.server.ping_interval, self._ping)

    def _ping(self) -> None:
        if self.closing or self.closed:
            return
        self.last_ping = time.time()
        self.put(packet.Packet(packet.PING))
        self._set_timer(self.server.ping_timeout, self._pong_missed)

    def _pong_missed(self) -> None:
        self._timer = None
        if self.last_ping and not (self.closing or self.closed):
            self.server.logger.info("%s: Client is gone, closing socket", self.sid)
            self.server.spawn(self.close(wait=False, abort=False,
                                         reason=self.server.reason.PING_TIMEOUT))

    def _set_timer(self, delay: float, callback) -> None:
        self._cancel_timer()
        self._timer = asyncio.get_running_loop().call_later(delay, callback)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def serve_websocket(self, environ: dict) -> WebSocketResponse:
        """A socket that began on a websocket: served in the handler's own frames, few of them."""
        request = environ["aiohttp.request"]
        ws = await open_websocket(request, self.server.max_http_buffer_size)
        drop_header_copies(environ)
        self.transport = request.transport
        self.connected = self.upgraded = True
        await self._serve(ws)
        return ws

    async def _websocket_handler(self, ws):
        """From long-polling to a websocket (engineio's handler, for UpgradedWebSocket)."""
        if await self._upgrade(ws):
            await self._serve(ws._sock)

    async def _serve(self, ws: WebSocketResponse) -> None:
        """Read until the websocket ends, then close the socket once the writer is done."""
        self._ws = ws
        if self.queue.items:
            self._dirty = True  # OPEN, CONNECT and what else came before the websocket
            self.server.flush_soon(self)
        limit = self.server.max_http_buffer_size
        while True:
            try:
                message = await ws.receive()
            except (Exception, asyncio.CancelledError):  # as engineio: the socket still closes
                break
            if message.type not in (WSMsgType.TEXT, WSMsgType.BINARY) or len(message.data) > limit:
                break
            try:
                await self.receive(packet.Packet(encoded_packet=message.data))
            except exceptions.UnknownPacketError:
                pass
            except exceptions.SocketIsClosedError:
                break
            except Exception:
                self.server.logger.exception("Unknown receive error")
        if self._ws is not None:
            self.put(None)  # the writer writes what is left, then closes the websocket
        while self._writer is not None:
            await asyncio.shield(self._writer)
        await self.close(wait=False, abort=True, reason=self.server.reason.TRANSPORT_CLOSE)

    async def _upgrade(self, ws) -> bool:
        """Polling to websocket: the probe, then the UPGRADE packet; packets are held meanwhile."""
        self.upgrading = True
        try:
            probe = packet.Packet(encoded_packet=await ws.wait())
            if probe.packet_type != packet.PING or probe.data != "probe":
                self.server.logger.info("%s: Failed websocket upgrade, no PING packet", self.sid)
                return False
            await ws.send(packet.Packet(packet.PONG, data="probe").encode())
            self.queue.put_nowait(packet.Packet(packet.NOOP))  # ends the pending poll
            upgrade = packet.Packet(encoded_packet=await ws.wait())
            if upgrade.packet_type != packet.UPGRADE:
                self.server.logger.info("%s: Failed websocket upgrade, expected UPGRADE packet",
                                        self.sid)
                return False
        except OSError:
            return False
        finally:
            self.upgrading = False
        self.upgraded = True
        return True


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


class Server(socketio.AsyncServer):
    """python-socketio on our Engine (options such as queue_limit pass through to it)."""

    def _engineio_server_class(self):
        return Engine

    @property
    def engine(self) -> Engine:
        return self.eio
