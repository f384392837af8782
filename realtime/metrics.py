"""The node's live figures for /metrics and the tech dashboard: sockets, events, fan-out."""
from __future__ import annotations

from typing import Any

CONTROL = "control"


class LiveMetrics:
    """Counts into the node's Prometheus metrics when there are any (a bare bench node has none)."""

    def __init__(self, metrics: Any = None) -> None:
        self.metrics = metrics
        self._children: dict[tuple[str, str], Any] = {}

    def _child(self, family: str, label: str, value: str):
        key = (family, value)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = getattr(self.metrics, family).labels(**{label: value})
        return child

    def connect(self, outcome: str) -> None:
        """outcome: "ok" or the refusal's code, a small fixed set."""
        if self.metrics is not None:
            self._child("socket_connects", "outcome", outcome).inc()
            if outcome == "ok":
                self.metrics.sockets_connected.inc()

    def disconnect(self) -> None:
        if self.metrics is not None:
            self.metrics.sockets_connected.dec()

    def event(self, name: str) -> None:
        if self.metrics is not None:
            self._child("socket_events", "event", name).inc()

    def fanout(self, arguments: bytes | None, delivered: int) -> None:
        """One message from Redis (an event's JSON arguments, or None for a control message),
        delivered to that many local sockets."""
        if self.metrics is None:
            return
        name = arguments[2:arguments.index(b'"', 2)].decode() if arguments else CONTROL
        self._child("fanout_in", "type", name).inc()
        if delivered:
            self._child("fanout_out", "type", name).inc(delivered)

