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
        frame = pkt.websocket_frame = (_frame(0x82, (data,)) if isinstance(data, bytes)
                                       else _frame(0x81, (data.encode(),)))
    return frame


def _frame(first: int, parts: tuple[bytes, ...]) -> bytes:
    """A final frame of opcode `first` whose payload is `parts`, joined."""
    size = sum(map(len, parts))
    if size < 126:
        header = bytes((first, size))
    elif size < 65536:
        header = struct.pack("!BBH", first, 126, size)
    else:
        header = struct.pack("!BBQ", first, 127, size)
    return b"".join((header, *parts))


class EventMessage(packet.Packet):
    """A Socket.IO EVENT on "/" whose JSON arguments came as bytes (a room's message from
    Redis): its websocket frame is built from them with no decoding or re-encoding, and
    its text is made only for a long-polling client."""

    def __init__(self, arguments: bytes) -> None:  # not Packet's: `data` is made on demand
        self.packet_type, self.binary, self.encode_cache = packet.MESSAGE, False, None
        self.arguments = arguments
        self.websocket_frame = _frame(0x81, (b"42", arguments))

    @property
    def data(self) -> str:
        return "2" + self.arguments.decode()


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
