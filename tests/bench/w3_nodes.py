"""W3 live fan-out across nodes: W2's couriers and customers spread over two, then four of our
nodes sharing one database and Redis. Cross-node: each customer on another node than its
courier, so every fix crosses Redis to another node; same-node, for comparison: both on one.
The figure that matters is each node's CPU-s per 1,000 deliveries, which must not grow from
two nodes to four (a node must not pay for the traffic of rooms it does not hold).

Each node holds the same number of sockets whatever the count of nodes (`--sockets-per-node`),
so that a node's own load stays the same and only the nodes beside it change. With a fixed
total instead (`--sockets`), each node's share shrinks as nodes are added, and its CPU per
delivery grows even when no fix leaves its node: fewer messages share each turn of its loop.

    python -m tests.bench.w3_nodes --sockets-per-node 2500 --seconds 20
"""
from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import time
from pathlib import Path

from tests.bench.harness import Server, emit, log, machine, open_files_limit, ratio, run_loadgen
from tests.bench.ours import our_server
from tests.bench.profile import Profile

# How much the per-node figure may move from two nodes to four and still count as flat:
# the machine is shared, so runs a minute apart differ by about this much.
FLAT_WITHIN = 0.15
# A run where a side is this busy, or loses this share of fixes, measured a queue, not a cost.
BUSY_PCT, LOSS_PCT = 80, 1


def place(pairs: list[tuple[dict, dict]], urls: list[str], where: str) -> list[dict]:
    """The plan: pair k's courier on node k mod n, its customer on the next node (cross) or
    on the same one (same), so that every node holds as many couriers as customers."""
    plan = []
    for k, (customer, courier) in enumerate(pairs):
        home = k % len(urls)
        away = (home + 1) % len(urls) if where == "cross" else home
        plan += [{**customer, "url": urls[away]}, {**courier, "url": urls[home]}]
    return plan


def _plan_file(plan: list[dict]) -> str:
    path = Path(tempfile.mkdtemp(prefix="bench-plan-")) / "plan.json"
    path.write_text(json.dumps({"sockets": plan}))
    return str(path)


def per_1000(cpu_s: float, deliveries: float) -> float | None:
    return round(1000 * cpu_s / deliveries, 3) if deliveries else None


def measure(nodes: list[Server], pairs: list[tuple[dict, dict]], where: str,
            args: argparse.Namespace, extra: list[str]) -> dict:
    """One generator run over `nodes`; /proc of every node sampled at the window's ends."""
    plan = place(pairs, [node.url for node in nodes], where)
    samples: dict[str, list[dict]] = {}
    spy: list[Profile] = []

    def on_mark(name: str, line: dict) -> dict | None:
        if name in ("ready", "start", "end"):
            samples[name] = [node.sample() for node in nodes]
        if name == "start" and args.profile:
            spy.append(Profile(nodes[0].pid, args.seconds, args.client_core))
        return nodes[0].hook(name, line)  # the gps driver, when there is one, hangs on node 0

    result = run_loadgen(nodes[0].url, args.client_core,
                         ["--workload", "fanout", "--sockets", str(len(plan)), "--seconds",
                          str(args.seconds), "--warmup", str(args.warmup), "--plan", _plan_file(plan),
                          *extra], on_mark)
    window = result["window_s"]
    per_node = []
    for k, node in enumerate(nodes):
        before, after = samples["start"][k], samples["end"][k]
        counts = result["by_url"].get(node.url, {})
        cpu_s = after["cpu_s"] - before["cpu_s"]
        per_node.append({
            "port": node.port, **counts, "cpu_pct": round(100 * cpu_s / window, 1),
            "cpu_s_per_1000": per_1000(cpu_s, counts.get("received_in_window", 0)),
            "rss_idle_mib": round(samples["ready"][k]["rss_kib"] / 1024, 1),
            "rss_end_mib": round(after["rss_kib"] / 1024, 1),
        })
    nodes_cpu_pct = round(sum(node["cpu_pct"] for node in per_node), 1)
    deliveries = result["deliveries_per_s"] * window
    each = [node["cpu_s_per_1000"] for node in per_node if node["cpu_s_per_1000"] is not None]
    lost_pct = round(100 * result["lost"] / result["sent"], 2) if result["sent"] else None
    return {
        **{k: result[k] for k in ("couriers", "customers", "connect_failures", "subscribe_failures",
                                  "sent", "received", "lost", "out_of_order")},
        "lost_pct": lost_pct,
        "deliveries_per_s": round(result["deliveries_per_s"], 1),
        "latency_ms": {k: (round(v, 1) if isinstance(v, float) else v)
                       for k, v in result["latency_ms"].items()},
        "nodes_cpu_pct": nodes_cpu_pct,
        "loadgen_cpu_pct": round(result["loadgen_cpu_pct"], 1),
        "cpu_s_per_1000_all_nodes": per_1000(nodes_cpu_pct * window / 100, deliveries),
        "cpu_s_per_1000_per_node": {"mean": round(sum(each) / len(each), 3) if each else None,
                                    "max": max(each, default=None)},
        "saturated": (nodes_cpu_pct > BUSY_PCT or result["loadgen_cpu_pct"] > BUSY_PCT
                      or lost_pct is None or lost_pct > LOSS_PCT),
        "nodes": per_node,
        **({"profile_first_node": spy[0].summary()} if spy else {}),
    }


