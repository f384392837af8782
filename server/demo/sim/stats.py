"""Live counts, latencies and errors of a run: the progress line and the final summary."""
from __future__ import annotations

import math
import time
from collections import Counter

import msgspec

COUNTED = ("placed", "accepted", "refused", "cancelled", "ready", "picked_up", "delivered",
           "offers", "offers_accepted", "offers_declined", "fixes_sent", "pushes")


class Latency(msgspec.Struct):
    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


class Report(msgspec.Struct):
    seconds: float
    counts: dict[str, int]
    latency: dict[str, Latency]
    errors: dict[str, int]
    notes: dict[str, int]
    orders: dict[str, str]     # order id -> last status the customer saw


class Stats:
    """Everything bots count; errors are what a client should never see, notes what may happen."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.counts: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.notes: Counter[str] = Counter()
        self.samples: dict[str, list[float]] = {}
        self.orders: dict[str, str] = {}

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] += n

    def error(self, kind: str) -> None:
        self.errors[kind] += 1

    def note(self, kind: str) -> None:
        self.notes[kind] += 1

    def sample(self, what: str, ms: float) -> None:
        self.samples.setdefault(what, []).append(max(0.0, ms))

    def order_status(self, order_id: str, status: str) -> None:
        self.orders[order_id] = status

    def progress_line(self) -> str:
        c = self.counts
        in_flight = sum(1 for s in self.orders.values() if s not in ("delivered", "refused", "cancelled"))
        return (f"{time.monotonic() - self.started:6.0f}s  orders placed {c['placed']}"
                f" delivered {c['delivered']} in flight {in_flight} refused {c['refused']}"
                f" cancelled {c['cancelled']} | offers {c['offers']} | fixes {c['fixes_sent']}"
                f" | pushes {c['pushes']} | errors {sum(self.errors.values())}")

    def report(self) -> Report:
        return Report(seconds=round(time.monotonic() - self.started, 1), counts={k: self.counts[k] for k in COUNTED},
                      latency={k: _latency(v) for k, v in sorted(self.samples.items()) if v},
                      errors=dict(self.errors), notes=dict(self.notes), orders=dict(self.orders))


def _latency(values: list[float]) -> Latency:
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)], 1)
    return Latency(count=len(ordered), p50_ms=pick(0.5), p95_ms=pick(0.95), p99_ms=pick(0.99),
                   max_ms=round(ordered[-1], 1))


def summary_text(report: Report) -> str:
    lines = [f"Simulated {report.seconds:.0f} s.",
             "Counts: " + ", ".join(f"{k} {v}" for k, v in report.counts.items())]
    for name, lat in report.latency.items():
        lines.append(f"Latency of {name}: p50 {lat.p50_ms} ms, p95 {lat.p95_ms} ms, p99 {lat.p99_ms} ms,"
                     f" max {lat.max_ms} ms over {lat.count}")
    lines.append("Errors: " + (", ".join(f"{k} x{v}" for k, v in sorted(report.errors.items())) or "none"))
    if report.notes:
        lines.append("Also happened: " + ", ".join(f"{k} x{v}" for k, v in sorted(report.notes.items())))
    return "\n".join(lines)
