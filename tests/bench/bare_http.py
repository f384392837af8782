"""The W5 peer: a bare aiohttp handler on uvloop, the fastest our stack can answer.

    python -m tests.bench.bare_http --port 8092 [--payload name=file.json ...]
GET /healthz and /p/<name> encode with msgspec on every request (the payload being the
decoded body our node answered for the same read); /healthz-json and /p/<name>-json use
web.json_response (stdlib json) for comparison.
"""
from __future__ import annotations

import argparse
import json

import msgspec
import uvloop
from aiohttp import web


def build(payloads: dict[str, object]) -> web.Application:
    app = web.Application()
    encode = msgspec.json.Encoder().encode

    def handlers(body: object):
        async def fast(request: web.Request) -> web.Response:
            return web.Response(body=encode(body), content_type="application/json")

        async def plain(request: web.Request) -> web.Response:
            return web.json_response(body)
        return fast, plain

    for path, body in {"/healthz": {"status": "ok"},
                       **{f"/p/{name}": body for name, body in payloads.items()}}.items():
        fast, plain = handlers(body)
        app.router.add_get(path, fast)
        app.router.add_get(path + "-json", plain)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8092)
    parser.add_argument("--payload", action="append", default=[], help="name=file.json")
    args = parser.parse_args()
    payloads = {}
    for item in args.payload:
        name, _, path = item.partition("=")
        with open(path) as f:
            payloads[name] = json.load(f)
    uvloop.install()
    web.run_app(build(payloads), host=args.host, port=args.port, access_log=None,
                print=lambda _: print('{"msg": "listening"}', flush=True))


if __name__ == "__main__":
    main()
