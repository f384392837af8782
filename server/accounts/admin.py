"""What sales and tech staff do with accounts: search, view, edit, suspend, create."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime

import asyncpg
import msgspec
from msgspec import UNSET

from domain.accounts import AccountPatch, RegisterInput, normalize_email
from domain.errors import Conflict, Forbidden, Invalid, NotFound
from domain.roles import STAFF, Role
from server.accounts import listing, queries, registration, suspension
from server.accounts.announce import announce
from server.accounts.paging import Limit, Page, decode_cursor, page_of
from server.accounts.views import account_view
from server.context import Context

log = logging.getLogger(__name__)


class AccountQuery(msgspec.Struct):
    role: Role | None = None
    q: str | None = None
    cursor: str | None = None
    limit: Limit = 20


async def list_accounts(ctx: Context, query: AccountQuery) -> Page:
    after = decode_cursor(query.cursor, tuple[datetime, uuid.UUID]) if query.cursor else None
    async with ctx.db.acquire() as conn:
        rows = await listing.search_users(conn, role=query.role, q=query.q, after=after,
                                          limit=query.limit + 1)
    return page_of(rows, query.limit, account_view, lambda row: (row["created_at"], row["id"]))


async def get_account(ctx: Context, user_id: uuid.UUID) -> asyncpg.Record:
    async with ctx.db.acquire() as conn:
        user = await queries.user_by_id(conn, user_id)
    if user is None or user["deleted_at"] is not None:
        raise NotFound("no such account")
    return user


async def create_staff(ctx: Context, data: RegisterInput) -> asyncpg.Record:
    """Staff create staff; everyone else registers themselves."""
    if data.role not in STAFF:
        raise Invalid("staff create only sales and tech accounts",
                      errors=[{"field": "role", "message": "must be sales or tech"}])
    return await registration.register(ctx, data, by_staff=True)


async def edit_account(ctx: Context, actor: uuid.UUID, user_id: uuid.UUID,
                       patch: AccountPatch) -> asyncpg.Record:
    """Edit details and suspend or reactivate, in one transaction."""
    if patch.suspend is not UNSET and patch.reactivate:
        raise Invalid("suspend or reactivate, not both",
                      errors=[{"field": "reactivate", "message": "cannot go with suspend"}])
    if actor == user_id and (patch.suspend is not UNSET or patch.reactivate):
        raise Forbidden("you cannot suspend or reactivate your own account", code="self-suspension")
    events = []
    async with ctx.db.acquire() as conn, conn.transaction():
        user = await queries.user_for_update(conn, user_id)
        if user is None:
            raise NotFound("no such account")
        user = await _edit_details(conn, user, patch)
        if patch.suspend is not UNSET:
            user, event = await suspension.suspend(conn, user, patch.suspend)
            events.append(event)
        elif patch.reactivate and user["suspended_until"] is not None:
            user, event = await suspension.reactivate(conn, user)
            events.append(event)
    if events:
        log.info("account %s", events[0].type, extra={"user_id": str(user_id), "by": str(actor)})
        await announce(ctx, user, events)
    return user


async def _edit_details(conn: asyncpg.Connection, user: asyncpg.Record,
                        patch: AccountPatch) -> asyncpg.Record:
    changes = {field: getattr(patch, field) for field in ("name", "phone", "email")
               if getattr(patch, field) is not UNSET}
    if "email" in changes:
        changes["email"] = normalize_email(changes["email"])
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    if not changes:
        return user
    try:
        return await queries.update_user(conn, user["id"], changes)
    except asyncpg.UniqueViolationError:
        raise Conflict("an account with this e-mail address already exists",
                       code="email-taken") from None
