"""python-socketio on aiohttp + uvloop written the obvious way: the reference to beat.

Same live protocol as the Node peer (tests/bench/node/peer_server.js): rooms per order,
`subscribe {order_id, after_seq}` joins and replays, `gps` is relayed to the order's room,
`publish` appends a sequenced event and pushes it. No tuning on purpose.

    python -m tests.bench.baseline_sio --port 8091
"""
from __future__ import annotations

import argparse

import socketio
import uvloop
from aiohttp import web

HISTORY = 200  # events kept per order for resuming


def build() -> web.Application:
    sio = socketio.AsyncServer(async_mode="aiohttp")
    app = web.Application()
    sio.attach(app)
    orders: dict[str, dict] = {}

    def history(order_id: str) -> dict:
        return orders.setdefault(order_id, {"seq": 0, "events": []})

    @sio.event
    async def connect(sid, environ, auth):
        await sio.enter_room(sid, f"user:{(auth or {}).get('token') or sid}")

    @sio.event
    async def subscribe(sid, data):
        if not isinstance(data, dict) or not isinstance(data.get("order_id"), str):
            return {"ok": False}
        await sio.enter_room(sid, f"order:{data['order_id']}")
        after = int(data.get("after_seq") or 0)
        return {"ok": True, "events": [e for e in history(data["order_id"])["events"] if e["seq"] > after]}

    @sio.event
    async def gps(sid, data):
        if isinstance(data, dict) and isinstance(data.get("order_id"), str):
            await sio.emit("gps", data, room=f"order:{data['order_id']}", skip_sid=sid)

    @sio.event
    async def publish(sid, data):
        if not isinstance(data, dict) or not isinstance(data.get("order_id"), str):
            return {"ok": False}
        entry = history(data["order_id"])
        entry["seq"] += 1
        event = {"order_id": data["order_id"], "seq": entry["seq"], "type": "bench", "data": {"t": data.get("t")}}
        entry["events"] = (entry["events"] + [event])[-HISTORY:]
        await sio.emit("event", event, room=f"order:{data['order_id']}")
        return {"ok": True, "seq": event["seq"]}

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_get("/healthz", healthz)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    args = parser.parse_args()
    uvloop.install()
    web.run_app(build(), host=args.host, port=args.port, access_log=None,
                print=lambda _: print('{"msg": "listening"}', flush=True))


if __name__ == "__main__":
    main()
