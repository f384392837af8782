"""Numbered .sql migrations, applied in order, each in its own transaction."""
from __future__ import annotations

import logging
from pathlib import Path

import asyncpg

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any constant works; it only has to be the same in every process that migrates.
_LOCK_ID = 0x0CE51EA7


def available_migrations(folder: Path = MIGRATIONS_DIR) -> list[tuple[str, str]]:
    """(version, sql) pairs sorted by their number prefix."""
    files = sorted(folder.glob("*.sql"), key=lambda p: int(p.name.split("_", 1)[0]))
    return [(path.stem, path.read_text()) for path in files]


async def migrate(dsn: str, folder: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations; safe to run from several processes at once."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_ID)
        try:
            return await _apply_pending(conn, available_migrations(folder))
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_ID)
    finally:
        await conn.close()


async def _apply_pending(conn: asyncpg.Connection, migrations: list[tuple[str, str]]) -> list[str]:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
    applied = []
    for version, sql in migrations:
        if version in done:
            continue
        async with conn.transaction():
            await conn.execute(sql)
            await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1)", version)
        log.info("applied migration %s", version)
        applied.append(version)
    return applied
