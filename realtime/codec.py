"""JSON of Socket.IO packets through msgspec: python-socketio takes a module with dumps/loads."""
from __future__ import annotations

from typing import Any

import msgspec

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


def dumps(obj: Any, **_options: Any) -> str:
    """Compact JSON text (separators and the like are msgspec's already)."""
    return _encode(obj).decode()


def loads(text: str | bytes, **_options: Any) -> Any:
    """Raises msgspec.DecodeError, a ValueError, as the packet parsers expect."""
    return _decode(text)
