"""Erasing an account (GDPR): personal data goes, anonymous figures stay."""
from __future__ import annotations

import logging
import uuid
from typing import Awaitable, Callable

import asyncpg

from domain.errors import NotFound
from server.accounts import queries
from server.accounts.announce import announce
from server.context import Context
from server.events import record

log = logging.getLogger(__name__)

Eraser = Callable[[asyncpg.Connection, uuid.UUID], Awaitable[None]]
# Features that keep personal data of their own (addresses on orders, API keys...) append
# here; each runs inside the erasure's transaction, so an account is erased whole or not at all.
ERASERS: list[Eraser] = []


async def erase_account(ctx: Context, user_id: uuid.UUID, *, by: uuid.UUID | None = None) -> None:
    """Blank the person's data, end every session at once, tell live channels."""
    async with ctx.db.acquire() as conn, conn.transaction():
        if await queries.user_for_update(conn, user_id) is None:
            raise NotFound("no such account")
        user = await queries.erase_user(conn, user_id)
        await queries.revoke_user_tokens(conn, user_id)
        await queries.erase_connection_logs(conn, user_id)
        for eraser in ERASERS:
            await eraser(conn, user_id)
        event = await record(conn, "user", user_id, "user.deleted", {"user_id": str(user_id)})
    log.info("account erased", extra={"user_id": str(user_id), "by": str(by or user_id)})
    await announce(ctx, user, [event])
