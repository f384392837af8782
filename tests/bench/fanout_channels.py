"""Fan-out across two nodes: python-socketio's AsyncRedisManager against our per-room channels.

Each node holds `--sockets` sockets, each alone in its room. Every message goes to a room on
node B; node A only holds sockets of other rooms. With one shared channel, A still decodes
every message; with per-room channels, A hears nothing. Prints one JSON line.

    python -m tests.bench.fanout_channels --sockets 500 --rate 1000 --seconds 10
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import redis.asyncio as aioredis
import socketio

from server.live.publish import push

ROOT = Path(__file__).resolve().parents[2]
TICK_S = 0.01


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_node(mode: str, port: int, redis_url: str, prefix: str) -> subprocess.Popen:
    node = subprocess.Popen([sys.executable, "-m", "tests.bench.fanout_node", "--mode", mode,
                             "--port", str(port), "--redis", redis_url, "--prefix", prefix],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if node.stdout.readline().strip() != "ready":
        raise RuntimeError(f"{mode} node did not start")
    os.sched_setaffinity(node.pid, {0})  # both nodes on one core, the clients on the other
    return node


class Clients:
    """Raw Engine.IO/Socket.IO websockets; latency from the send time each message carries."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.received = 0
        self.counting = False

    async def open(self, session, url: str, room: str, ready: asyncio.Semaphore) -> None:
        async with session.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket") as ws:
            await ws.receive_str()
            await ws.send_str("40" + json.dumps({"room": room}))
            await ws.receive_str()
            ready.release()
            async for message in ws:
                if message.data == "2":
                    await ws.send_str("3")
                elif message.data.startswith("42") and self.counting:
                    payload = json.loads(message.data[2:])[1]
                    sent_at = payload["data"]["t"] if "data" in payload else payload["t"]
                    self.latencies.append(time.time() * 1000 - sent_at)
                    self.received += 1


async def publisher(mode: str, redis_url: str, prefix: str):
    """A function sending one message to a room, the way each mode's producers do."""
    if mode == "sio-redis":
        manager = socketio.AsyncRedisManager(redis_url, channel=f"{prefix}socketio", write_only=True)
        return lambda room, data: manager.emit("bench", data, room=room), None
    client = aioredis.from_url(redis_url)
    ctx = SimpleNamespace(redis=client, key=lambda *parts: prefix + ":".join(map(str, parts)))
    return lambda room, data: push(ctx, room, "bench", data), client


async def run(mode: str, args: argparse.Namespace, redis_url: str) -> dict:
    prefix, ports = f"bench{secrets.token_hex(3)}:", [args.port, args.port + 1]
    nodes = [start_node(mode, port, redis_url, prefix) for port in ports]
    clients, ready = Clients(), asyncio.Semaphore(0)
    send, closable = await publisher(mode, redis_url, prefix)
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            tasks = [asyncio.create_task(clients.open(session, f"http://127.0.0.1:{port}", f"{name}-{i}", ready))
                     for port, name in zip(ports, "ab") for i in range(args.sockets)]
            async with asyncio.timeout(120):  # bounded: a socket that cannot connect fails the run
                for _ in tasks:
                    await ready.acquire()
            sent = await drive(send, clients, nodes, args)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        for node in nodes:
            node.terminate()
            node.wait(10)
        if closable is not None:
            await closable.aclose()
    return figures(mode, clients, sent)


async def drive(send, clients: Clients, nodes, args: argparse.Namespace) -> dict:
    """Warm up, then a measured window at a steady rate, all to node B's rooms."""
    per_tick, n = max(1, int(args.rate * TICK_S)), 0
    loop = asyncio.get_running_loop()
    for phase in ("warmup", "window"):
        if phase == "window":
            clients.counting, n = True, 0
            cpu = [cpu_seconds(node.pid) for node in nodes]
        ends = loop.time() + (args.warmup if phase == "warmup" else args.seconds)
        while loop.time() < ends:
            await asyncio.gather(*(send(f"b-{(n + i) % args.sockets}", {"t": time.time() * 1000})
                                   for i in range(per_tick)))
            n += per_tick
            await asyncio.sleep(TICK_S)
    await asyncio.sleep(1)  # what is in flight lands
    clients.counting = False
    used = [cpu_seconds(node.pid) - before for node, before in zip(nodes, cpu)]
    return {"messages": n, "cpu_a": used[0], "cpu_b": used[1], "seconds": args.seconds}


def figures(mode: str, clients: Clients, sent: dict) -> dict:
    latencies = sorted(clients.latencies) or [float("nan")]
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)  # noqa: E731
    return {"mode": mode, "messages": sent["messages"], "received": clients.received,
            "lost": sent["messages"] - clients.received, "p50_ms": pick(0.5), "p99_ms": pick(0.99),
            "node_a_cpu_s": round(sent["cpu_a"], 2), "node_b_cpu_s": round(sent["cpu_b"], 2),
            "node_b_cpu_s_per_1000": round(1000 * sent["cpu_b"] / max(clients.received, 1), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.fanout_channels", description=__doc__)
    parser.add_argument("--sockets", type=int, default=500, help="per node")
    parser.add_argument("--rate", type=int, default=1000, help="messages per second, all to node B")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--port", type=int, default=18470)
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    os.sched_setaffinity(0, {1 % os.cpu_count()})
    results = {mode: asyncio.run(run(mode, args, args.redis)) for mode in ("sio-redis", "rooms")}
    print(json.dumps({"bench": "fanout_channels", "sockets_per_node": args.sockets, "rate": args.rate,
                      "seconds": args.seconds, **results}))


if __name__ == "__main__":
    main()
