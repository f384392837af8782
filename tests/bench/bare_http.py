"""The W5 peer: a bare aiohttp handler on uvloop, the fastest our stack can answer.

    python -m tests.bench.bare_http --port 8092
GET /healthz and /menu encode with msgspec; /healthz-json and /menu-json use
web.json_response (stdlib json) for comparison.
"""
from __future__ import annotations

import argparse
import json

import msgspec
import uvloop
from aiohttp import web

from tests.bench.payloads import menu_payload


def build() -> web.Application:
    app = web.Application()
    health = {"status": "ok"}
    menu = menu_payload()
    encode = msgspec.json.Encoder().encode

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(body=encode(health), content_type="application/json")

    async def healthz_json(request: web.Request) -> web.Response:
        return web.json_response(health)

    async def menu_msgspec(request: web.Request) -> web.Response:
        return web.Response(body=encode(menu), content_type="application/json")

    async def menu_json(request: web.Request) -> web.Response:
        return web.json_response(menu, dumps=json.dumps)

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/healthz-json", healthz_json)
    app.router.add_get("/menu", menu_msgspec)
    app.router.add_get("/menu-json", menu_json)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8092)
    args = parser.parse_args()
    uvloop.install()
    web.run_app(build(), host=args.host, port=args.port, access_log=None,
                print=lambda _: print('{"msg": "listening"}', flush=True))


if __name__ == "__main__":
    main()
