"""Every Prometheus metric of one node, in a registry of its own (never the global one).

Features increment what they own, through the app or the use-case context:
    from server.ops.metrics import METRICS, metrics_of
    request.app[METRICS].fanout_out.labels(type="order.updated").inc()
    metrics_of(ctx).webhook_deliveries.labels(outcome="delivered").inc()
Label values must come from a small fixed set (event types, outcomes), never from ids.
Counters are LoopCounters: plain counts, since only the node's event loop increments them.
"""
from __future__ import annotations

from importlib import metadata

from aiohttp import web
from prometheus_client import (CollectorRegistry, Gauge, Histogram, Info, PlatformCollector,
                               ProcessCollector)

from server.context import Context
from server.ops.loop_counter import LoopCounter

# Seconds; fine at the bottom, where an API answer should be, coarse above.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SLOW_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


def version() -> str:
    """The installed package's version, shown on dashboards to follow a rolling deploy."""
    try:
        return metadata.version("cesi-eats")
    except metadata.PackageNotFoundError:
        return "dev"


class Metrics:
    """The node's metrics; attribute names are the registration points other features use."""

    def __init__(self, node_id: str) -> None:
        self.registry = r = CollectorRegistry()
        ProcessCollector(registry=r)    # process_cpu_seconds_total, process_resident_memory_bytes
        PlatformCollector(registry=r)
        Info("cesi_node", "This node's name and version", registry=r).info(
            {"node": node_id, "version": version()})
        # HTTP, kept by server.ops.http
        self.http_requests = LoopCounter("cesi_http_requests", "HTTP requests answered",
                                         ["method", "route", "status"], registry=r)
        self.http_latency = Histogram("cesi_http_request_duration_seconds",
                                      "Time to answer an HTTP request", ["method", "route", "status"],
                                      buckets=LATENCY_BUCKETS, registry=r)
        self.http_in_flight = Gauge("cesi_http_requests_in_flight",
                                    "HTTP requests being handled now", registry=r)
        # a plain count, read at scrape time: no lock taken twice per request
        self.requests_in_flight = 0
        self.http_in_flight.set_function(lambda: self.requests_in_flight)
        self._http_children: dict[tuple[str, str, int], tuple] = {}
        self.loop_lag = Gauge("cesi_event_loop_lag_seconds",
                              "How late the event loop ran a timer, last sample", registry=r)
        self.draining = Gauge("cesi_node_draining", "1 while this node drains before exiting",
                              registry=r)
        # Live sockets, kept by the realtime server
        self.sockets_connected = Gauge("cesi_sockets_connected",
                                       "Socket.IO connections open on this node", registry=r)
        self.socket_connects = LoopCounter("cesi_socket_connects", "Socket connection attempts",
                                           ["outcome"], registry=r)
        self.socket_events = LoopCounter("cesi_socket_events", "Events received from sockets",
                                         ["event"], registry=r)
        # Fan-out between nodes: `in` = messages this node received from Redis for its
        # sockets, `out` = messages it emitted to sockets
        self.fanout_in = LoopCounter("cesi_fanout_messages_in", "Live messages received from Redis",
                                     ["type"], registry=r)
        self.fanout_out = LoopCounter("cesi_fanout_messages_out", "Live messages emitted to sockets",
                                      ["type"], registry=r)
        self.gps_fixes = LoopCounter("cesi_gps_fixes", "Courier positions received", ["outcome"],
                                     registry=r)
        # Dispatch, kept by the couriers feature
        self.dispatch_offers = LoopCounter("cesi_dispatch_offers", "Delivery offers by outcome",
                                           ["outcome"], registry=r)
        self.dispatch_assign_time = Histogram("cesi_dispatch_assign_seconds",
                                              "From searching to a courier assigned",
                                              buckets=SLOW_BUCKETS, registry=r)
        # Webhooks, kept by the platform feature
        self.webhook_deliveries = LoopCounter("cesi_webhook_deliveries", "Webhook attempts by outcome",
                                              ["outcome"], registry=r)
        self.webhook_latency = Histogram("cesi_webhook_delivery_duration_seconds",
                                         "Time for a subscriber to answer a webhook",
                                         buckets=LATENCY_BUCKETS, registry=r)

    def count_request(self, method: str, route: str, status: int, seconds: float | None) -> None:
        """One HTTP answer, timed unless `seconds` is None; each label set is looked up once."""
        children = self._http_children.get((method, route, status))
        if children is None:
            labels = (method, route, str(status))
            children = self._http_children[method, route, status] = (
                self.http_requests.labels(*labels), self.http_latency.labels(*labels))
        children[0].inc()
        if seconds is not None:
            children[1].observe(seconds)

    @staticmethod
    def total(metric: LoopCounter | Gauge) -> float:
        """The sum of a metric over all its label values (a counter's `_total` samples)."""
        return sum(sample.value for family in metric.collect() for sample in family.samples)


METRICS = web.AppKey("metrics", Metrics)


def metrics_of(ctx: Context) -> Metrics:
    """The node's metrics from a use case, which sees the Context and not the app."""
    return ctx.extras["metrics"]
