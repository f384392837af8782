"""LoopCounter: the node's counters, scraped as Prometheus counters."""
import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from server.ops.loop_counter import LoopCounter


def scraped(registry: CollectorRegistry) -> dict:
    text = generate_latest(registry).decode()
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def test_counts_by_label_set_are_scraped_as_a_counters_totals():
    registry = CollectorRegistry()
    fixes = LoopCounter("cesi_gps_fixes", "Courier positions received", ["outcome"], registry=registry)
    fixes.labels(outcome="accepted").inc()
    fixes.labels("accepted").inc(2)
    fixes.labels(outcome="too-frequent").inc()
    assert scraped(registry) == {("cesi_gps_fixes_total", (("outcome", "accepted"),)): 3,
                                 ("cesi_gps_fixes_total", (("outcome", "too-frequent"),)): 1}
    assert "# TYPE cesi_gps_fixes_total counter" in generate_latest(registry).decode()


def test_a_counter_refuses_to_go_down_or_to_take_other_labels():
    registry = CollectorRegistry()
    requests = LoopCounter("cesi_http_requests", "HTTP requests", ["method", "status"], registry=registry)
    with pytest.raises(ValueError):
        requests.labels("GET", "200").inc(-1)
    with pytest.raises(ValueError):
        requests.labels("GET")
    with pytest.raises(KeyError):
        requests.labels(method="GET")
    assert scraped(registry) == {("cesi_http_requests_total", (("method", "GET"), ("status", "200"))): 0}


def test_two_counters_of_one_name_cannot_share_a_registry():
    registry = CollectorRegistry()
    LoopCounter("cesi_socket_events", "Events", ["event"], registry=registry)
    with pytest.raises(ValueError):
        LoopCounter("cesi_socket_events", "Events", ["event"], registry=registry)
