"""The simulator drives a real node through its API and sockets: orders go from the cart to the door."""
from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys

import asyncpg
import pytest

from tests.support import stores
from tests.support.live import ROOT, start_node

ROLES = ("client", "restaurant", "livreur", "développeur", "ventes", "technique")
# A small, quick city life: one kitchen, couriers riding fast, kitchens and customers 200 times faster.
QUICK = ["--customers", "4", "--restaurants", "1", "--couriers", "5", "--pace", "200", "--speed", "30",
         "--fix-interval", "0.5", "--max-trip-km", "0.6", "--cancel-rate", "0", "--seed", "7"]
PATHS = ({"order.created", "order.refused"}, {"order.created", "order.cancelled"},
         {"order.created", "order.accepted", "order.preparing", "order.ready", "order.picked_up", "order.delivered"})
FINAL = ("delivered", "refused", "cancelled")


def demo_env(admin_url: str, redis_url: str, name: str, data_dir) -> dict[str, str]:
    """A node's environment on a database of its own, named after the test process."""
    tag = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    asyncio.run(stores.recreate_database(admin_url, f"{name}_{tag}"))
    return {"CESI_ENV": "test", "DATABASE_URL": stores.with_database(admin_url, f"{name}_{tag}"),
            "REDIS_URL": redis_url, "REDIS_PREFIX": f"{name}{secrets.token_hex(3)}:",
            "SECRET_KEY": secrets.token_urlsafe(40), "DATA_DIR": str(data_dir)}


def run_server_command(env: dict[str, str], *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")} | env
    return subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demo_city(admin_database_url, redis_url, tmp_path_factory):
    """A seeded demo city served by a node with its worker: (env, base url, what the seed printed)."""
    env = demo_env(admin_database_url, redis_url, "cesi_sim", tmp_path_factory.mktemp("sim"))
    seeded = run_server_command(env, "seed")
    assert seeded.returncode == 0, seeded.stderr
    node, url = start_node(env, "--with-worker")
    yield env, url, seeded.stdout
    node.stop()
    asyncio.run(stores.drop_database(admin_database_url, stores.database_of(env["DATABASE_URL"])))


def test_the_seed_prints_where_to_sign_in_as_every_role(demo_city):
    _, _, printed = demo_city
    assert "Demo city: Lyon, 45 restaurants, 200 customers, 60 couriers" in printed
    assert "with the password 'demo-cesi-eats'" in printed
    for role in ROLES:
        assert any(line.strip().startswith(role + " ") and "@demo.cesieats.test" in line
                   for line in printed.splitlines()), role
    assert printed.count("(shown this once, keep it): ce_live_") == 2


async def test_a_bounded_simulation_takes_orders_all_the_way_to_the_door(demo_city, tmp_path):
    env, url, _ = demo_city
    report_file = tmp_path / "report.json"
    done = await asyncio.to_thread(run_server_command, env, "simulate", "--base-url", url, *QUICK,
                                   "--rate", "60", "--duration", "8", "--drain", "120", "--refuse-rate", "0.2",
                                   "--decline-rate", "0.3", "--report", str(report_file))
    report = json.loads(report_file.read_text())
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert report["errors"] == {}
    assert "Errors: none" in done.stdout and "Latency of place order" in done.stdout

    conn = await asyncpg.connect(env["DATABASE_URL"])
    try:
        orders = {str(r["id"]): r["status"] for r in await conn.fetch("SELECT id, status FROM orders")}
        assert orders == report["orders"] and set(orders.values()) <= set(FINAL)
        assert report["counts"]["delivered"] == list(orders.values()).count("delivered") >= 1
        for order_id in orders:
            events = await conn.fetch("SELECT seq, type FROM outbox WHERE aggregate = 'order'"
                                      " AND aggregate_id = $1 ORDER BY seq", order_id)
            assert [e["seq"] for e in events] == list(range(1, len(events) + 1)), order_id
            assert {e["type"] for e in events} in PATHS and events[0]["type"] == "order.created"
            assert await conn.fetchval("SELECT seq FROM orders WHERE id = $1", order_id) == len(events)
        undelivered = await conn.fetchval("SELECT count(*) FROM deliveries d JOIN orders o ON o.id = d.order_id"
                                          " WHERE o.status = 'delivered' AND d.status <> 'delivered'")
        assert undelivered == 0
        # fixes are written in batches about every second: the last batch may still be coming
        stored = await stores.count_reaches(conn, "courier_fixes", report["counts"]["fixes_sent"], timeout=15)
        assert stored == report["counts"]["fixes_sent"] > 0
    finally:
        await conn.close()
