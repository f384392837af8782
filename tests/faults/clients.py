"""Socket clients that behave like the web apps: they reconnect by themselves and resume by seq."""
from __future__ import annotations

import asyncio
import time
from typing import Any

import socketio

from tests.support.couriers import near

TIMEOUT_S = 10.0
GPS_EVERY_S = 0.25  # the courier app's pace, under the 5-a-second limit


class Follower:
    """One socket following orders as CE.live does: after every reconnection it subscribes
    again from the last seq it took, takes each event once in seq order, and asks again on a gap.
    """

    def __init__(self, token: str, name: str = "") -> None:
        self.token, self.name = token, name
        self.sio = socketio.AsyncClient(reconnection=True, reconnection_delay=0.1,
                                        reconnection_delay_max=0.5, randomization_factor=0)
        self.last: dict[str, int] = {}            # order id -> last seq taken
        self.taken: dict[str, list[int]] = {}     # order id -> seqs taken, in order
        self.types: dict[str, list[str]] = {}     # order id -> event types taken, in order
        self.received: list[tuple[str, Any]] = []
        self.connects = 0
        self.changed = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()
        self.sio.on("connect", self._on_connect)
        self.sio.on("*", self._on_event)

    async def connect(self, url: str) -> "Follower":
        self.url = url
        await self.sio.connect(url, auth={"token": self.token}, transports=["websocket"],
                               wait_timeout=TIMEOUT_S)
        return self

    async def follow(self, order_id: str, after_seq: int = 0) -> None:
        self.last.setdefault(order_id, after_seq)
        self.taken.setdefault(order_id, [])
        self.types.setdefault(order_id, [])
        ack = await self.sio.call("subscribe", {"order_id": order_id, "after_seq": self.last[order_id]},
                                  timeout=TIMEOUT_S)
        assert ack.get("ok"), ack

    async def _on_connect(self) -> None:
        self.connects += 1
        if self.connects > 1:  # the handler may not wait for acks: resume beside it
            self._spawn(self._resume())

    async def _resume(self) -> None:
        for order_id in list(self.last):
            await self._ask(order_id)

    async def _ask(self, order_id: str) -> None:
        try:
            ack = await self.sio.call("subscribe", {"order_id": order_id,
                                                    "after_seq": self.last[order_id]},
                                      timeout=TIMEOUT_S)
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
            return  # cut again: the next connect resumes
        if isinstance(ack, dict) and ack.get("ok") and ack.get("more"):
            await self._ask(order_id)

    def _spawn(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _on_event(self, name: str, data: Any = None) -> None:
        self.received.append((name, data))
        if isinstance(data, dict) and data.get("aggregate") == "order" and data.get("seq"):
            order_id, seq = str(data["id"]), data["seq"]
            last = self.last.get(order_id)
            if last is not None and seq > last:
                if seq == last + 1:
                    self.last[order_id] = seq
                    self.taken[order_id].append(seq)
                    self.types[order_id].append(data["type"])
                else:
                    self._spawn(self._ask(order_id))  # the replay brings this one too
        self.changed.set()

    async def until(self, check, what: str, timeout: float = 20.0) -> None:
        """Wait until `check()` is true, re-checked after every event."""
        async def wait() -> None:
            while not check():
                self.changed.clear()
                await self.changed.wait()
        try:
            async with asyncio.timeout(timeout):
                await wait()
        except TimeoutError:
            raise TimeoutError(f"{self.name}: no {what} within {timeout}s;"
                               f" taken {self.taken}, received {self.received[-10:]}") from None

    async def until_seq(self, order_id: str, seq: int, timeout: float = 20.0) -> None:
        await self.until(lambda: self.last.get(order_id, 0) >= seq, f"seq {seq} of {order_id}",
                         timeout)

    def named(self, name: str) -> list[Any]:
        return [data for event, data in self.received if event == name]

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await self.sio.disconnect()
        await self.sio.shutdown()


class GpsStream:
    """The courier app streaming positions over its socket; keeps the fixes acknowledged."""

    def __init__(self, courier: Follower, start: dict) -> None:
        self.courier, self.start = courier, start
        self.acked: list[tuple[int, int]] = []  # (ts, the socket's connection number)
        self.unanswered = 0
        self.refused: list[str] = []
        self.halt = asyncio.Event()

    async def run(self) -> None:
        step = 0
        while not self.halt.is_set():
            step += 1
            fix = {**near(metres_north=-300 + step, origin=self.start), "ts": int(time.time() * 1000)}
            try:
                ack = await self.courier.sio.call("gps", fix, timeout=5)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                self.unanswered += 1  # cut, or not reconnected yet: the next fix follows
            else:
                if ack.get("ok"):
                    self.acked.append((fix["ts"], self.courier.connects))
                else:  # the app ignores a refusal and sends the next fix
                    self.refused.append(ack.get("error"))
            try:
                await asyncio.wait_for(self.halt.wait(), GPS_EVERY_S)
            except TimeoutError:
                pass
