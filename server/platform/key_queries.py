"""SQL for API keys; the caller owns the transaction."""
from __future__ import annotations

import uuid

import asyncpg

KEY_COLUMNS = "id, user_id, name, public_id, scopes, plan, created_at, last_used_at, revoked_at"


async def insert_key(conn: asyncpg.Connection, *, user_id: uuid.UUID, name: str, public_id: str,
                     secret_hash: bytes, scopes: list[str]) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO api_keys (user_id, name, public_id, secret_hash, scopes)"
        f" VALUES ($1, $2, $3, $4, $5) RETURNING {KEY_COLUMNS}",
        user_id, name, public_id, secret_hash, scopes)


async def lock_owner(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    """Serialise key creation per owner, so the active-key cap holds under concurrency."""
    await conn.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", user_id)


async def count_active_keys(conn: asyncpg.Connection, user_id: uuid.UUID) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL", user_id)


async def active_keys(conn: asyncpg.Connection, user_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {KEY_COLUMNS} FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL"
        " ORDER BY created_at DESC, id", user_id)


async def revoke_key(conn: asyncpg.Connection, key_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """Revoke one of the owner's keys; False if it is not theirs (or does not exist)."""
    row = await conn.fetchrow(
        "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())"
        " WHERE id = $1 AND user_id = $2 RETURNING id", key_id, user_id)
    return row is not None


async def key_for_request(conn: asyncpg.Connection | asyncpg.Pool,
                          public_id: str) -> asyncpg.Record | None:
    """The key with what deciding on a request needs: its secret hash and its owner's state."""
    return await conn.fetchrow(
        f"SELECT k.{KEY_COLUMNS.replace(', ', ', k.')}, k.secret_hash, u.role,"
        " u.deleted_at, u.suspended_until, u.suspension_reason"
        " FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.public_id = $1", public_id)


async def touch_key(conn: asyncpg.Connection | asyncpg.Pool, key_id: uuid.UUID) -> None:
    """Record use; the condition keeps it to one write a minute whatever the traffic."""
    await conn.execute(
        "UPDATE api_keys SET last_used_at = now() WHERE id = $1"
        " AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", key_id)
