"""One Redis pub/sub connection per node: rooms' channels held while wanted, again after a reconnect."""
from __future__ import annotations

import asyncio
import logging
import ssl
from typing import Callable

from realtime import resp
from realtime.resp import PubSubProtocol

log = logging.getLogger(__name__)
OnMessage = Callable[[bytes, bytes], None]


class Subscriber:
    """SUBSCRIBE/UNSUBSCRIBE on demand; after a reconnect, every wanted channel, then `on_resubscribed`."""

    def __init__(self, url: str, on_message: OnMessage, on_resubscribed: Callable[[], None],
                 *, ping_every_s: float = 10.0) -> None:
        self.target = resp.address(url)
        self.on_message, self.on_resubscribed = on_message, on_resubscribed
        self.ping_every_s = ping_every_s
        self.wanted: set[bytes] = set()
        self.reconnects = 0
        self._confirmed: dict[bytes, asyncio.Future] = {}
        self._proto: PubSubProtocol | None = None
        self._task: asyncio.Task | None = None
        self._pong_due = False

    def subscribe(self, channel: bytes) -> asyncio.Future:
        """A future done once Redis confirms (at once while disconnected: a catch-up follows)."""
        self.wanted.add(channel)
        future = self._confirmed.get(channel)
        if future is None:
            future = self._confirmed[channel] = asyncio.get_running_loop().create_future()
            if self._proto is not None:
                self._proto.send(b"SUBSCRIBE", channel)
            else:
                future.set_result(None)
                self.start()
        return future

    def unsubscribe(self, channel: bytes) -> None:
        self.wanted.discard(channel)
        future = self._confirmed.pop(channel, None)
        if future is not None and not future.done():
            future.set_result(None)
        if self._proto is not None:
            self._proto.send(b"UNSUBSCRIBE", channel)

    def on_reply(self, reply) -> None:
        if isinstance(reply, list) and reply:
            kind = reply[0]
            if kind == b"message":
                try:
                    self.on_message(reply[1], reply[2])
                except Exception:
                    log.exception("live message could not be delivered")
            elif kind == b"subscribe":
                future = self._confirmed.get(reply[1])
                if future is not None and not future.done():
                    future.set_result(None)
            elif kind == b"pong":
                self._pong_due = False
        elif isinstance(reply, resp.ReplyError):
            log.error("redis refused a pub/sub command: %s", reply)
        elif reply == b"PONG":
            self._pong_due = False

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="live-subscriber")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._proto is not None and self._proto.transport is not None:
            self._proto.transport.abort()

    @property
    def connected(self) -> bool:
        return self._proto is not None

    async def _run(self) -> None:
        delay = 0.05
        while True:
            try:
                proto = await self._connect()
            except (OSError, resp.ReplyError, TimeoutError) as exc:
                log.warning("redis pub/sub unreachable, retrying", extra={"error": str(exc)})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            delay = 0.05
            await self._serve(proto)

    async def _connect(self) -> PubSubProtocol:
        loop, target = asyncio.get_running_loop(), self.target
        factory = lambda: PubSubProtocol(self.on_reply)  # noqa: E731
        if "unix" in target:
            connecting = loop.create_unix_connection(factory, target["unix"])
        else:
            context = ssl.create_default_context() if target["ssl"] else None
            connecting = loop.create_connection(factory, target["host"], target["port"], ssl=context)
        async with asyncio.timeout(5):
            _, proto = await connecting
        if target["password"]:
            creds = [target["username"], target["password"]] if target["username"] else [target["password"]]
            proto.send(b"AUTH", *creds)  # an error reply is logged; the pings then fail it
        return proto

    async def _serve(self, proto: PubSubProtocol) -> None:
        """Subscribe to everything wanted, say so after a reconnect, then watch the connection."""
        self._proto, self._pong_due = proto, False
        channels = list(self.wanted)
        self._confirmed = {c: asyncio.get_running_loop().create_future() for c in channels}
        for start in range(0, len(channels), 1000):
            proto.send(b"SUBSCRIBE", *channels[start:start + 1000])
        try:
            if channels:
                async with asyncio.timeout(10):
                    await asyncio.gather(*self._confirmed.values())
            if self.reconnects or channels:
                self.on_resubscribed()
            self.reconnects += 1
            await self._watch(proto)
        except TimeoutError:
            log.warning("redis pub/sub did not confirm; reconnecting")
        finally:
            self._proto = None
            proto.transport.abort()
            for future in self._confirmed.values():
                if not future.done():
                    future.set_result(None)  # the catch-up after the reconnect covers them
        log.warning("redis pub/sub connection lost; resubscribing")

    async def _watch(self, proto: PubSubProtocol) -> None:
        """Until the connection drops, or a ping goes unanswered (a half-open connection)."""
        while True:
            try:
                async with asyncio.timeout(self.ping_every_s):
                    await asyncio.shield(proto.lost)
                return
            except TimeoutError:
                if self._pong_due:
                    return
                self._pong_due = True
                proto.send(b"PING")