def run_nodes(count: int, pairs: list[tuple[dict, dict]], placements: list[str],
              args: argparse.Namespace, extra: list[str], rooms: list[str] | None) -> dict:
    """`count` nodes pinned to the node core, measured once per placement, then stopped."""
    with contextlib.ExitStack() as stack:
        nodes = [stack.enter_context(our_server(args.node_core)) for _ in range(count)]
        figures = {}
        for where in placements:
            if rooms is not None:  # a driver of its own for each run, from `ready` to `end`
                from tests.bench.ours_live import attach_gps_driver
                attach_gps_driver(nodes[0], rooms, args.client_core)
            figures[where] = measure(nodes, pairs, where, args, extra)
            brief = {k: figures[where][k] for k in ("deliveries_per_s", "lost", "nodes_cpu_pct",
                                                    "cpu_s_per_1000_per_node")}
            log(f"{count} nodes, {where}-node: {json.dumps(brief)}")
            if figures[where]["lost"] < 0:
                log("more deliveries than fixes sent: another run is sending on the same orders")
        return figures


def growth(runs: dict[str, dict], placements: list[str], counts: list[int]) -> dict:
    """Per-node CPU-s per 1,000 deliveries at the most nodes over the fewest, per placement."""
    first, last = str(counts[0]), str(counts[-1])
    return {where: ratio(runs[last][where]["cpu_s_per_1000_per_node"]["mean"],
                         runs[first][where]["cpu_s_per_1000_per_node"]["mean"])
            for where in placements}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.w3_nodes", description=__doc__)
    parser.add_argument("--sockets-per-node", type=int, default=2500,
                        help="half of them couriers; fewer leave the per-node CPU within noise")
    parser.add_argument("--sockets", type=int, default=None,
                        help="a fixed total spread over each count of nodes instead")
    parser.add_argument("--seconds", type=int, default=20, help="measured window of each run")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--nodes", default="2,4", help="node counts, each a run per placement")
    parser.add_argument("--placements", default=None,
                        help="cross,same (default; the driver path: cross only, couriers send nothing)")
    parser.add_argument("--gps-path", choices=["socket", "driver"], default="socket",
                        help="couriers' `gps` events (the product's path), or fixes published "
                             "straight on Redis by a driver (the fan-out half alone)")
    parser.add_argument("--node-core", type=int, default=0, help="where every one of our nodes runs")
    parser.add_argument("--client-core", type=int, default=1, help="the generator and the driver")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy the first node during each window (on the client core)")
    parser.add_argument("--prepare-only", action="store_true",
                        help="make the courier-customer pairs (slow the first time) and stop")
    args = parser.parse_args(argv)
    counts = sorted(int(n) for n in args.nodes.split(","))
    placements = (args.placements or ("cross" if args.gps_path == "driver" else "cross,same")).split(",")
    if set(placements) - {"cross", "same"} or counts[0] < 1:
        parser.error("placements are cross and/or same; node counts are positive")
    if args.seconds + args.warmup > 60:
        parser.error("the window plus warm-up must stay under 60 s (several runs in 5 minutes)")
    started = time.monotonic()
    open_files_limit()
    sockets = {count: args.sockets or args.sockets_per_node * count for count in counts}
    from tests.bench.ours_live import GPS_PATH_ARGS, driver_pairs, gps_pairs
    if args.gps_path == "driver":
        pairs, rooms = driver_pairs(max(sockets.values()) // 2)
        extra = ["--external-gps"]
    else:
        pairs, rooms, extra = gps_pairs(max(sockets.values()) // 2), None, GPS_PATH_ARGS
    if args.prepare_only:
        return
    runs = {}
    for count in counts:
        used = sockets[count] // 2  # the first pairs (and their rooms, for the driver)
        runs[str(count)] = run_nodes(count, pairs[:used], placements, args, extra,
                                     rooms[:used] if rooms is not None else None)
    change = growth(runs, placements, counts)
    emit({
        "workload": "W3", "gps_path": args.gps_path,
        "scaling": "fixed total" if args.sockets else "fixed per node",
        "sockets": {str(count): 2 * (total // 2) for count, total in sockets.items()},
        "seconds": args.seconds, "interval_ms": 2000, "nodes": counts, "placements": placements,
        "pinning": f"every node on core {args.node_core}, the generator{' and the driver' if rooms else ''}"
                   f" on core {args.client_core} (taskset); Postgres and Redis unpinned",
        "runs": runs,
        "per_node_cpu_s_per_1000": {count: {where: run[where]["cpu_s_per_1000_per_node"]["mean"]
                                            for where in placements} for count, run in runs.items()},
        f"growth_{counts[0]}_to_{counts[-1]}_nodes": change,
        "flat": all(g is not None and g <= 1 + FLAT_WITHIN for g in change.values()),
        "flat_within": FLAT_WITHIN,
        "saturated_runs": [f"{count}:{where}" for count, run in runs.items()
                           for where in placements if run[where]["saturated"]],
        # more deliveries than fixes: another run's couriers (W2 uses the same pairs) reached ours
        "disturbed_runs": [f"{count}:{where}" for count, run in runs.items()
                           for where in placements if run[where]["lost"] < 0],
        "elapsed_s": round(time.monotonic() - started, 1),
        "machine": machine(args.node_core, args.client_core),
    })


if __name__ == "__main__":
    main()
