"""The little of the Redis protocol (RESP2) a pub/sub connection needs: commands out, replies in."""
from __future__ import annotations

import asyncio
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlsplit

import hiredis


class ReplyError(Exception):
    """Redis answered a command with an error (e.g. a wrong password)."""


def command(*args: bytes | str) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        raw = arg.encode() if isinstance(arg, str) else arg
        parts.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
    return b"".join(parts)


class Replies:
    """Whole replies out of the bytes as they come, parsed by hiredis (C): a pub/sub message
    costs the node a few microseconds, not the tens a parser in Python took."""

    def __init__(self) -> None:
        self._reader = hiredis.Reader(replyError=ReplyError)

    def feed(self, data: bytes) -> list:
        """The replies `data` completes, in order (an error reply comes as a ReplyError)."""
        self._reader.feed(data)
        replies = []
        while (reply := self._reader.gets()) is not False:
            replies.append(reply)
        return replies


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
        self.on_reply, self.replies, self.transport = on_reply, Replies(), None
        self.lost = asyncio.get_running_loop().create_future()

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        for reply in self.replies.feed(data):
            self.on_reply(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.lost.done():
            self.lost.set_result(exc)

    def send(self, *args: bytes | str) -> None:
        self.transport.write(command(*args))
