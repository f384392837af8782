"""Downloading a component version: the bytes, and a line in the log the tech staff read."""
from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Literal

import asyncpg
import msgspec

from domain.errors import Invalid, NotFound
from server.accounts.erasure import ERASERS
from server.components import queries
from server.context import Context


class Downloader(msgspec.Struct, frozen=True):
    """Who asks, through which door, from where."""

    user_id: uuid.UUID | None
    api_key_id: uuid.UUID | None
    via: Literal["api", "npm"]
    ip: str | None
    user_agent: str | None


class Tarball(msgspec.Struct, frozen=True):
    name: str
    version: str
    data: bytes
    shasum: str


class DownloadView(msgspec.Struct, kw_only=True):
    id: int
    at: datetime
    name: str
    version: str
    user_id: uuid.UUID | None
    user_email: str | None
    api_key_id: uuid.UUID | None
    via: str
    ip: str | None


class DownloadPage(msgspec.Struct):
    items: list[DownloadView]
    next_cursor: str | None = None


async def download(ctx: Context, name: str, version: str, who: Downloader) -> Tarball:
    """The tarball of a published version; the download is logged with it, in one transaction."""
    async with ctx.db.acquire() as conn, conn.transaction():
        row = await queries.tarball(conn, name, version)
        if row is None:
            raise NotFound("no such component version")
        await queries.log_download(conn, name, version, who.user_id, who.api_key_id, who.via,
                                   who.ip, who.user_agent)
    return Tarball(name=name, version=version, data=row["tarball"], shasum=row["shasum"])


async def list_downloads(ctx: Context, cursor: str | None, limit: int) -> DownloadPage:
    before = _decode(cursor) if cursor else None
    async with ctx.db.acquire() as conn:
        rows = await queries.downloads(conn, before, limit + 1)
    items = [DownloadView(**dict(row)) for row in rows[:limit]]
    next_cursor = _encode(items[-1]) if len(rows) > limit else None
    return DownloadPage(items=items, next_cursor=next_cursor)


def _encode(item: DownloadView) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode((item.at, item.id))).decode().rstrip("=")


def _decode(raw: str) -> tuple[datetime, int]:
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        return msgspec.json.decode(decoded, type=tuple[datetime, int])
    except (ValueError, msgspec.DecodeError):
        raise Invalid("the cursor is not valid",
                      errors=[{"field": "cursor", "message": "is not a cursor from this list"}]) from None


async def erase_downloads(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    """An erased account's downloads keep what and when, not the address or the browser."""
    await queries.blank_downloads_of(conn, user_id)


if erase_downloads not in ERASERS:
    ERASERS.append(erase_downloads)
