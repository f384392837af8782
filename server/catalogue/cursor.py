"""Opaque cursors for keyset pagination: the sort key of the last item, encoded."""
from __future__ import annotations

import base64
import binascii
from typing import Any

import msgspec

from domain.errors import Invalid


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: type) -> Any:
    """The key a cursor holds as `kind` (e.g. tuple[float, uuid.UUID]), or None without one."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return msgspec.json.decode(raw, type=kind)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise Invalid("the cursor is not valid; start again without it",
                      errors=[{"field": "cursor", "message": "is not a cursor this list gave"}]) from None
