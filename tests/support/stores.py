"""Real Postgres and Redis for tests: the machine's when TEST_*_URL is set, else embedded."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from server.embedded import Embedded

ROOT = Path(__file__).resolve().parents[2]
EMBEDDED_DIR = ROOT / ".test-data"
_embedded = Embedded()  # the servers live as long as the test process


def admin_database_url() -> str:
    """A URL to a database we may CREATE DATABASE from."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    # one server for every test process: pgserver starts it under an inter-process lock
    return _embedded.start_postgres(EMBEDDED_DIR / "postgres")


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        return url
    return _embedded.start_redis(EMBEDDED_DIR / f"redis-{os.getpid()}")


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
