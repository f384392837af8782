"""Courier fixes published the way our server publishes live messages (server.live.publish),
one room per courier, each every interval, until SIGTERM; prints {"sent": n} on exit.

Stands in for the couriers' `gps` socket event until the couriers feature exists: our node's
fan-out half (Redis channel -> room -> sockets) is measured, not its intake half.

    python -m tests.bench.gps_driver --rooms rooms.json --redis-url redis://127.0.0.1:6379/0
"""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
import time
from datetime import datetime, timezone

import redis.asyncio as aioredis
import uvloop

from server.live import wire
from server.live.publish import LivePayload

TICK_S = 0.005


async def run(rooms: list[str], redis_url: str, prefix: str, interval_s: float, max_s: float) -> int:
    client = aioredis.from_url(redis_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    channels = [f"{prefix}room:{room}".encode() for room in rooms]
    started = time.monotonic()
    due = [started + c * interval_s / len(rooms) for c in range(len(rooms))]
    counters = [0] * len(rooms)
    sent = 0
    try:
        while not stop.is_set() and time.monotonic() - started < max_s:
            now = time.monotonic()
            pipe = client.pipeline(transaction=False)
            batch = 0
            for c, at in enumerate(due):
                if at > now:
                    continue
                due[c] = at + interval_s
                counters[c] += 1
                fix = {"order_id": rooms[c], "courier": c, "n": counters[c], "t": time.time() * 1000,
                       "lat": 48.8566 + (c % 100) * 1e-4, "lng": 2.3522 + counters[c] * 1e-5,
                       "heading": 90, "speed": 4.2, "accuracy": 8}
                payload = wire.encode_payload(LivePayload(0, "gps", fix, datetime.now(timezone.utc)))
                pipe.publish(channels[c], wire.event_message("gps", payload))
                batch += 1
            if batch:
                await pipe.execute()
                sent += batch
            await asyncio.sleep(TICK_S)
    finally:
        await client.aclose()
    return sent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", required=True, help="JSON list of rooms, one per courier")
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--interval-ms", type=int, default=2000)
    parser.add_argument("--max-s", type=float, default=200)
    args = parser.parse_args()
    with open(args.rooms) as f:
        rooms = json.load(f)
    sent = uvloop.run(run(rooms, args.redis_url, args.prefix, args.interval_ms / 1000, args.max_s))
    print(json.dumps({"sent": sent}), flush=True)


if __name__ == "__main__":
    main()
