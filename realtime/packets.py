"""Packets on their way out: a socket's queue, and each packet's websocket frame built once."""
from __future__ import annotations

import asyncio
import struct

from engineio import packet


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
