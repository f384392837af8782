"""An endpoint's delivery log, newest first, and redelivery on demand."""
from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Annotated

import msgspec

from domain.errors import Invalid, NotFound
from server.catalogue.clock import now
from server.context import Context
from server.webhooks import delivery_queries as queries, endpoint_queries
from server.webhooks.endpoints import GONE
from server.webhooks.views import DeliveryPage, DeliveryView, delivery_view


class DeliveryQuery(msgspec.Struct, kw_only=True):
    cursor: str | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 20


async def _owned(conn, user_id: uuid.UUID, endpoint_id: uuid.UUID) -> None:
    if await endpoint_queries.owned(conn, endpoint_id, user_id) is None:
        raise NotFound(GONE)


async def list_deliveries(ctx: Context, user_id: uuid.UUID, endpoint_id: uuid.UUID,
                          cursor: str | None, limit: int) -> DeliveryPage:
    before = _position(cursor) if cursor else None
    async with ctx.db.acquire() as conn:
        await _owned(conn, user_id, endpoint_id)
        rows = await queries.page(conn, endpoint_id, before, limit + 1)
        views = await _views(conn, rows[:limit], ctx)
    next_cursor = str(rows[limit - 1]["position"]) if len(rows) > limit else None
    return DeliveryPage(items=views, next_cursor=next_cursor)


async def redeliver(ctx: Context, user_id: uuid.UUID, endpoint_id: uuid.UUID,
                    delivery_id: uuid.UUID) -> DeliveryView:
    """Send the same event again, now, whatever became of it; the original stays in the log."""
    async with ctx.db.acquire() as conn, conn.transaction():
        await _owned(conn, user_id, endpoint_id)
        if await queries.one(conn, endpoint_id, delivery_id) is None:
            raise NotFound("no such delivery")
        copy_id = await queries.insert_redelivery(conn, delivery_id, now(ctx))
        row = await queries.one(conn, endpoint_id, copy_id)
        return (await _views(conn, [row], ctx))[0]


async def _views(conn, rows, ctx: Context) -> list[DeliveryView]:
    attempts = defaultdict(list)
    for attempt in await queries.attempts_of(conn, [row["id"] for row in rows]):
        attempts[attempt["delivery_id"]].append(attempt)
    at = now(ctx)
    return [delivery_view(row, attempts[row["id"]], at) for row in rows]


def _position(cursor: str) -> int:
    if not cursor.isdigit() or len(cursor) > 18:
        raise Invalid("the cursor is not valid",
                      errors=[{"field": "cursor", "message": "is not a cursor from this list"}])
    return int(cursor)
