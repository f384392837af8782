"""W5 cached REST reads under wrk -c64: our node beside a bare aiohttp + msgspec handler.

    python -m tests.bench.w5_rest --seconds 30
Until the catalogue's read endpoints are served, the pair measured is /healthz on both
sides (the plumbing: middlewares, logging, routing); --path-ours/--path-peer pick others.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys

from tests.bench.harness import Server, emit, free_port, log, machine, ratio
from tests.bench.ours import our_server
from tests.bench.profile import Profile

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def bare(core: int) -> Server:
    port = free_port()
    return Server("aiohttp-msgspec-bare", [sys.executable, "-m", "tests.bench.bare_http",
                                           "--port", str(port)], port, core)


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return round(float(value) * _UNITS[unit], 2)


def wrk(url: str, core: int, seconds: int, connections: int) -> dict:
    argv = ["taskset", "-c", str(core), "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
            "--latency", url]
    output = subprocess.run(argv, capture_output=True, text=True, check=True,
                            timeout=seconds + 60).stdout
    figures = {"req_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for label, key in (("50%", "p50_ms"), ("99%", "p99_ms")):
        figures[key] = _ms(re.search(rf"^\s+{label}\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["non_2xx"] = int(errors.group(1)) if errors else 0
    socket_errors = re.search(r"Socket errors: (.*)", output)
    figures["socket_errors"] = socket_errors.group(1) if socket_errors else None
    return figures


def measure(server: Server, path: str, args: argparse.Namespace, profile: bool = False) -> dict:
    url = server.url + path
    wrk(url, args.client_core, 2, args.connections)  # warm-up
    spy = Profile(server.pid, max(1, args.seconds - 2), args.client_core) if profile else None
    before = server.sample()
    figures = wrk(url, args.client_core, args.seconds, args.connections)
    after = server.sample()
    if spy:
        figures["profile"] = spy.summary()
    cpu = after["cpu_s"] - before["cpu_s"]
    figures["server_cpu_pct"] = round(100 * cpu / (after["at"] - before["at"]), 1)
    figures["rss_mib"] = round(after["rss_kib"] / 1024, 1)
    log(f"{server.name} {path}: {figures}")
    return {"server": server.name, "path": path, **figures}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.w5_rest", description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--path-ours", default="/healthz")
    parser.add_argument("--path-peer", default="/healthz")
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--client-core", type=int, default=1)
    parser.add_argument("--profile", action="store_true",
                        help="py-spy our node during its window (costs the client core some CPU)")
    args = parser.parse_args(argv)
    if args.seconds > 120:
        parser.error("at most 120 s per side")
    with our_server(args.server_core) as server:
        ours = measure(server, args.path_ours, args, profile=args.profile)
    with bare(args.server_core) as server:
        peer = measure(server, args.path_peer, args)
        json_path = args.path_peer.rstrip("/") + "-json"
        peer_json = measure(server, json_path, args)
    emit({
        "workload": "W5", "connections": args.connections, "seconds": args.seconds,
        "ours": ours, "peer": peer, "peer_json_response": peer_json,
        "ratio": {"req_per_s": ratio(ours["req_per_s"], peer["req_per_s"]),
                  "p99_ms": ratio(ours["p99_ms"], peer["p99_ms"])},
        "machine": machine(args.server_core, args.client_core),
    })


if __name__ == "__main__":
    main()
