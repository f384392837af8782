"""Fault tests: real `serve` and `worker` processes on Postgres and Redis servers of their own.

Each test process gets one private Postgres cluster and one private Redis, which the tests
stop and start; each test gets a fresh database (copied from a migrated template) and its
own Redis prefix, and whatever it stopped is running again when it ends.
"""
from __future__ import annotations

import asyncio
import os
import secrets
import signal

import pytest

from server.db.migrate import migrate
from tests.faults.cluster import Stack
from tests.support.stores_private import PrivatePostgres, PrivateRedis, fresh_database

TEMPLATE = "cesi_faults_template"
BUDGET_S = 90  # no fault test may run longer, whatever hangs


@pytest.fixture(scope="session")
def private_postgres():
    postgres = PrivatePostgres().create()
    url = asyncio.run(fresh_database(postgres, TEMPLATE))
    asyncio.run(migrate(url))
    yield postgres
    postgres.destroy()


@pytest.fixture(scope="session")
def private_redis():
    redis = PrivateRedis().start()
    yield redis
    redis.stop()


@pytest.fixture
async def stack(private_postgres, private_redis, tmp_path):
    """A fresh database and Redis prefix; the processes a test starts are ended after it."""
    name = f"faults_{secrets.token_hex(4)}"
    url = await fresh_database(private_postgres, name, template=TEMPLATE)
    env = {
        "CESI_ENV": "test", "DATABASE_URL": url, "REDIS_URL": private_redis.url,
        "REDIS_PREFIX": f"f{secrets.token_hex(3)}:", "SECRET_KEY": secrets.token_urlsafe(40),
        "DATA_DIR": str(tmp_path), "MIGRATE_ON_START": "false", "LOG_LEVEL": "INFO",
    }
    stack = Stack(env, private_postgres, private_redis, tmp_path)
    try:
        yield stack
    finally:
        await stack.close()
        if not private_postgres.running():
            private_postgres.start()
        if private_redis.process is None or private_redis.process.poll() is not None:
            private_redis.start()


@pytest.fixture(autouse=True)
def budget():
    """A fault test that outlives its budget fails, rather than holding the run up."""
    def expired(signum, frame):
        raise TimeoutError(f"fault test over its {BUDGET_S}s budget")
    if os.name != "posix":
        yield
        return
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(BUDGET_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
