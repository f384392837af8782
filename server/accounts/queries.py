"""SQL for users, refresh tokens and the connection log; the caller owns the transaction."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

USER_COLUMNS = (
    "id, role, email, name, phone, language, profile, referral_code, referred_by, credit_cents,"
    " suspended_until, suspension_reason, token_version, created_at, updated_at, deleted_at"
)


async def insert_user(conn: asyncpg.Connection, *, role: str, email: str, password_hash: str,
                      name: str, phone: str | None, language: str, referral_code: str,
                      referred_by: uuid.UUID | None, profile: dict | None = None) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO users (role, email, password_hash, name, phone, language, referral_code,"
        " referred_by, profile) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        f" RETURNING {USER_COLUMNS}",
        role, email, password_hash, name, phone, language, referral_code, referred_by, profile or {},
    )


async def user_by_id(conn: asyncpg.Connection, user_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {USER_COLUMNS} FROM users WHERE id = $1", user_id)


async def user_for_login(conn: asyncpg.Connection, email: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE lower(email) = $1", email)


async def user_by_referral_code(conn: asyncpg.Connection, code: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {USER_COLUMNS} FROM users WHERE referral_code = $1 AND deleted_at IS NULL", code)


async def insert_refresh_token(conn: asyncpg.Connection, user_id: uuid.UUID, family_id: uuid.UUID,
                               token_hash: bytes, expires_at: datetime) -> None:
    await conn.execute(
        "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)"
        " VALUES ($1, $2, $3, $4)", user_id, family_id, token_hash, expires_at)


async def refresh_token_for_update(conn: asyncpg.Connection, token_hash: bytes) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT id, user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens"
        " WHERE token_hash = $1 FOR UPDATE", token_hash)


async def mark_refresh_token_used(conn: asyncpg.Connection, token_id: uuid.UUID) -> None:
    await conn.execute("UPDATE refresh_tokens SET used_at = now() WHERE id = $1", token_id)


async def revoke_family(conn: asyncpg.Connection, family_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
        family_id)


async def revoke_user_tokens(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
        user_id)


async def insert_connection_log(conn: asyncpg.Connection, *, user_id: uuid.UUID | None,
                                email: str, success: bool, reason: str, ip: str | None,
                                user_agent: str | None) -> None:
    await conn.execute(
        "INSERT INTO connection_logs (user_id, email, success, reason, ip, user_agent)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        user_id, email[:254], success, reason, ip, (user_agent or "")[:500])
