"""`python -m server` as real processes: configured, zero-config, signals, bad settings."""
import asyncio
import secrets
import shutil
import subprocess
import sys

import asyncpg
import pytest

from tests.support.http import call
from tests.support.live import ROOT, ServerProcess, start_node
from tests.support.stores import EMBEDDED_DIR


def test_serve_with_configured_stores_is_ready_and_stops_cleanly_on_sigterm(live_env):
    node, url = start_node(live_env)
    assert call("GET", url + "/readyz") == (200, {"status": "ready", "postgres": "ok", "redis": "ok"})
    assert node.stop() == 0


@pytest.fixture
def data_dir():
    """A data folder the embedded Postgres's own system user can reach (pytest's tmp is 0700)."""
    folder = EMBEDDED_DIR / f"zero-config-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_zero_config_start_keeps_its_data_across_a_restart(data_dir):
    env = {"DATA_DIR": str(data_dir), "CESI_ENV": "development"}
    node, url = start_node(env)
    assert call("GET", url + "/readyz")[0] == 200
    dsn = f"postgresql://postgres@/postgres?host={data_dir / 'postgres'}"
    asyncio.run(_insert_marker(dsn))
    assert node.stop() == 0

    node, url = start_node(env)
    try:
        assert call("GET", url + "/readyz")[0] == 200
        assert asyncio.run(_count_markers(dsn)) == 1
    finally:
        assert node.stop() == 0


async def _insert_marker(dsn):
    conn = await asyncpg.connect(dsn)
    await conn.execute("INSERT INTO outbox (aggregate, aggregate_id, seq, type, data)"
                       " VALUES ('marker', gen_random_uuid(), 1, 'kept', '{}')")
    await conn.close()


async def _count_markers(dsn):
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval("SELECT count(*) FROM outbox WHERE aggregate = 'marker'")
    finally:
        await conn.close()


def test_worker_runs_until_sigterm_then_exits_cleanly(live_env):
    worker = ServerProcess(["worker"], live_env)
    worker.wait_for("worker running")
    assert worker.stop() == 0
    assert any(entry.get("msg") == "worker stopped" for entry in worker.log)


def test_bad_settings_stop_the_process_with_a_clear_message():
    result = subprocess.run(
        [sys.executable, "-m", "server", "migrate"], cwd=ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "PORT": "eighty", "DATABASE_URL": "mysql://x"}, timeout=60,
    )
    assert result.returncode == 2
    assert "PORT must be a whole number" in result.stderr
    assert "DATABASE_URL must be a URL starting with postgres://" in result.stderr
