"""A live server process per test process, and a real headless Chromium per module."""
from __future__ import annotations

import asyncio
import os
import secrets

import pytest

from tests.support import stores
from tests.support.live import start_node

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
_TAG = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


@pytest.fixture(scope="session")
def live_env(admin_database_url, redis_url, tmp_path_factory) -> dict[str, str]:
    """Environment of a node serving its own database, as a deployed node would."""
    name = f"cesi_live_{_TAG}"
    asyncio.run(stores.recreate_database(admin_database_url, name))
    env = {
        "CESI_ENV": "test", "DATABASE_URL": stores.with_database(admin_database_url, name),
        "REDIS_URL": redis_url, "REDIS_PREFIX": f"live{secrets.token_hex(3)}:",
        "SECRET_KEY": secrets.token_urlsafe(40), "DATA_DIR": str(tmp_path_factory.mktemp("live")),
    }
    yield env
    asyncio.run(stores.drop_database(admin_database_url, name))


@pytest.fixture(scope="session")
def live_server(live_env) -> str:
    node, url = start_node(live_env, "--with-worker")
    yield url
    node.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
