"""W6 reconnect storm: every customer socket drops at once while order events keep coming;
time until 99 % are back and resumed (subscribe with their last seq), and events lost.

    python -m tests.bench.w6_reconnect --sockets 10000
"""
from __future__ import annotations

import argparse

from tests.bench.harness import Server, emit, log, machine, open_files_limit, ratio, run_loadgen
from tests.bench.targets import add_socket_arguments, socket_targets


def measure(server: Server, args: argparse.Namespace) -> dict:
    samples: dict[str, dict] = {}
    server.options["interval_ms"] = args.event_interval_ms

    def on_mark(name: str, line: dict) -> dict | None:
        samples[name] = server.sample()
        log(f"{server.name}: {name} rss={samples[name]['rss_kib']} KiB {line.get('resumed', '')}")
        return server.hook(name, line)

    loadgen_args = ["--workload", "storm", "--sockets", str(args.sockets),
                    "--event-interval-ms", str(args.event_interval_ms), *server.loadgen_args]
    if args.deflate:
        loadgen_args.append("--deflate")
    result = run_loadgen(server.url, args.client_core, loadgen_args, on_mark)
    storm_cpu = samples["resumed"]["cpu_s"] - samples["drop"]["cpu_s"]
    storm_wall = samples["resumed"]["at"] - samples["drop"]["at"]
    return {
        "server": server.name,
        **{k: result[k] for k in ("sockets", "connect_failures", "subscribe_failures", "resumed",
                                  "resumed_99_s", "resumed_all_s", "resumed_p50_s",
                                  "events_published", "events_lost")},
        "storm_server_cpu_s": round(storm_cpu, 2),
        "storm_server_cpu_pct": round(100 * storm_cpu / storm_wall, 1) if storm_wall else None,
        "rss_before_mib": round(samples["drop"]["rss_kib"] / 1024, 1),
        "rss_after_mib": round(samples["end"]["rss_kib"] / 1024, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.w6_reconnect", description=__doc__)
    parser.add_argument("--sockets", type=int, default=10000, help="customer sockets dropped at once")
    parser.add_argument("--event-interval-ms", type=int, default=5000,
                        help="each order gets one event this often, through the storm")
    parser.add_argument("--prepare-only", action="store_true",
                        help="make our node's customers and their orders (slow the first time) and stop")
    add_socket_arguments(parser)
    args = parser.parse_args(argv)
    args.sockets = min(args.sockets, open_files_limit() - 200)
    if args.prepare_only:
        from tests.bench.ours import prepare
        prepare({"customer": args.sockets}, orders=True)
        return
    figures = {}
    for column, factory in socket_targets(args, "storm", args.sockets):
        with factory() as server:
            figures[column] = measure(server, args)
            if server.note:
                figures[column]["note"] = server.note
    ours, peer = figures["ours"], figures["peer"]
    emit({
        "workload": "W6", "sockets": args.sockets, "deflate": args.deflate, **figures,
        "ratio": {"resumed_99_s": ratio(ours["resumed_99_s"], peer["resumed_99_s"]),
                  "storm_server_cpu_s": ratio(ours["storm_server_cpu_s"], peer["storm_server_cpu_s"])},
        "machine": machine(args.server_core, args.client_core),
    })


if __name__ == "__main__":
    main()
