"""Our real node, `python -m server serve`, on its own benchmark database and Redis prefix."""
from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg

from tests.bench.harness import ROOT, Server, free_port, log

ADMIN_URL = os.environ.get("BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "cesi_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_PREFIX = "cebench:"
# one key per runner process: tokens minted by the API stay valid across its servers
SECRET_KEY = secrets.token_urlsafe(48)


def database_url() -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{DATABASE}"


async def _ensure_database() -> None:
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DATABASE):
            await conn.execute(f'CREATE DATABASE "{DATABASE}"')
            log(f"created database {DATABASE}")
    finally:
        await conn.close()


def ensure_database() -> str:
    asyncio.run(_ensure_database())
    return database_url()


def our_server(core: int | str, *, env: str = "production", extra_env: dict[str, str] | None = None) -> Server:
    """Our node pinned to `core`; it applies pending migrations itself on start."""
    port = free_port()
    return Server(
        "cesi-eats", [sys.executable, "-m", "server", "serve"], port, core,
        env={"CESI_ENV": env, "HOST": "127.0.0.1", "PORT": str(port),
             "DATABASE_URL": ensure_database(), "REDIS_URL": REDIS_URL,
             "REDIS_PREFIX": REDIS_PREFIX, "SECRET_KEY": SECRET_KEY, "NODE_ID": f"bench-{port}",
             **(extra_env or {})},
    )


def tokens(roles: dict[str, int]) -> dict[str, list[dict]]:
    """Access tokens per role, made by a set-up node (light password hashing, both cores)
    sharing the benchmark node's database and secret; the measured node starts afterwards."""
    from tests.bench.accounts import TokenSource

    async def make(url: str) -> dict[str, list[dict]]:
        source = TokenSource(url, DATABASE)
        return {role: await source.tokens(role, count) for role, count in roles.items()}

    with our_server("0,1", env="test", extra_env={"ACCESS_TOKEN_TTL": "3600"}) as setup:
        started = time.monotonic()
        made = asyncio.run(make(setup.url))
        log(f"tokens for {roles} in {time.monotonic() - started:.1f}s")
    return made


def _user_id(token: str) -> str:
    """The token's subject, read without checking it: the node checks it."""
    claims = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["sub"]


def _write(name: str, data) -> str:
    path = Path(tempfile.mkdtemp(prefix="bench-plan-")) / name
    path.write_text(json.dumps(data))
    return str(path)


def live_server(core: int, workload: str, sockets: int, client_core: int) -> Server:
    """Our node with a plan of signed-in sockets for the generator (accounts made first)."""
    if workload == "idle":
        made = tokens({"customer": sockets})
        plan = [{"token": t["token"], "role": "customer", "order_id": None} for t in made["customer"]]
        server = our_server(core)
        server.loadgen_args = ["--plan", _write("plan.json", {"sockets": plan})]
        return server
    if workload == "fanout":
        pairs = sockets // 2
        made = tokens({"customer": pairs, "courier": pairs})
        plan, rooms = [], []
        for customer, courier in zip(made["customer"], made["courier"]):
            where = f"user:{_user_id(customer['token'])}"
            plan += [{"token": customer["token"], "role": "customer", "order_id": where},
                     {"token": courier["token"], "role": "courier", "order_id": where}]
            rooms.append(where)
        server = our_server(core)
        server.loadgen_args = ["--plan", _write("plan.json", {"sockets": plan}), "--external-gps"]
        server.note = ("fan-out half only: fixes published on each customer's room channel by a "
                       "driver as server.live.publish does; no courier `gps` socket event yet")
        _attach_gps_driver(server, _write("rooms.json", rooms), client_core)
        return server
    raise NotImplementedError(f"no plan for our node and workload {workload!r} yet")


def _attach_gps_driver(server: Server, rooms_path: str, core: int) -> None:
    """Start publishing fixes when the sockets are ready; stop at the window's end."""
    driver: list[subprocess.Popen] = []

    def start(line: dict) -> None:
        driver.append(subprocess.Popen(
            ["taskset", "-c", str(core), sys.executable, "-m", "tests.bench.gps_driver",
             "--rooms", rooms_path, "--redis-url", REDIS_URL, "--prefix", REDIS_PREFIX],
            cwd=ROOT, stdout=subprocess.PIPE, text=True))

    def stop(line: dict | None = None) -> dict:
        if not driver or driver[0].poll() is not None and driver[0].returncode != 0:
            return {"sent": 0}
        driver[0].send_signal(signal.SIGTERM)
        output, _ = driver[0].communicate(timeout=30)
        return json.loads(output.strip().splitlines()[-1])

    server.hooks.update({"ready": start, "end": stop})
    server.on_stop.append(lambda: driver and driver[0].poll() is None and driver[0].kill())
