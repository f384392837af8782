"""Engine.IO and Socket.IO servers with bounded per-socket queues and no per-message deflate."""
from __future__ import annotations

import asyncio
import logging

import engineio
import socketio
from aiohttp.web import WebSocketResponse
from engineio.async_drivers.aiohttp import WebSocket as AiohttpWebSocket

log = logging.getLogger(__name__)


class PlainWebSocket(AiohttpWebSocket):
    """engineio's aiohttp websocket, without deflate: it costs ~90 KiB per idle connection."""

    async def __call__(self, environ):
        request = environ["aiohttp.request"]
        self._sock = WebSocketResponse(max_msg_size=self.server.max_http_buffer_size,
                                       compress=False)
        await self._sock.prepare(request)
        # the handler is bound to its engine.io socket: an overflow must be able to cut it
        owner = getattr(self.handler, "__self__", None)
        if owner is not None:
            owner.transport = request.transport
        self.environ = environ
        await self.handler(self)
        return self._sock


class Engine(engineio.AsyncServer):
    """Engine.IO whose sends never wait: a socket that falls `queue_limit` packets behind is cut."""

    def __init__(self, *, queue_limit: int = 1000, **options) -> None:
        super().__init__(**options)
        self.queue_limit = queue_limit
        self.dropped = 0
        self._async = {**self._async, "websocket": PlainWebSocket}
        self._closing: set[asyncio.Task] = set()

    def deliver(self, eio_sid: str, pkt) -> bool:
        """Queue a packet for one socket at once, or drop the socket if it is too far behind."""
        sock = self.sockets.get(eio_sid)
        if sock is None or sock.closed or sock.closing:
            return False
        if sock.queue.qsize() >= self.queue_limit:
            self._drop(sock)
            return False
        sock.queue.put_nowait(pkt)
        return True

    async def send_packet(self, sid: str, pkt) -> None:
        self.deliver(sid, pkt)

    def _drop(self, sock) -> None:
        self.dropped += 1
        log.warning("live socket dropped: its client does not read", extra={"sid": sock.sid})
        transport = getattr(sock, "transport", None)
        if transport is not None:
            transport.abort()  # frees the kernel and aiohttp buffers, ends its reader and writer
        task = asyncio.create_task(sock.close(wait=False, abort=True, reason="queue-full"))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)


class Server(socketio.AsyncServer):
    """python-socketio on our Engine (options such as queue_limit pass through to it)."""

    def _engineio_server_class(self):
        return Engine

    @property
    def engine(self) -> Engine:
        return self.eio
