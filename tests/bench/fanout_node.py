"""A bare node for the fan-out benchmark: sockets join the room named in their auth.

    python -m tests.bench.fanout_node --mode rooms|sio-redis --port P --redis URL --prefix P

`rooms`: our live edge (realtime/: per-room Redis channels, bounded queues, encode once).
`sio-redis`: python-socketio's AsyncRedisManager, every node on one channel.
"""
from __future__ import annotations

import argparse
import sys
from types import SimpleNamespace

import socketio
import uvloop
from aiohttp import web

from realtime import codec
from realtime.live import Live


def rooms_app(redis_url: str, prefix: str) -> web.Application:
    live = Live()
    app = web.Application()

    async def connect(sid, environ, auth):
        await live.sio.enter_room(sid, auth["room"])

    async def start(app: web.Application):
        live.start(SimpleNamespace(settings=SimpleNamespace(redis_url=redis_url, redis_prefix=prefix)))
        yield
        await live.stop()

    live.sio.on("connect", connect)
    live.sio.attach(app)
    app.cleanup_ctx.append(start)
    return app


def sio_redis_app(redis_url: str, prefix: str) -> web.Application:
    manager = socketio.AsyncRedisManager(redis_url, channel=f"{prefix}socketio")
    sio = socketio.AsyncServer(async_mode="aiohttp", client_manager=manager, json=codec)
    app = web.Application()

    async def connect(sid, environ, auth):
        await sio.enter_room(sid, auth["room"])

    sio.on("connect", connect)
    sio.attach(app)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["rooms", "sio-redis"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--prefix", required=True)
    args = parser.parse_args()
    build = rooms_app if args.mode == "rooms" else sio_redis_app
    web.run_app(build(args.redis, args.prefix), host="127.0.0.1", port=args.port,
                print=lambda _: print("ready", flush=True), access_log=None,
                loop=uvloop.new_event_loop())


if __name__ == "__main__":
    sys.exit(main())
