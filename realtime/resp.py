"""The little of the Redis protocol (RESP2) a pub/sub connection needs: commands out, replies in."""
from __future__ import annotations

import asyncio
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlsplit


class ReplyError(Exception):
    """Redis answered a command with an error (e.g. a wrong password)."""


def command(*args: bytes | str) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        raw = arg.encode() if isinstance(arg, str) else arg
        parts.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
    return b"".join(parts)


def parse(buf: bytearray, pos: int):
    """(reply, position after it), or None while the reply is not all there yet."""
    end = buf.find(b"\r\n", pos)
    if end < 0:
        return None
    kind, line, after = buf[pos], bytes(buf[pos + 1:end]), end + 2
    if kind == 36:  # $ bulk string
        size = int(line)
        if size < 0:
            return None, after
        if len(buf) < after + size + 2:
            return None
        return bytes(buf[after:after + size]), after + size + 2
    if kind == 42:  # * array
        items = []
        for _ in range(max(int(line), 0)):
            parsed = parse(buf, after)
            if parsed is None:
                return None
            item, after = parsed
            items.append(item)
        return items, after
    if kind == 58:  # : integer
        return int(line), after
    if kind == 45:  # - error
        return ReplyError(line.decode(errors="replace")), after
    return line, after  # + simple string


def address(url: str) -> dict:
    """Where and how to connect: {unix | host, port, ssl}, username, password."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    target = {"username": unquote(parts.username) if parts.username else query.get("username"),
              "password": unquote(parts.password) if parts.password else query.get("password")}
    if parts.scheme == "unix":
        return {"unix": parts.path, **target}
    return {"host": parts.hostname or "localhost", "port": parts.port or 6379,
            "ssl": parts.scheme == "rediss", **target}


class PubSubProtocol(asyncio.Protocol):
    """Parses replies as they arrive and hands each over at once: no task, no await per message."""

    def __init__(self, on_reply: Callable[[Any], None]) -> None:
        self.on_reply, self.buffer, self.transport = on_reply, bytearray(), None
        self.lost = asyncio.get_running_loop().create_future()

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        pos = 0
        while (parsed := parse(self.buffer, pos)) is not None:
            reply, pos = parsed
            self.on_reply(reply)
        del self.buffer[:pos]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.lost.done():
            self.lost.set_result(exc)

    def send(self, *args: bytes | str) -> None:
        self.transport.write(command(*args))
