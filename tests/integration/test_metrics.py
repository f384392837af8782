"""/metrics: Prometheus text that counts what the node does, shown only to whom it may."""
from prometheus_client.parser import text_string_to_metric_families

from domain.roles import Role
from server.ops.metrics import METRICS, metrics_of
from server.keys import CONTEXT
from tests.support.factories import make_person

METRICS_TOKEN = "m" * 40
FROM_OUTSIDE = {"X-Forwarded-For": "203.0.113.7"}


async def scrape(client, headers=None) -> dict:
    response = await client.get("/metrics", headers=headers or {})
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def requests_of(samples, route, status="200", method="GET") -> float:
    labels = (("method", method), ("route", route), ("status", status))
    return samples.get(("cesi_http_requests_total", labels), 0)


async def test_requests_are_counted_per_route_and_status(client):
    before = await scrape(client)
    for _ in range(3):
        assert (await client.get("/healthz")).status == 200
    assert (await client.get("/no-such-page")).status == 404
    after = await scrape(client)
    assert requests_of(after, "/healthz") - requests_of(before, "/healthz") == 3
    assert requests_of(after, "unmatched", "404") - requests_of(before, "unmatched", "404") == 1


async def test_latency_histogram_in_flight_loop_lag_and_process_figures_are_exposed(client):
    await client.get("/healthz")
    samples = await scrape(client)
    names = {name for name, _ in samples}
    bucket = ("cesi_http_request_duration_seconds_count",
              (("method", "GET"), ("route", "/healthz"), ("status", "200")))
    assert samples[bucket] >= 1
    # the scrape itself is in flight while the text is written
    assert samples[("cesi_http_requests_in_flight", ())] == 1
    assert {"cesi_event_loop_lag_seconds", "process_cpu_seconds_total",
            "process_resident_memory_bytes", "cesi_node_info"} <= names


async def test_features_count_through_the_registration_points(client):
    metrics = client.app[METRICS]
    assert metrics_of(client.app[CONTEXT]) is metrics
    metrics.sockets_connected.inc(2)
    metrics.fanout_out.labels(type="order.updated").inc(5)
    metrics.dispatch_offers.labels(outcome="accepted").inc()
    metrics.webhook_deliveries.labels(outcome="delivered").inc()
    samples = await scrape(client)
    assert samples[("cesi_sockets_connected", ())] == 2
    assert samples[("cesi_fanout_messages_out_total", (("type", "order.updated"),))] == 5
    assert samples[("cesi_dispatch_offers_total", (("outcome", "accepted"),))] == 1
    assert samples[("cesi_webhook_deliveries_total", (("outcome", "delivered"),))] == 1


async def test_two_nodes_in_one_process_keep_separate_counts(make_app, aiohttp_client):
    first = await aiohttp_client(make_app(node_id="first"))
    second = await aiohttp_client(make_app(node_id="second"))
    await first.get("/healthz")
    assert requests_of(await scrape(first), "/healthz") == 1
    assert requests_of(await scrape(second), "/healthz") == 0


async def test_metrics_through_a_proxy_are_refused_without_credentials(client):
    response = await client.get("/metrics", headers=FROM_OUTSIDE)
    assert response.status == 401
    assert "cesi_http_requests" not in await response.text()


async def test_metrics_through_a_proxy_are_refused_to_other_roles(client):
    sales = await make_person(client, Role.sales)
    response = await client.get("/metrics", headers={**FROM_OUTSIDE, **sales.headers})
    assert response.status == 403


async def test_metrics_through_a_proxy_are_shown_to_tech_staff(client):
    tech = await make_person(client, Role.tech)
    samples = await scrape(client, {**FROM_OUTSIDE, **tech.headers})
    assert ("cesi_http_requests_in_flight", ()) in samples


async def test_metrics_through_a_proxy_are_shown_with_the_metrics_token(make_app, aiohttp_client):
    client = await aiohttp_client(make_app(metrics_token=METRICS_TOKEN))
    await scrape(client, {**FROM_OUTSIDE, "Authorization": f"Bearer {METRICS_TOKEN}"})
    wrong = await client.get("/metrics", headers={**FROM_OUTSIDE,
                                                  "Authorization": "Bearer " + "x" * 40})
    assert wrong.status == 401
