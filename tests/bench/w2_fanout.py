"""W2 GPS fan-out: half the sockets are couriers sending a fix every 2 s to their order's room,
the other half the customers receiving them. Ours and the Node peer face the same generator.

    python -m tests.bench.w2_fanout --sockets 10000 --seconds 30
"""
from __future__ import annotations

import argparse
import sys

from tests.bench.harness import Server, emit, log, machine, ratio, run_loadgen
from tests.bench.profile import Profile
from tests.bench.targets import add_socket_arguments, socket_targets


def measure(server: Server, args: argparse.Namespace, extra: list[str]) -> dict:
    samples: dict[str, dict] = {}
    spy: list[Profile] = []

    def on_mark(name: str, line: dict) -> dict | None:
        samples[name] = server.sample()
        log(f"{server.name}: {name} rss={samples[name]['rss_kib']} KiB")
        if name == "start" and args.profile and server.argv[0] == sys.executable:
            spy.append(Profile(server.pid, args.seconds, args.client_core))
        return server.hook(name, line)

    loadgen_args = ["--workload", "fanout", "--sockets", str(args.sockets), "--seconds",
                    str(args.seconds), "--warmup", str(args.warmup), *extra]
    if args.deflate:
        loadgen_args.append("--deflate")
    result = run_loadgen(server.url, args.client_core, loadgen_args, on_mark)
    cpu_s = samples["end"]["cpu_s"] - samples["start"]["cpu_s"]
    deliveries = result["deliveries_per_s"] * result["window_s"]
    return {
        **{k: result[k] for k in ("couriers", "customers", "connect_failures", "subscribe_failures",
                                  "sent", "received", "lost", "out_of_order")},
        "loadgen_cpu_pct": round(result["loadgen_cpu_pct"], 1),
        "deliveries_per_s": round(result["deliveries_per_s"], 1),
        "latency_ms": {k: (round(v, 1) if isinstance(v, float) else v)
                       for k, v in result["latency_ms"].items()},
        "server_cpu_pct": round(100 * cpu_s / result["window_s"], 1),
        "cpu_s_per_1000": round(cpu_s / (deliveries / 1000), 3) if deliveries else None,
        "rss_idle_mib": round(samples["ready"]["rss_kib"] / 1024, 1),
        "rss_end_mib": round(samples["end"]["rss_kib"] / 1024, 1),
        **({"profile": spy[0].summary()} if spy else {}),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.w2_fanout", description=__doc__)
    parser.add_argument("--sockets", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=30, help="measured window")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", action="store_true",
                        help="py-spy the Python servers during their window (on the client core)")
    parser.add_argument("--gps-path", choices=["socket", "driver"], default="socket",
                        help="our node: couriers' `gps` events (the product's path), or fixes "
                             "published straight on Redis by a driver (the fan-out half alone)")
    parser.add_argument("--prepare-only", action="store_true",
                        help="make our node's courier-customer pairs (slow the first time) and stop")
    add_socket_arguments(parser)
    args = parser.parse_args(argv)
    if args.prepare_only:
        from tests.bench.ours_live import prepare_pairs
        prepare_pairs(args.sockets // 2)
        return
    if args.seconds + args.warmup > 120:
        parser.error("the window plus warm-up must stay under 120 s")
    figures: dict[str, dict] = {}
    for column, factory in socket_targets(args, "fanout", args.sockets):
        server = factory()
        with server:
            figures[column] = {"server": server.name, **measure(server, args, server.loadgen_args)}
            if server.note:
                figures[column]["note"] = server.note
    ours, peer = figures["ours"], figures["peer"]
    emit({
        "workload": "W2", "sockets": args.sockets, "seconds": args.seconds, "deflate": args.deflate,
        **figures,
        "ratio": {
            "deliveries_per_s": ratio(ours["deliveries_per_s"], peer["deliveries_per_s"]),
            "p99_ms": ratio(ours["latency_ms"]["p99"], peer["latency_ms"]["p99"]),
            "cpu_s_per_1000": ratio(ours["cpu_s_per_1000"], peer["cpu_s_per_1000"]),
            "rss_end": ratio(ours["rss_end_mib"], peer["rss_end_mib"]),
        },
        "machine": machine(args.server_core, args.client_core),
    })


if __name__ == "__main__":
    main()
