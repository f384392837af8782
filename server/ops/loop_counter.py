"""A Prometheus counter kept in plain numbers, for counts made many times a second.

prometheus_client's Counter takes a lock on every increment, so that threads may share it;
the node's counts are all made by its event loop, one at a time, so a plain addition is
enough, and the live paths (a few counts per GPS fix delivered) pay a sixth of the price.
The registry reads the numbers when it is scraped, the same text as a Counter's.
"""
from __future__ import annotations

from typing import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.metrics_core import CounterMetricFamily


class Count:
    """One label set's count."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0.0

    def inc(self, amount: float = 1.0) -> None:
        if amount < 0:
            raise ValueError("a counter only goes up")
        self.value += amount


class LoopCounter:
    """`labels(...)` gives a label set's Count, made on first use; only the event loop may count."""

    def __init__(self, name: str, documentation: str, labelnames: list[str] | tuple[str, ...] = (),
                 *, registry: CollectorRegistry) -> None:
        self.name, self.documentation, self.labelnames = name, documentation, tuple(labelnames)
        self._counts: dict[tuple[str, ...], Count] = {}
        registry.register(self)

    def labels(self, *values: object, **named: object) -> Count:
        if named:
            values = tuple(named[label] for label in self.labelnames)
        key = tuple(str(value) for value in values)
        count = self._counts.get(key)
        if count is None:
            if len(key) != len(self.labelnames):
                raise ValueError(f"{self.name} takes the labels {self.labelnames}")
            count = self._counts[key] = Count()
        return count

    def describe(self) -> list[CounterMetricFamily]:
        return [CounterMetricFamily(self.name, self.documentation, labels=self.labelnames)]

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily(self.name, self.documentation, labels=self.labelnames)
        for key, count in self._counts.items():
            family.add_metric(key, count.value)
        yield family
