"""Order events written and published as our use cases do (server.events.record in a
transaction, then server.events.publish), each order every interval, until SIGTERM;
prints {"seqs": {order_id: last seq}, "published": n} on exit.

Stands in for order activity during W6: the storm's clients must get every one of these,
live or replayed from the outbox when they resubscribe.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
import time
import uuid

import uvloop

from server.context import build_context
from server.db.pool import create_pool
from server.events import publish, record
from server.redis_client import create_redis
from server.settings import Settings
import server.live.publish  # noqa: F401  (registers the live fast path, as a node does)

TICK_S = 0.005


async def run(args: argparse.Namespace, orders: list[str]) -> dict:
    settings = Settings(secret_key="x" * 32, database_url=args.database_url, redis_url=args.redis_url,
                        redis_prefix=args.prefix)
    pool = await create_pool(settings.database_url, min_size=args.connections, max_size=args.connections)
    ctx = build_context(pool, create_redis(settings.redis_url), settings)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    seqs: dict[str, int] = {}
    published = 0
    busy: set[str] = set()
    tasks: set[asyncio.Task] = set()
    interval = args.interval_ms / 1000

    async def one(order_id: str) -> None:
        nonlocal published
        try:
            async with pool.acquire() as conn, conn.transaction():
                event = await record(conn, "order", uuid.UUID(order_id), "order.bench", {"t": time.time() * 1000})
            seqs[order_id] = event.seq
            await publish(ctx, [event])
            published += 1
        finally:
            busy.discard(order_id)

    started = time.monotonic()
    due = [started + k * interval / len(orders) for k in range(len(orders))]
    while not stop.is_set() and time.monotonic() - started < args.max_s:
        now = time.monotonic()
        for k, at in enumerate(due):
            if at > now or orders[k] in busy:
                continue
            due[k] = at + interval
            busy.add(orders[k])
            task = asyncio.create_task(one(orders[k]))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.sleep(TICK_S)
    await asyncio.gather(*tasks, return_exceptions=True)
    await pool.close()
    await ctx.redis.aclose()
    return {"seqs": seqs, "published": published}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", required=True, help="JSON list of order ids")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--interval-ms", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--max-s", type=float, default=240)
    args = parser.parse_args()
    with open(args.orders) as f:
        orders = json.load(f)
    print(json.dumps(uvloop.run(run(args, orders))), flush=True)


if __name__ == "__main__":
    main()
