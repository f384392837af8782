"""SQL for components and their download log; the caller owns the transaction."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

VERSION_COLUMNS = ("name, version, description, manifest, size_bytes, shasum, integrity,"
                   " published_at, removed_at")


async def insert_version(conn: asyncpg.Connection, package, published_by: uuid.UUID) -> asyncpg.Record | None:
    """None when this name and version exist already, published or removed."""
    return await conn.fetchrow(
        "INSERT INTO components (name, version, description, manifest, tarball, size_bytes,"
        " shasum, integrity, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        f" ON CONFLICT DO NOTHING RETURNING {VERSION_COLUMNS}",
        package.name, package.version, package.description, package.manifest, package.tarball,
        len(package.tarball), package.shasum, package.integrity, published_by)


async def live_versions(conn: asyncpg.Connection, name: str | None = None) -> list[asyncpg.Record]:
    """Published versions, of one component or all, by name."""
    return await conn.fetch(
        f"SELECT {VERSION_COLUMNS} FROM components WHERE removed_at IS NULL"
        " AND ($1::text IS NULL OR name = $1) ORDER BY name, published_at", name)


async def tarball(conn: asyncpg.Connection, name: str, version: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT name, version, tarball, shasum, integrity FROM components"
        " WHERE name = $1 AND version = $2 AND removed_at IS NULL", name, version)


async def remove(conn: asyncpg.Connection, name: str, version: str | None, at: datetime) -> int:
    """Withdraw one version or all; the rows stay so the numbers are never reused."""
    result = await conn.execute(
        "UPDATE components SET removed_at = $3, tarball = ''::bytea WHERE name = $1"
        " AND ($2::text IS NULL OR version = $2) AND removed_at IS NULL", name, version, at)
    return int(result.split()[-1])


async def log_download(conn: asyncpg.Connection, name: str, version: str, user_id: uuid.UUID | None,
                       api_key_id: uuid.UUID | None, via: str, ip: str | None,
                       user_agent: str | None) -> None:
    await conn.execute(
        "INSERT INTO component_downloads (name, version, user_id, api_key_id, via, ip, user_agent)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        name, version, user_id, api_key_id, via, ip, (user_agent or "")[:300] or None)


async def downloads(conn: asyncpg.Connection, before: tuple[datetime, int] | None,
                    limit: int) -> list[asyncpg.Record]:
    """Newest first, paged by (at, id), with who downloaded."""
    return await conn.fetch(
        "SELECT d.id, d.name, d.version, d.user_id, u.email AS user_email, d.api_key_id, d.via,"
        " d.ip, d.at FROM component_downloads d LEFT JOIN users u ON u.id = d.user_id"
        " WHERE ($1::timestamptz IS NULL OR (d.at, d.id) < ($1, $2))"
        " ORDER BY d.at DESC, d.id DESC LIMIT $3",
        before[0] if before else None, before[1] if before else 0, limit)


async def blank_downloads_of(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE component_downloads SET ip = NULL, user_agent = NULL WHERE user_id = $1", user_id)
