"""What travels on a room's Redis channel: one message, encoded once, read by every node.

`E<seq>|["<event name>",<payload>]` an event for the room's sockets (seq 0: not a stream)
`D<reason>`                           disconnect the room's sockets (a suspended user)
`J<room>` / `L<room>`                 the room's sockets join or leave another room
"""
from __future__ import annotations

from typing import Any

import msgspec

EVENT, DISCONNECT, JOIN, LEAVE = b"E"[0], b"D"[0], b"J"[0], b"L"[0]
_encode = msgspec.json.Encoder().encode


def encode_payload(payload: Any) -> bytes:
    return _encode(payload)


def event_arguments(name: str, encoded_payload: bytes) -> bytes:
    """The Socket.IO event's JSON arguments: ["name", payload]."""
    return b"[%s,%s]" % (_encode(name), encoded_payload)


def event_message(name: str, encoded_payload: bytes, seq: int = 0) -> bytes:
    """An event for one room; the payload is encoded once and shared by every room it goes to."""
    return b"E%d|" % seq + event_arguments(name, encoded_payload)


def control_message(kind: int, text: str = "") -> bytes:
    return bytes((kind,)) + text.encode()


def parse_event(message: bytes) -> tuple[int, bytes]:
    """(seq, the Socket.IO event's JSON arguments) of an `E` message."""
    bar = message.index(b"|")
    return int(message[1:bar]), message[bar + 1:]

