"""Real Postgres and Redis for tests: the machine's when TEST_*_URL is set, else embedded."""
from __future__ import annotations

import asyncio
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


def database_of(url: str) -> str:
    """The database a URL names (its path; the query may hold a socket folder's path)."""
    return urlsplit(url).path.lstrip("/")


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


async def count_reaches(conn: asyncpg.Connection, table: str, expected: int, timeout: float) -> int:
    """The table's row count once it is at least `expected`, woken by each insert into it (a
    statement trigger's NOTIFY, here for the wait only) rather than by polling."""
    channel, changed = f"rows_{table}", asyncio.Event()

    def on_insert(*_) -> None:
        changed.set()

    await conn.add_listener(channel, on_insert)
    await conn.execute(
        f"CREATE OR REPLACE FUNCTION {channel}() RETURNS trigger LANGUAGE plpgsql AS"
        f" $$ BEGIN PERFORM pg_notify('{channel}', ''); RETURN NULL; END $$;"
        f" CREATE OR REPLACE TRIGGER {channel} AFTER INSERT ON {table}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {channel}()")
    try:
        async with asyncio.timeout(timeout):
            while True:
                changed.clear()  # before counting: an insert after the count wakes the wait
                count = await conn.fetchval(f"SELECT count(*) FROM {table}")
                if count >= expected:
                    return count
                await changed.wait()
    finally:
        await conn.execute(f"DROP TRIGGER {channel} ON {table}; DROP FUNCTION {channel}()")
        await conn.remove_listener(channel, on_insert)
