"""What watching idle sockets costs the node: our engine's sweep against engineio's own service
task, each over the same idle sockets on one event loop for the same window.

    python -m tests.bench.idle_sweep [--sockets 10000] [--seconds 25]

engineio's task visits every socket once per ping_timeout, a wait_for each (500 a second at
10,000 sockets); ours only drops closed sockets every ping_timeout, since each socket's own
timer handles its pings. The window outlasts ping_timeout (20 s), so ours sweeps in it too.
Prints one JSON line: CPU percent of a core for each (pinned to core 0), and the ratio.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import time

import engineio
import uvloop

from realtime.engine import Engine
from realtime.lean_socket import LeanSocket
from tests.bench.harness import emit, machine, ratio


async def _watch(task_of, engine: Engine, seconds: float) -> float:
    """CPU percent of a core while `task_of(engine)` watches the engine's sockets."""
    task = asyncio.create_task(task_of(engine))
    await asyncio.sleep(0)  # the task has begun its first wait
    started, cpu = time.monotonic(), time.process_time()
    await asyncio.sleep(seconds)
    used, elapsed = time.process_time() - cpu, time.monotonic() - started
    engine.service_task_event.set()
    await task
    return round(100 * used / elapsed, 2)


async def measure(sockets: int, seconds: float) -> dict:
    engine = Engine(async_mode="aiohttp")
    engine.sockets = {str(n): LeanSocket(engine, str(n)) for n in range(sockets)}
    for sock in engine.sockets.values():
        sock.last_ping = None  # healthy: the last ping answered, as between two pings
    ours = await _watch(Engine._service_task, engine, seconds)
    peer = await _watch(engineio.AsyncServer._service_task, engine, seconds)
    return {"workload": "idle sweep", "sockets": sockets, "seconds": seconds,
            "ping_timeout_s": engine.ping_timeout, "ours_cpu_pct": ours,
            "engineio_cpu_pct": peer, "ratio": ratio(ours, peer),
            "sockets_left": len(engine.sockets)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.idle_sweep", description=__doc__)
    parser.add_argument("--sockets", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=25.0)
    args = parser.parse_args(argv)
    os.sched_setaffinity(0, {0})
    emit({**uvloop.run(measure(args.sockets, args.seconds)), "machine": machine(0, 0)})


if __name__ == "__main__":
    main()
