"""Fixtures: a real Postgres database per test process, Redis, apps and live nodes."""
from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path

import msgspec
import pytest
import redis.asyncio as aioredis

from server.app import create_app
from server.db.migrate import migrate
from server.settings import Settings
from tests.support import stores

_PROCESS_TAG = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


@pytest.fixture(scope="session")
def admin_database_url() -> str:
    return stores.admin_database_url()


@pytest.fixture(scope="session")
def migrated_database_url(admin_database_url):
    """A fresh, migrated database owned by this test process, dropped at the end."""
    name = f"cesi_test_{_PROCESS_TAG}"
    asyncio.run(stores.recreate_database(admin_database_url, name))
    url = stores.with_database(admin_database_url, name)
    asyncio.run(migrate(url))
    yield url
    asyncio.run(stores.drop_database(admin_database_url, name))


@pytest.fixture
async def database_url(migrated_database_url) -> str:
    """The process's database, emptied before the test."""
    await stores.truncate_all(migrated_database_url)
    return migrated_database_url


@pytest.fixture(scope="session")
def redis_url() -> str:
    return stores.redis_url()


@pytest.fixture
async def redis_prefix(redis_url):
    """A key prefix of the test's own; its keys are removed afterwards."""
    prefix = f"t{secrets.token_hex(4)}:"
    yield prefix
    client = aioredis.from_url(redis_url)
    async for key in client.scan_iter(match=prefix + "*", count=500):
        await client.delete(key)
    await client.aclose()


@pytest.fixture
def settings(database_url, redis_url, redis_prefix, tmp_path) -> Settings:
    return Settings(
        env="test", database_url=database_url, redis_url=redis_url, redis_prefix=redis_prefix,
        secret_key="test-secret-" + "x" * 40, data_dir=tmp_path, node_id="node-a",
    )


@pytest.fixture
def make_app(settings):
    """Build an app (a node) from the test settings, with optional overrides."""
    def build(**overrides):
        return create_app(msgspec.structs.replace(settings, **overrides))
    return build


@pytest.fixture
async def client(make_app, aiohttp_client):
    return await aiohttp_client(make_app())


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return stores.ROOT
