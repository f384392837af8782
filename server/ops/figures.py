"""What a node says about itself every few seconds: load, latency, sockets, resources.

Add a figure of your feature by registering a function that returns a small dict; it
lands under `extra` in the announcement and on the technical dashboard:
    from server.ops.figures import NODE_FIGURES
    NODE_FIGURES.append(lambda app: {"gps_buffered": len(app[GPS_BUFFER])})
"""
from __future__ import annotations

import logging
import os
import socket
import time
from datetime import datetime, timezone
from typing import Any, Callable

import msgspec
import psutil
from aiohttp import web

from server.keys import DB, SETTINGS
from server.ops.drain import DRAIN
from server.ops.loop_lag import LoopLag
from server.ops.metrics import METRICS, Metrics, version
from server.ops.traffic import WINDOW

log = logging.getLogger(__name__)
NODE_FIGURES: list[Callable[[web.Application], dict[str, Any]]] = []


class Latency(msgspec.Struct):
    p50: float
    p95: float
    p99: float


class PoolFigures(msgspec.Struct):
    size: int
    idle: int
    max: int


class NodeFigures(msgspec.Struct):
    """One node's announcement; rates are per second, times in milliseconds."""

    node_id: str
    status: str
    version: str
    started_at: datetime
    announced_at: datetime
    seq: int
    host: str
    pid: int
    requests_per_s: float
    latency_ms: Latency
    in_flight: int
    sockets: int
    messages_in_per_s: float
    messages_out_per_s: float
    loop_lag_ms: float
    cpu_percent: float
    memory_bytes: int
    db_pool: PoolFigures
    extra: dict[str, Any] = {}


class FigureSource:
    """Reads the node's instruments; rates of counters are taken between two reads."""

    def __init__(self, app: web.Application, lag: LoopLag) -> None:
        self.app, self.lag = app, lag
        self.started_at = datetime.now(timezone.utc)
        self.process = psutil.Process()
        self.process.cpu_percent(None)  # the first reading only sets the starting point
        self.seq = 0
        self._last = (time.monotonic(), 0.0, 0.0)

    def read(self) -> NodeFigures:
        metrics, pool = self.app[METRICS], self.app[DB]
        window = self.app[WINDOW].figures()
        self.seq += 1
        messages_in, messages_out = self._message_rates(metrics)
        return NodeFigures(
            node_id=self.app[SETTINGS].node_id,
            status="draining" if self.app[DRAIN].draining else "up",
            version=version(), started_at=self.started_at,
            announced_at=datetime.now(timezone.utc), seq=self.seq,
            host=socket.gethostname(), pid=os.getpid(),
            requests_per_s=window.requests_per_s,
            latency_ms=Latency(window.p50_ms, window.p95_ms, window.p99_ms),
            in_flight=int(Metrics.total(metrics.http_in_flight)),
            sockets=int(Metrics.total(metrics.sockets_connected)),
            messages_in_per_s=messages_in, messages_out_per_s=messages_out,
            loop_lag_ms=round(self.lag.take_worst() * 1000, 2),
            cpu_percent=round(self.process.cpu_percent(None), 1),
            memory_bytes=self.process.memory_info().rss,
            db_pool=PoolFigures(pool.get_size(), pool.get_idle_size(), pool.get_max_size()),
            extra=self._extra())

    def _message_rates(self, metrics: Metrics) -> tuple[float, float]:
        now, fan_in, fan_out = time.monotonic(), metrics.total(metrics.fanout_in), metrics.total(
            metrics.fanout_out)
        then, last_in, last_out = self._last
        self._last = (now, fan_in, fan_out)
        elapsed = max(now - then, 1e-3)
        return round((fan_in - last_in) / elapsed, 2), round((fan_out - last_out) / elapsed, 2)

    def _extra(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        for figure in NODE_FIGURES:
            try:
                extra.update(figure(self.app))
            except Exception:
                log.exception("node figure %s failed", getattr(figure, "__name__", figure))
        return extra
