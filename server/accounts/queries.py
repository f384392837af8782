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


async def user_for_update(conn: asyncpg.Connection, user_id: uuid.UUID) -> asyncpg.Record | None:
    """The live account, locked for the rest of the transaction."""
    return await conn.fetchrow(
        f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE id = $1 AND deleted_at IS NULL"
        " FOR UPDATE", user_id)


# Columns a person or staff may set directly; anything else is refused before SQL is built.
_EDITABLE = ("name", "phone", "language", "profile", "email", "password_hash")


async def update_user(conn: asyncpg.Connection, user_id: uuid.UUID, changes: dict,
                      *, bump_tokens: bool = False) -> asyncpg.Record:
    """Set the given columns; bump_tokens also ends every access token issued so far."""
    names = [name for name in _EDITABLE if name in changes]
    if len(names) != len(changes):
        raise ValueError(f"not editable: {set(changes) - set(names)}")
    assignments = [f"{name} = ${i}" for i, name in enumerate(names, start=2)]
    if bump_tokens:
        assignments.append("token_version = token_version + 1")
    return await conn.fetchrow(
        f"UPDATE users SET {', '.join(assignments + ['updated_at = now()'])} WHERE id = $1"
        f" RETURNING {USER_COLUMNS}", user_id, *(changes[name] for name in names))


async def set_suspension(conn: asyncpg.Connection, user_id: uuid.UUID, until: datetime | None,
                         reason: str | None) -> asyncpg.Record:
    """Suspend (until a date) or reactivate (None); tokens issued before stop working."""
    return await conn.fetchrow(
        "UPDATE users SET suspended_until = $2, suspension_reason = $3,"
        " token_version = token_version + 1, updated_at = now() WHERE id = $1"
        f" RETURNING {USER_COLUMNS}", user_id, until, reason)


async def lift_due_suspensions(conn: asyncpg.Connection, limit: int = 100) -> list[asyncpg.Record]:
    """Clear suspensions whose end has come; rows another worker holds are left to it."""
    return await conn.fetch(
        "UPDATE users SET suspended_until = NULL, suspension_reason = NULL, updated_at = now()"
        " WHERE id IN (SELECT id FROM users WHERE suspended_until <= now()"
        "   ORDER BY suspended_until LIMIT $1 FOR UPDATE SKIP LOCKED)"
        f" RETURNING {USER_COLUMNS}", limit)


async def erase_user(conn: asyncpg.Connection, user_id: uuid.UUID) -> asyncpg.Record:
    """Blank every personal column; id, role, referral links and dates stay for the figures."""
    return await conn.fetchrow(
        "UPDATE users SET email = NULL, password_hash = NULL, name = NULL, phone = NULL,"
        " profile = '{}', suspended_until = NULL, suspension_reason = NULL,"
        " token_version = token_version + 1, deleted_at = now(), updated_at = now()"
        f" WHERE id = $1 RETURNING {USER_COLUMNS}", user_id)


async def erase_connection_logs(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    """Keep the attempts (counts, times, outcomes) but not who typed what from where."""
    await conn.execute(
        "UPDATE connection_logs SET email = NULL, ip = NULL, user_agent = NULL WHERE user_id = $1",
        user_id)


async def user_for_login_by_id(conn: asyncpg.Connection, user_id: uuid.UUID) -> asyncpg.Record | None:
    """The account with its password hash, for checks that need the current password."""
    return await conn.fetchrow(f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE id = $1",
                               user_id)
