"""A person editing their own account: details, role profile, e-mail and password."""
from __future__ import annotations

import uuid

import asyncpg
from msgspec import UNSET

from domain.accounts import MePatch, normalize_email
from domain.errors import Conflict, Invalid, NotFound
from domain.profiles import merge_profile
from server.accounts import queries, throttle
from server.accounts.announce import announce
from server.context import Context


async def update_me(ctx: Context, user_id: uuid.UUID, patch: MePatch) -> asyncpg.Record:
    """Apply the patch; a new password ends every session, this one included."""
    async with ctx.db.acquire() as conn:
        before = await _live_user(conn, user_id)
    if patch.changes_credentials:
        await _check_current_password(ctx, before, patch.current_password)
    changes = await _changes(ctx, before, patch)
    if not changes:
        return before
    async with ctx.db.acquire() as conn, conn.transaction():
        user = await _live_user(conn, user_id, lock=True)
        if user["password_hash"] != before["password_hash"]:
            raise Conflict("the password changed meanwhile; try again", code="password-changed")
        updated = await _write(conn, user_id, changes)
    if "password_hash" in changes:
        await announce(ctx, updated)
    return updated


async def _live_user(conn: asyncpg.Connection, user_id: uuid.UUID, *, lock: bool = False):
    user = await (queries.user_for_update(conn, user_id) if lock
                  else queries.user_for_login_by_id(conn, user_id))
    if user is None or user["deleted_at"] is not None:
        raise NotFound("this account no longer exists")
    return user


async def _check_current_password(ctx: Context, user: asyncpg.Record, given) -> None:
    if given is UNSET:
        raise Invalid("changing the e-mail address or password needs your current password",
                      errors=[{"field": "current_password", "message": "is required"}])
    # a stolen access token must not become a way to guess the password
    if refusal := await throttle.account_refusal(ctx, user["email"]):
        raise refusal
    if not await ctx.passwords.verify(user["password_hash"], given):
        raise Invalid("the current password is not right",
                      errors=[{"field": "current_password", "message": "is not your current password"}])


async def _changes(ctx: Context, user: asyncpg.Record, patch: MePatch) -> dict:
    changes: dict = {}
    if patch.name is not UNSET:
        changes["name"] = patch.name.strip()
    for field in ("phone", "language"):
        if getattr(patch, field) is not UNSET:
            changes[field] = getattr(patch, field)
    if patch.profile is not UNSET:
        changes["profile"] = merge_profile(user["role"], user["profile"], patch.profile)
    if patch.email is not UNSET and normalize_email(patch.email) != user["email"]:
        changes["email"] = normalize_email(patch.email)
    if patch.password is not UNSET:
        changes["password_hash"] = await ctx.passwords.hash(patch.password)
    return changes


async def _write(conn: asyncpg.Connection, user_id: uuid.UUID, changes: dict) -> asyncpg.Record:
    new_password = "password_hash" in changes
    try:
        updated = await queries.update_user(conn, user_id, changes, bump_tokens=new_password)
    except asyncpg.UniqueViolationError:
        raise Conflict("an account with this e-mail address already exists",
                       code="email-taken") from None
    if new_password:
        await queries.revoke_user_tokens(conn, user_id)
    return updated
