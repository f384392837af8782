"""Path and paging parameters shared by the restaurant and catalogue endpoints."""
from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from aiohttp import web
from msgspec import Meta

from domain.errors import NotFound


class PageQuery(msgspec.Struct, kw_only=True):
    cursor: str | None = None
    limit: Annotated[int, Meta(ge=1, le=500)] = 100


def path_id(request: web.Request, name: str = "id") -> uuid.UUID:
    """The UUID in the path; anything else names nothing that exists."""
    try:
        return uuid.UUID(request.match_info[name])
    except ValueError:
        raise NotFound("nothing has this id") from None
