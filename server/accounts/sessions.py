"""Signing in and out: tokens issued, rotated, revoked; every attempt logged."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import asyncpg
import msgspec

from domain.accounts import LoginInput
from domain.errors import DomainError, Forbidden, RateLimited, Unauthenticated
from server.accounts import queries, throttle
from server.auth.tokens import hash_refresh_token, issue_access_token, new_refresh_token
from server.context import Context


class TokenPair(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"


class Client(msgspec.Struct, frozen=True):
    """Where a sign-in attempt comes from, for the connection log."""

    ip: str | None = None
    user_agent: str | None = None


def suspension_error(user: asyncpg.Record) -> Forbidden | None:
    """The refusal a suspended account gets, saying why and until when."""
    until = user["suspended_until"]
    if until is None or until <= datetime.now(timezone.utc):
        return None
    indefinite = until.year >= 9999
    detail = "this account is suspended" + ("" if indefinite else f" until {until.isoformat()}")
    reason = user["suspension_reason"] or ""
    return Forbidden(f"{detail}: {reason}" if reason else detail, code="account-suspended",
                     extra={"suspended_until": None if indefinite else until.isoformat(),
                            "reason": reason})


async def login(ctx: Context, data: LoginInput, client: Client) -> TokenPair:
    email = data.email.strip().lower()
    async with ctx.db.acquire() as conn:
        user = await queries.user_for_login(conn, email)
        # checked before the password, so a flood costs neither argon2 time nor a guess
        refusal = await throttle.login_refusal(ctx, email, client.ip)
        if refusal is None:
            matches = await ctx.passwords.verify(user["password_hash"] if user else None, data.password)
            refusal = _refusal(user, matches)
        await queries.insert_connection_log(
            conn, user_id=user["id"] if user else None, email=email, success=refusal is None,
            reason=_reason(refusal), ip=client.ip, user_agent=client.user_agent)
        if refusal:
            raise refusal
        async with conn.transaction():
            return await _issue(ctx, conn, user, family_id=uuid.uuid4())


def _reason(refusal: DomainError | None) -> str:
    if refusal is None:
        return "ok"
    return "rate-limited" if isinstance(refusal, RateLimited) else refusal.code


def _refusal(user: asyncpg.Record | None, matches: bool) -> Exception | None:
    if user is None or user["deleted_at"] is not None or not matches:
        return Unauthenticated("wrong e-mail address or password", code="bad-credentials")
    return suspension_error(user)


async def refresh(ctx: Context, token: str) -> TokenPair:
    """Rotate: the presented token is spent; presenting a spent one ends its whole family."""
    async with ctx.db.acquire() as conn, conn.transaction():
        row = await queries.refresh_token_for_update(conn, hash_refresh_token(token))
        if row is None or row["revoked_at"] or row["expires_at"] <= datetime.now(timezone.utc):
            raise Unauthenticated("this session has ended; sign in again", code="refresh-invalid")
        if row["used_at"] is None:
            user = await queries.user_by_id(conn, row["user_id"])
            if user is None or user["deleted_at"] is not None:
                raise Unauthenticated("this session has ended; sign in again", code="refresh-invalid")
            if error := suspension_error(user):
                raise error
            await queries.mark_refresh_token_used(conn, row["id"])
            return await _issue(ctx, conn, user, family_id=row["family_id"])
        await queries.revoke_family(conn, row["family_id"])
    # only a spent token gets here, and the family's revocation is committed
    raise Unauthenticated("this refresh token was already used; every session it started"
                          " has been ended", code="refresh-reused")


async def logout(ctx: Context, token: str) -> None:
    """End the session the token belongs to; unknown tokens are ignored (nothing to leak)."""
    async with ctx.db.acquire() as conn, conn.transaction():
        row = await queries.refresh_token_for_update(conn, hash_refresh_token(token))
        if row is not None:
            await queries.revoke_family(conn, row["family_id"])


async def _issue(ctx: Context, conn: asyncpg.Connection, user: asyncpg.Record,
                 family_id: uuid.UUID) -> TokenPair:
    settings = ctx.settings
    refresh_token, token_hash = new_refresh_token()
    expires_at = datetime.now(timezone.utc) + timedelta(seconds=settings.refresh_token_ttl_s)
    await queries.insert_refresh_token(conn, user["id"], family_id, token_hash, expires_at)
    access = issue_access_token(settings, user["id"], user["role"], user["token_version"])
    return TokenPair(access_token=access, refresh_token=refresh_token,
                     expires_in=settings.access_token_ttl_s)
