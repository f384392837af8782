"""W4 order placement: our POST /api/v1/orders end to end under wrk (auth, validation,
pricing, sandbox payment, transaction, outbox, live push) beside pgbench running the
order-shaped transaction (order + 3 lines + 1 outbox row) at the same concurrency; and
that SQL from Python through our asyncpg pool, to see what the driver costs.

    python -m tests.bench.w4_orders --clients 16 --seconds 30
    python -m tests.bench.w4_orders --skip-peers --profile   # ours only, with where its CPU goes
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

from tests.bench.harness import BENCH, ROOT, emit, log, machine, ratio
from tests.bench.ours import ensure_database

SQL_DIR = BENCH / "sql"
ORDER = """INSERT INTO w4.orders (id, customer_id, restaurant_id, status, subtotal_cents,
 delivery_fee_cents, service_fee_cents, total_cents, address, payment_ref)
 VALUES (gen_random_uuid(), md5($1::text)::uuid, md5($2::text)::uuid, 'placed', 2400, 299, 120,
 2819, $3, 'sbx_' || $1::text) RETURNING id"""
LINES = """INSERT INTO w4.order_lines (order_id, line_no, article_id, name, quantity,
 unit_price_cents, options) VALUES
 ($1, 1, md5($2::int::text)::uuid, 'Burger maison', 1, 1200, $3),
 ($1, 2, md5(($2::int + 1)::text)::uuid, 'Frites', 2, 350, '[]'),
 ($1, 3, md5(($2::int + 2)::text)::uuid, 'Limonade', 1, 500, '[]')"""
OUTBOX = """INSERT INTO w4.outbox (aggregate, aggregate_id, seq, type, data)
 SELECT 'order', $1, coalesce(max(seq), 0) + 1, 'order.placed', $2 FROM w4.outbox
 WHERE aggregate = 'order' AND aggregate_id = $1"""
ADDRESS = {"line1": "1 rue de Rivoli", "city": "Paris", "postcode": "75001", "lat": 48.8566, "lng": 2.3522}


async def _prepare(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute((SQL_DIR / "w4_schema.sql").read_text())
        await conn.execute("TRUNCATE w4.orders, w4.order_lines, w4.outbox")
    finally:
        await conn.close()


async def _place(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn, conn.transaction():
        order_id = await conn.fetchval(ORDER, str(random.randint(1, 100000)),
                                       str(random.randint(1, 1000)), ADDRESS)
        await conn.execute(LINES, order_id, random.randint(1, 20000),
                           [{"group": "Cuisson", "name": "A point"}])
        await conn.execute(OUTBOX, order_id, {"status": "placed", "total_cents": 2819})


async def asyncpg_loop(url: str, clients: int, seconds: float) -> dict:
    """`clients` coroutines placing orders back to back through our pool (msgspec JSON codecs)."""
    from server.db.pool import create_pool

    pool = await create_pool(url, min_size=clients, max_size=clients)
    done = 0
    latencies: list[float] = []

    async def client(deadline: float) -> None:
        nonlocal done
        while time.monotonic() < deadline:
            started = time.perf_counter()
            await _place(pool)
            latencies.append(time.perf_counter() - started)
            done += 1

    try:
        await asyncio.gather(*(client(time.monotonic() + 2) for _ in range(clients)))  # warm-up
        done, latencies = 0, []
        started, cpu = time.monotonic(), time.process_time()
        await asyncio.gather(*(client(started + seconds) for _ in range(clients)))
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    finally:
        await pool.close()
    latencies.sort()
    return {"tps": round(done / elapsed, 1), "transactions": done,
            "python_cpu_pct": round(100 * cpu / elapsed, 1),
            "latency_avg_ms": round(1000 * sum(latencies) / len(latencies), 2),
            "latency_p99_ms": round(1000 * latencies[int(0.99 * len(latencies))], 2)}


def pgbench(url: str, core: int, clients: int, seconds: int) -> dict:
    argv = ["taskset", "-c", str(core), "pgbench", "-n", "-M", "prepared", "-c", str(clients),
            "-j", "1", "-T", str(seconds), "-f", str(SQL_DIR / "w4_order.sql"), url]
    output = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", output).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", output).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", output)
    return {"tps": round(tps, 1), "latency_avg_ms": latency, "failed": int(failed.group(1)) if failed else 0}


def run_loop_pinned(url: str, core: int, clients: int, seconds: int) -> dict:
    argv = ["taskset", "-c", str(core), sys.executable, "-m", "tests.bench.w4_orders", "--loop",
            "--clients", str(clients), "--seconds", str(seconds), "--url", url]
    output = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True,
                            timeout=seconds + 60).stdout
    return json.loads(output.strip().splitlines()[-1])


def ours_http(args: argparse.Namespace) -> dict:
    """POST /api/v1/orders under wrk at the same concurrency, as many customers in turn."""
    from tests.bench.fixtures import order_body
    from tests.bench.ours import catalogue, our_server, prepare
    from tests.bench.profile import Profile
    from tests.bench.w5_rest import wrk

    restaurant = catalogue(neighbours=0)
    customers = prepare({"customer": args.customers})["customer"]
    folder = Path(tempfile.mkdtemp(prefix="bench-w4-"))
    (folder / "tokens.txt").write_text("\n".join(c["token"] for c in customers) + "\n")
    (folder / "body.json").write_text(json.dumps(order_body(restaurant)))

    def script() -> list[str]:
        """Each wrk run's keys are its own: the window must place orders, not replay the warm-up's."""
        return [str(BENCH / "wrk" / "place_order.lua"), str(folder / "tokens.txt"),
                str(folder / "body.json"), uuid.uuid4().hex[:12]]
    with our_server(args.server_core) as server:
        wrk(server.url, args.client_core, 2, args.clients, script())  # warm-up
        spy = Profile(server.pid, max(1, args.seconds - 2), args.client_core) if args.profile else None
        before = server.sample()
        figures = wrk(server.url, args.client_core, args.seconds, args.clients, script())
        after = server.sample()
    cpu, elapsed = after["cpu_s"] - before["cpu_s"], after["at"] - before["at"]
    profile = {"profile": spy.summary(25)} if spy else {}
    return {"orders_per_s": figures["req_per_s"], "p50_ms": figures["p50_ms"], "p99_ms": figures["p99_ms"],
            "non_2xx": figures["non_2xx"], "socket_errors": figures["socket_errors"],
            "server_cpu_pct": round(100 * cpu / elapsed, 1),
            # what each order costs our one core, steadier than orders/s on a shared machine
            "server_cpu_ms_per_order": round(1000 * cpu / max(1.0, figures["req_per_s"] * elapsed), 2),
            "customers": args.customers, **profile}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.w4_orders", description=__doc__)
    parser.add_argument("--clients", type=int, default=16, help="pgbench clients = asyncpg coroutines")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--server-core", type=int, default=0, help="the asyncpg loop's core")
    parser.add_argument("--client-core", type=int, default=1, help="pgbench's and wrk's core")
    parser.add_argument("--customers", type=int, default=500, help="who place the orders, in turn")
    parser.add_argument("--skip-http", action="store_true", help="only pgbench and the asyncpg loop")
    parser.add_argument("--skip-peers", action="store_true", help="only our POST /api/v1/orders")
    parser.add_argument("--profile", action="store_true", help="add a py-spy summary of our node's window")
    parser.add_argument("--loop", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seconds > 120:
        parser.error("at most 120 s per side")
    if args.loop:
        import uvloop
        print(json.dumps(uvloop.run(asyncpg_loop(args.url, args.clients, args.seconds))))
        return
    url = ensure_database()
    peer, python = {"tps": None}, {"tps": None}
    if not args.skip_peers:
        asyncio.run(_prepare(url))
        peer = pgbench(url, args.client_core, args.clients, args.seconds)
        log(f"pgbench: {peer}")
        asyncio.run(_prepare(url))
        python = run_loop_pinned(url, args.server_core, args.clients, args.seconds)
        log(f"asyncpg: {python}")
    ours = None if args.skip_http else ours_http(args)
    log(f"ours: {ours}")
    emit({
        "workload": "W4", "clients": args.clients, "seconds": args.seconds,
        "ours": ours and {"tool": "wrk POST /api/v1/orders", **ours},
        "peer": {"tool": "pgbench -M prepared", **peer},
        "asyncpg": {"tool": "asyncpg pool + uvloop, same SQL", **python},
        "ratio": {"ours_vs_pgbench": ratio(ours and ours["orders_per_s"], peer["tps"]),
                  "asyncpg_vs_pgbench_tps": ratio(python["tps"], peer["tps"])},
        "machine": {**machine(args.server_core, args.client_core), "postgres": "not pinned"},
    })


if __name__ == "__main__":
    main()
