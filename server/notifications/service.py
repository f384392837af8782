"""notify() inside a change's transaction, push_notifications() after its commit, and reading."""
from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from domain.errors import Invalid, NotFound
from server.accounts.erasure import ERASERS
from server.context import Context
from server.live.access import room
from server.live.publish import live_message, send
from server.notifications import messages, queries


class Notification(msgspec.Struct, omit_defaults=True):
    """One notification; user_id is left out of what its owner is shown."""

    id: uuid.UUID
    kind: str
    title: str
    body: str
    data: dict[str, Any]
    read_at: datetime | None
    created_at: datetime
    user_id: uuid.UUID | None = None


class NotificationPage(msgspec.Struct):
    items: list[Notification]
    unread: int
    next_cursor: str | None = None


def _of(row: asyncpg.Record) -> Notification:
    return Notification(**dict(row))


async def notify(conn: asyncpg.Connection, user_id: uuid.UUID, kind: str,
                 params: dict[str, Any] | None = None, data: dict[str, Any] | None = None) -> Notification:
    """Write one notification in the person's language; push it with push_notifications after commit."""
    if not messages.is_known(kind):
        raise ValueError(f"unknown notification kind {kind!r}; register_kind() it first")
    language = await queries.user_language(conn, user_id) or messages.DEFAULT_LANGUAGE
    title, body = messages.render(kind, language, params or {})
    return _of(await queries.insert(conn, user_id, kind, title, body, data or {}))


async def notify_each(conn: asyncpg.Connection, recipients: list[tuple[uuid.UUID, str]],
                      params: dict[str, Any] | None = None,
                      data: dict[str, Any] | None = None) -> list[Notification]:
    """notify() for several (person, kind) at once: one statement, not two per person."""
    notes = []
    for user_id, kind in recipients:
        if not messages.is_known(kind):
            raise ValueError(f"unknown notification kind {kind!r}; register_kind() it first")
        texts = {language: messages.render(kind, language, params or {}) for language in messages.LANGUAGES}
        notes.append({"user_id": user_id, "kind": kind, "texts": texts, "data": data or {}})
    if not notes:
        return []
    return [_of(row) for row in await queries.insert_each(conn, notes, messages.DEFAULT_LANGUAGE)]


async def push_notifications(ctx: Context, notifications: list[Notification]) -> None:
    """After commit: each to its person's sockets on every node, all in one Redis round trip;
    a failure loses nothing stored."""
    await send(ctx, [(ctx.key("room", room("user", note.user_id)),
                      live_message("notification", msgspec.structs.replace(note, user_id=None),
                                   at=note.created_at))
                     for note in notifications])


async def list_notifications(ctx: Context, user_id: uuid.UUID, cursor: str | None,
                             limit: int) -> NotificationPage:
    after = _decode_cursor(cursor) if cursor else None
    async with ctx.db.acquire() as conn:
        rows = await queries.page(conn, user_id, after, limit + 1)
        unread = await queries.unread_count(conn, user_id)
    shown = [msgspec.structs.replace(_of(row), user_id=None) for row in rows[:limit]]
    next_cursor = _encode_cursor(shown[-1]) if len(rows) > limit else None
    return NotificationPage(items=shown, unread=unread, next_cursor=next_cursor)


async def mark_read(ctx: Context, user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification:
    """Only one's own: someone else's notification is not found."""
    async with ctx.db.acquire() as conn:
        row = await queries.mark_read(conn, user_id, notification_id)
    if row is None:
        raise NotFound("no such notification")
    return msgspec.structs.replace(_of(row), user_id=None)


def _encode_cursor(note: Notification) -> str:
    raw = msgspec.json.encode((note.created_at, note.id))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(raw: str) -> tuple[datetime, uuid.UUID]:
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        return msgspec.json.decode(decoded, type=tuple[datetime, uuid.UUID])
    except (ValueError, msgspec.DecodeError):
        raise Invalid("the cursor is not valid",
                      errors=[{"field": "cursor", "message": "is not a cursor from this list"}]) from None


async def erase_notifications(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    """An erased account's notifications go with it: they name orders, places and people."""
    await queries.delete_for_user(conn, user_id)


if erase_notifications not in ERASERS:
    ERASERS.append(erase_notifications)
