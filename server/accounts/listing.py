"""Read-side SQL for staff lists, referrals and exports; the caller owns the connection."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from server.accounts.queries import USER_COLUMNS

LOG_COLUMNS = "id, user_id, email, success, reason, ip, user_agent, at"


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


async def search_users(conn: asyncpg.Connection, *, role: str | None, q: str | None,
                       after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
    """Live accounts, newest first; q matches the name or e-mail address."""
    conditions, args = ["deleted_at IS NULL"], []
    if role:
        args.append(role)
        conditions.append(f"role = ${len(args)}")
    if q:
        args.append(_like(q.strip()))
        conditions.append(f"(name ILIKE ${len(args)} OR email ILIKE ${len(args)})")
    if after:
        args.extend(after)
        conditions.append(f"(created_at, id) < (${len(args) - 1}, ${len(args)})")
    args.append(limit)
    return await conn.fetch(
        f"SELECT {USER_COLUMNS} FROM users WHERE {' AND '.join(conditions)}"
        f" ORDER BY created_at DESC, id DESC LIMIT ${len(args)}", *args)


async def search_connection_logs(conn: asyncpg.Connection, *, user_id: uuid.UUID | None,
                                 email: str | None, success: bool | None, since: datetime | None,
                                 until: datetime | None, before_id: int | None,
                                 limit: int) -> list[asyncpg.Record]:
    """Sign-in attempts, newest first, narrowed by whichever filters are given."""
    filters = [("user_id = ${}", user_id), ("lower(email) = ${}", email and email.strip().lower()),
               ("success = ${}", success), ("at >= ${}", since), ("at < ${}", until),
               ("id < ${}", before_id)]
    conditions, args = [], []
    for template, value in filters:
        if value is not None:
            args.append(value)
            conditions.append(template.format(len(args)))
    args.append(limit)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return await conn.fetch(
        f"SELECT {LOG_COLUMNS} FROM connection_logs {where} ORDER BY id DESC LIMIT ${len(args)}",
        *args)


async def connection_logs_of(conn: asyncpg.Connection, user_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {LOG_COLUMNS} FROM connection_logs WHERE user_id = $1 ORDER BY id", user_id)


async def referees_of(conn: asyncpg.Connection, user_id: uuid.UUID,
                      limit: int = 500) -> list[asyncpg.Record]:
    """The people this account brought in, with whether their reward was granted."""
    return await conn.fetch(
        "SELECT u.name, u.created_at, r.referrer_cents IS NOT NULL AS rewarded,"
        " coalesce(r.referrer_cents, 0) AS referrer_cents FROM users u"
        " LEFT JOIN referral_rewards r ON r.referee_id = u.id"
        " WHERE u.referred_by = $1 ORDER BY u.created_at DESC LIMIT $2", user_id, limit)
