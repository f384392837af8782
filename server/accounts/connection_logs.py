"""The connection log as the tech staff read it: who tried to sign in, when, from where."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from server.accounts import listing
from server.accounts.paging import Limit, Page, decode_cursor, page_of
from server.context import Context

Moment = Annotated[datetime, msgspec.Meta(tz=True)]


class LogQuery(msgspec.Struct):
    user_id: uuid.UUID | None = None
    email: str | None = None
    success: bool | None = None
    since: Moment | None = msgspec.field(name="from", default=None)
    until: Moment | None = msgspec.field(name="to", default=None)
    cursor: str | None = None
    limit: Limit = 50


class LogEntry(msgspec.Struct):
    id: int
    user_id: uuid.UUID | None
    email: str | None
    success: bool
    reason: str
    ip: str | None
    user_agent: str | None
    at: datetime


async def search(ctx: Context, query: LogQuery) -> Page:
    """Newest first; `to` is exclusive, so consecutive periods never count a row twice."""
    before_id = decode_cursor(query.cursor, tuple[int])[0] if query.cursor else None
    async with ctx.db.acquire() as conn:
        rows = await listing.search_connection_logs(
            conn, user_id=query.user_id, email=query.email, success=query.success,
            since=query.since, until=query.until, before_id=before_id, limit=query.limit + 1)
    return page_of(rows, query.limit, lambda row: LogEntry(**row), lambda row: (row["id"],))
