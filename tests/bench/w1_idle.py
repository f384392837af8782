"""W1 idle sockets: the server's memory per open, idle connection at growing counts,
without and with permessage-deflate offered (browsers offer it).

    python -m tests.bench.w1_idle --counts 5000,10000,20000
"""
from __future__ import annotations

import argparse
import time

from tests.bench.harness import Server, emit, log, machine, open_files_limit, ratio, run_loadgen
from tests.bench.targets import add_socket_arguments, socket_targets

FD_HEADROOM = 200  # the server's and the generator's own files besides the sockets


def measure(server: Server, counts: list[int], deflate: bool, settle_s: float, client_core: int) -> dict:
    rss: dict[int, int] = {}
    connected: dict[int, int] = {}

    def on_mark(name: str, line: dict) -> None:
        time.sleep(settle_s)  # let handshakes finish and the allocator settle
        count = line.get("count", 0)
        rss[count] = server.sample()["rss_kib"]
        connected[count] = line.get("connected", 0)
        log(f"{server.name}: {name} {count} rss={rss[count]} KiB")

    args = ["--workload", "idle", "--counts", ",".join(map(str, counts)), *server.loadgen_args]
    result = run_loadgen(server.url, client_core, args + (["--deflate"] if deflate else []), on_mark)
    points, previous = [], 0
    ramp = {point["count"]: point["connect_s"] for point in result["reached"]}
    for count in counts:
        points.append({
            "count": count, "connected": connected[count], "connect_s": ramp.get(count),
            "rss_mib": round(rss[count] / 1024, 1),
            "kib_per_conn": round((rss[count] - rss[0]) / connected[count], 1) if connected[count] else None,
            "kib_per_conn_marginal": round((rss[count] - rss[previous]) / max(1, connected[count] - connected[previous]), 1),
        })
        previous = count
    return {"server": server.name, "rss_empty_mib": round(rss[0] / 1024, 1), "points": points,
            "connect_failures": result["connect_failures"], "first_failure": result["first_failure"]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.w1_idle", description=__doc__)
    parser.add_argument("--counts", default="5000,10000,20000")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before each sample")
    parser.add_argument("--variants", choices=["plain", "deflate", "both"], default="deflate",
                        help="whether the generator offers permessage-deflate as browsers do (the "
                             "target's condition); a server that declines it measures the same both ways")
    parser.add_argument("--prepare-only", action="store_true",
                        help="make our node's accounts (slow the first time) and stop")
    add_socket_arguments(parser)
    args = parser.parse_args(argv)
    limit = open_files_limit() - FD_HEADROOM
    counts = sorted({min(int(c), limit) for c in args.counts.split(",")})
    if counts[-1] < max(int(c) for c in args.counts.split(",")):
        log(f"open-files limit: the largest count is capped at {counts[-1]}")
    if args.prepare_only:
        from tests.bench.ours import prepare
        from tests.bench.ours_live import _idle_accounts
        prepare(_idle_accounts(counts[-1]))
        return
    variants = {"plain": [False], "deflate": [True], "both": [False, True]}[args.variants]
    out: dict = {"workload": "W1", "counts": counts}
    servers = [(column, factory()) for column, factory in socket_targets(args, "idle", counts[-1])]
    for deflate in variants:
        key = "deflate" if deflate else "plain"
        figures = {}
        for column, server in servers:  # started afresh for each variant
            with server:
                figures[column] = measure(server, counts, deflate, args.settle, args.client_core)
        figures["ratio_kib_per_conn"] = [
            ratio(o["kib_per_conn"], p["kib_per_conn"])
            for o, p in zip(figures["ours"]["points"], figures["peer"]["points"])
        ]
        out[key] = figures
    out["machine"] = machine(args.server_core, args.client_core)
    emit(out)


if __name__ == "__main__":
    main()
