"""Everything the platform holds about one person, as one JSON document (GDPR access)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

import asyncpg

from domain.errors import NotFound
from server.accounts import listing, queries
from server.context import Context

Collect = Callable[[asyncpg.Connection, uuid.UUID], Awaitable[Any]]


async def _connection_log(conn: asyncpg.Connection, user_id: uuid.UUID) -> list[dict]:
    return [dict(row) for row in await listing.connection_logs_of(conn, user_id)]


async def _referees(conn: asyncpg.Connection, user_id: uuid.UUID) -> list[dict]:
    rows = await listing.referees_of(conn, user_id, limit=100_000)
    return [{"joined_at": r["created_at"], "rewarded": r["rewarded"]} for r in rows]


# (section name, collector). Features holding a person's data append theirs (orders,
# deliveries, notifications...). A collector gets the export's read-only connection and
# the user id, and returns JSON-encodable data: dicts, lists, msgspec Structs, records.
EXPORT_SECTIONS: list[tuple[str, Collect]] = [
    ("connection_log", _connection_log),
    ("referees", _referees),
]
_ACCOUNT_FIELDS = ("id", "role", "email", "name", "phone", "language", "profile", "referral_code",
                   "referred_by", "credit_cents", "suspended_until", "suspension_reason",
                   "created_at", "updated_at")


async def export_account(ctx: Context, user_id: uuid.UUID) -> dict[str, Any]:
    """One consistent snapshot of the account and every section."""
    async with ctx.db.acquire() as conn, conn.transaction(isolation="repeatable_read",
                                                          readonly=True):
        user = await queries.user_by_id(conn, user_id)
        if user is None or user["deleted_at"] is not None:
            raise NotFound("this account no longer exists")
        document: dict[str, Any] = {
            "exported_at": datetime.now(timezone.utc),
            "account": {field: user[field] for field in _ACCOUNT_FIELDS},
        }
        for name, collect in EXPORT_SECTIONS:
            document[name] = _plain(await collect(conn, user_id))
    return document


def _plain(value: Any) -> Any:
    """Records become dicts, so collectors may hand back what asyncpg gave them."""
    if isinstance(value, asyncpg.Record):
        return dict(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
