"""Opaque cursors for keyset pagination: `?cursor=&limit=` on every list."""
from __future__ import annotations

import base64
from typing import Annotated, Any

import msgspec

from domain.errors import Invalid

Limit = Annotated[int, msgspec.Meta(ge=1, le=100)]


class Page(msgspec.Struct):
    items: list[Any]
    next_cursor: str | None = None


def encode_cursor(*values: Any) -> str:
    """The sort key of the last item shown, for the next page to start after."""
    return base64.urlsafe_b64encode(msgspec.json.encode(values)).decode().rstrip("=")


def decode_cursor(raw: str, kind: type) -> Any:
    """The sort key back, typed; a cursor not made by us is a 422."""
    try:
        padded = raw + "=" * (-len(raw) % 4)
        return msgspec.json.decode(base64.urlsafe_b64decode(padded), type=kind)
    except (ValueError, msgspec.DecodeError):
        raise Invalid("the cursor is not valid",
                      errors=[{"field": "cursor", "message": "is not a cursor from this list"}]) from None


def page_of(rows: list, limit: int, make_item, key) -> Page:
    """Rows fetched with limit + 1: the extra one says whether there is a next page."""
    shown = rows[:limit]
    cursor = encode_cursor(*key(shown[-1])) if len(rows) > limit else None
    return Page(items=[make_item(row) for row in shown], next_cursor=cursor)
