"""W5 REST reads under wrk -c64: our node beside a bare aiohttp + msgspec handler that
answers the very same body (what our node answered, decoded once, encoded per request).

    python -m tests.bench.w5_rest --seconds 30
Reads: /healthz (the plumbing alone), nearby restaurants, a restaurant's menu; the last two
come from the node's catalogue cache once the warm-up has filled it. Each side's CPU time
per request is given too: on a shared machine it moves less than the request rate.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from tests.bench.harness import Server, emit, free_port, log, machine, ratio
from tests.bench.ours import catalogue, our_server
from tests.bench.profile import Profile

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
NEARBY = "/api/v1/restaurants?lat=48.8566&lng=2.3522"


def bare(core: int, payloads: dict[str, str]) -> Server:
    port = free_port()
    argv = [sys.executable, "-m", "tests.bench.bare_http", "--port", str(port)]
    for name, path in payloads.items():
        argv += ["--payload", f"{name}={path}"]
    return Server("aiohttp-msgspec-bare", argv, port, core)


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return round(float(value) * _UNITS[unit], 2)


def wrk(url: str, core: int, seconds: int, connections: int, script: list[str] | None = None) -> dict:
    """One wrk thread; `script` is a Lua file and its arguments."""
    argv = ["taskset", "-c", str(core), "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    argv += ["-s", script[0], url, "--", *script[1:]] if script else [url]
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
    cpu, elapsed = after["cpu_s"] - before["cpu_s"], after["at"] - before["at"]
    figures["server_cpu_pct"] = round(100 * cpu / elapsed, 1)
    # what a request costs the server whatever else runs on the machine: the figure to compare
    figures["server_cpu_us_per_req"] = round(1e6 * cpu / max(1.0, figures["req_per_s"] * elapsed), 1)
    figures["rss_mib"] = round(after["rss_kib"] / 1024, 1)
    log(f"{server.name} {path}: {figures}")
    return {"path": path, **figures}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.w5_rest", description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--reads", default="healthz,nearby,menu")
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--client-core", type=int, default=1)
    parser.add_argument("--profile", action="store_true",
                        help="py-spy our node during its windows (costs the client core some CPU)")
    parser.add_argument("--with-json-response", action="store_true",
                        help="also the bare handler with web.json_response (stdlib json)")
    args = parser.parse_args(argv)
    if args.seconds > 40:
        parser.error("at most 40 s per read and side")
    restaurant = catalogue()
    paths = {"healthz": "/healthz", "nearby": NEARBY, "menu": f"/api/v1/restaurants/{restaurant['id']}/menu"}
    reads = [name for name in args.reads.split(",") if name in paths]
    ours, bodies = {}, {}
    folder = Path(tempfile.mkdtemp(prefix="bench-w5-"))
    with our_server(args.server_core) as server:
        for name in reads:
            with urllib.request.urlopen(server.url + paths[name], timeout=10) as response:
                (folder / f"{name}.json").write_bytes(response.read())
                bodies[name] = str(folder / f"{name}.json")
            ours[name] = measure(server, paths[name], args, profile=args.profile)
    peer, peer_json = {}, {}
    with bare(args.server_core, {n: b for n, b in bodies.items() if n != "healthz"}) as server:
        for name in reads:
            path = "/healthz" if name == "healthz" else f"/p/{name}"
            peer[name] = measure(server, path, args)
            if args.with_json_response:
                peer_json[name] = measure(server, path + "-json", args)
    emit({
        "workload": "W5", "connections": args.connections, "seconds": args.seconds,
        "body_bytes": {name: Path(path).stat().st_size for name, path in bodies.items()},
        "ours": ours, "peer": peer, **({"peer_json_response": peer_json} if peer_json else {}),
        "ratio": {name: {"req_per_s": ratio(ours[name]["req_per_s"], peer[name]["req_per_s"]),
                         "p99_ms": ratio(ours[name]["p99_ms"], peer[name]["p99_ms"]),
                         "server_cpu_us_per_req": ratio(ours[name]["server_cpu_us_per_req"],
                                                        peer[name]["server_cpu_us_per_req"])}
                  for name in reads},
        "machine": machine(args.server_core, args.client_core),
    })


if __name__ == "__main__":
    main()
