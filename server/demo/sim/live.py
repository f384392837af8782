"""One bot's socket: connects with its token, follows orders by seq, hands events to the bot."""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Any, Awaitable, Callable

import socketio

from server.demo.sim.api import Api
from server.demo.sim.stats import Stats

log = logging.getLogger(__name__)
Handler = Callable[[dict], Awaitable[None] | None]
ACK_TIMEOUT_S = 15


class Live:
    """A Socket.IO client that resubscribes after a reconnection and drops repeated events."""

    def __init__(self, api: Api, stats: Stats) -> None:
        self.api, self.stats = api, stats
        # handle_sigint=False: Ctrl-C is the simulator's (finish gently), not a signal to kill every task
        self.sio = socketio.AsyncClient(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=5,
                                        handle_sigint=False, http_session=api.session)
        self.handlers: dict[str, list[Handler]] = {}
        self.follows: dict[str, set[int]] = {}   # order id -> seqs seen (events may arrive out of order)
        self._connected_once = False
        self.sio.on("*", self._dispatch)
        self.sio.on("connect", self._on_connect)

    def on(self, event: str, handler: Handler) -> None:
        self.handlers.setdefault(event, []).append(handler)

    async def connect(self) -> None:
        await self.sio.connect(self.api.base_url, auth=self._auth, transports=["websocket"],
                               socketio_path="socket.io", wait_timeout=10)

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()
        await self.sio.shutdown()

    async def call(self, event: str, data: Any, *, benign: frozenset[str] = frozenset()) -> dict | None:
        """The ack of a client event; None (counted) when it failed."""
        try:
            ack = await self.sio.call(event, data, timeout=ACK_TIMEOUT_S)
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError) as exc:
            self.stats.error(f"socket {event} -> {type(exc).__name__}")
            return None
        if isinstance(ack, dict) and ack.get("ok"):
            return ack
        code = ack.get("error") if isinstance(ack, dict) else "no-ack"
        (self.stats.note if code in benign else self.stats.error)(f"socket {event} -> {code}")
        return None

    async def follow(self, order_id: str, after_seq: int) -> bool:
        """Subscribe to the order's room from after_seq; what came before is known already."""
        self.follows.setdefault(order_id, set()).update(range(1, after_seq + 1))
        return await self.call("subscribe", {"order_id": order_id, "after_seq": after_seq}) is not None

    async def unfollow(self, order_id: str) -> None:
        if self.follows.pop(order_id, None) is not None and self.sio.connected:
            await self.call("unsubscribe", {"order_id": order_id})

    async def _auth(self) -> dict:
        return {"token": await self.api.token()}

    async def _on_connect(self) -> None:
        if self._connected_once:
            self.stats.note("socket reconnected")
            asyncio.get_running_loop().create_task(self._resubscribe())
        self._connected_once = True

    async def _resubscribe(self) -> None:
        for order_id, seen in list(self.follows.items()):
            await self.call("subscribe", {"order_id": order_id, "after_seq": max(seen, default=0)})

    async def _dispatch(self, event: str, payload: Any = None) -> None:
        if not isinstance(payload, dict):
            return
        if not self._fresh(event, payload):
            return
        self.stats.count("pushes")
        for handler in self.handlers.get(event, ()):
            try:
                result = handler(payload)
                if asyncio.iscoroutine(result):
                    await result
            except Exception:
                log.exception("bot handler failed", extra={"event": event})
                self.stats.error(f"bot handler {event} failed")

    def _fresh(self, event: str, payload: dict) -> bool:
        """False for an order event seen before (a replay after a reconnection); latency kept."""
        if event == "order.updated" and payload.get("seq"):
            order_id = str((payload.get("id") or ""))
            seen = self.follows.get(order_id)
            if seen is not None:
                if payload["seq"] in seen:
                    return False
                seen.add(payload["seq"])
        at = payload.get("at")
        if event == "courier.location" and isinstance(payload.get("data"), dict):
            at = payload["data"].get("at", at)  # the fix's own time: from the courier's phone to here
        if isinstance(at, str):
            self.stats.sample(f"push {event}", (time.time() - _seconds(at)) * 1000)
        return True


def _seconds(rfc3339: str) -> float:
    return datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp()
