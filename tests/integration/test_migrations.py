import asyncio
import secrets

import asyncpg
import pytest

from server.db.migrate import available_migrations, migrate
from tests.support import stores


@pytest.fixture
async def empty_database(admin_database_url):
    name = f"cesi_mig_{secrets.token_hex(6)}"
    await stores.recreate_database(admin_database_url, name)
    yield stores.with_database(admin_database_url, name)
    await stores.drop_database(admin_database_url, name)


def write(folder, name, sql):
    (folder / name).write_text(sql)


async def applied_versions(url):
    conn = await asyncpg.connect(url)
    try:
        return [r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations ORDER BY version")]
    finally:
        await conn.close()


def test_migrations_are_ordered_by_number_not_by_name(tmp_path):
    write(tmp_path, "10_b.sql", "SELECT 1")
    write(tmp_path, "9_a.sql", "SELECT 1")
    assert [v for v, _ in available_migrations(tmp_path)] == ["9_a", "10_b"]


async def test_migrate_applies_each_file_once_and_is_idempotent(empty_database, tmp_path):
    write(tmp_path, "0001_a.sql", "CREATE TABLE a (id int)")
    write(tmp_path, "0002_b.sql", "CREATE TABLE b (id int)")
    assert await migrate(empty_database, tmp_path) == ["0001_a", "0002_b"]
    assert await migrate(empty_database, tmp_path) == []
    assert await applied_versions(empty_database) == ["0001_a", "0002_b"]


async def test_concurrent_migrations_apply_everything_exactly_once(empty_database, tmp_path):
    # CREATE TABLE without IF NOT EXISTS fails if two runners apply it twice
    for n in range(1, 6):
        write(tmp_path, f"{n:04d}_t{n}.sql", f"CREATE TABLE t{n} (id int); SELECT pg_sleep(0.02)")
    results = await asyncio.gather(*(migrate(empty_database, tmp_path) for _ in range(4)))
    assert sorted(v for result in results for v in result) == [f"{n:04d}_t{n}" for n in range(1, 6)]
    assert len(await applied_versions(empty_database)) == 5


async def test_a_failing_migration_leaves_no_trace_and_stops_the_run(empty_database, tmp_path):
    write(tmp_path, "0001_ok.sql", "CREATE TABLE ok (id int)")
    write(tmp_path, "0002_bad.sql", "CREATE TABLE half (id int); SELECT * FROM missing_table")
    write(tmp_path, "0003_later.sql", "CREATE TABLE later (id int)")
    with pytest.raises(asyncpg.UndefinedTableError):
        await migrate(empty_database, tmp_path)
    assert await applied_versions(empty_database) == ["0001_ok"]
    conn = await asyncpg.connect(empty_database)
    try:
        assert await conn.fetchval("SELECT to_regclass('half')") is None
    finally:
        await conn.close()


async def test_the_project_migrations_apply_to_an_empty_database(empty_database):
    applied = await migrate(empty_database)
    assert applied == [v for v, _ in available_migrations()]
