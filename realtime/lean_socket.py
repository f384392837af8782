"""One Engine.IO socket with tasks and timers only when needed, and no per-message deflate.

An idle socket costs what its connection needs and little more: no writer task, no ping task,
no task around each read, no asyncio.Queue. Packets go to a list and out at the loop's next
turn, one write per socket however many; a writer task exists only while a transport is backed
up; the ping and the wait for its pong are one timer per socket.
"""
from __future__ import annotations

import asyncio
import contextlib
import time

from aiohttp import WSMsgType
from aiohttp.web import WebSocketResponse
from engineio import exceptions, packet
from engineio.async_drivers.aiohttp import WebSocket as AiohttpWebSocket
from engineio.async_socket import AsyncSocket

from realtime.packets import PacketQueue, websocket_frame


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
            data = message.data
            try:
                if message.type == WSMsgType.TEXT and data[:1] == "4":  # a MESSAGE: to Socket.IO at once
                    await self.server.handlers["message"](self.sid, data[1:])
                else:
                    await self.receive(packet.Packet(encoded_packet=data))
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
