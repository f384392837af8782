"""The sales dashboard in a real browser while the simulator brings the demo city to life."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from server.demo.people import people
from server.demo.seed import DEMO_PASSWORD
from tests.e2e.test_simulator import QUICK, demo_env, run_server_command
from tests.support import stores
from tests.support.http import call
from tests.support.live import ROOT, start_node

pytestmark = pytest.mark.browser
ZERO = re.compile(r"^(0|0,00\s€)$")


@pytest.fixture(scope="module")
def seeded_node(admin_database_url, redis_url, tmp_path_factory):
    """A seeded demo city and its node; asked for before the browser, whose loop would be running."""
    env = demo_env(admin_database_url, redis_url, "cesi_dash", tmp_path_factory.mktemp("dash"))
    seeded = run_server_command(env, "seed")
    assert seeded.returncode == 0, seeded.stderr
    node, url = start_node(env, "--with-worker")
    yield env, url
    node.stop()
    asyncio.run(stores.drop_database(admin_database_url, stores.database_of(env["DATABASE_URL"])))


def start_simulator(env: dict[str, str], url: str) -> subprocess.Popen:
    full = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")} | env
    return subprocess.Popen([sys.executable, "-m", "server", "simulate", "--base-url", url, *QUICK,
                             "--rate", "30", "--duration", "120", "--drain", "5"],
                            cwd=ROOT, env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_the_sales_dashboard_figures_rise_while_the_simulated_city_orders(seeded_node, browser):
    env, url = seeded_node
    status, tokens = call("POST", url + "/api/v1/auth/login",
                          {"email": people().staff[0].email, "password": DEMO_PASSWORD})
    assert status == 200, tokens
    context = browser.new_context(base_url=url, locale="fr-FR")
    page = context.new_page()
    page.goto("/")
    page.evaluate("pair => { localStorage.setItem('access_token', pair.access_token);"
                  " localStorage.setItem('refresh_token', pair.refresh_token); }", tokens)
    page.goto("/staff/sales")
    expect(page.locator("#live-state")).to_have_text("en direct")
    kpi = {name: page.locator(f"[data-kpi={name}] strong") for name in ("placed", "delivered", "volume_day_cents")}
    for figure in kpi.values():
        expect(figure).to_have_text(ZERO)

    simulator = start_simulator(env, url)
    try:
        expect(kpi["placed"]).not_to_have_text(ZERO, timeout=60_000)
        expect(kpi["volume_day_cents"]).not_to_have_text(ZERO, timeout=10_000)
        expect(kpi["delivered"]).not_to_have_text(ZERO, timeout=90_000)
    finally:
        simulator.send_signal(signal.SIGINT)
        output = simulator.communicate(timeout=60)[0]
        context.close()
    assert "Errors: none" in output, output[-3000:]
