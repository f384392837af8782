"""Two real nodes behind the documented HAProxy config: spread, live sockets, a drained node."""
from __future__ import annotations

import http.cookiejar
import json
import queue
import secrets
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
import uuid

import pytest
import socketio
from prometheus_client.parser import text_string_to_metric_families

from server.ops.haproxy import render
from tests.support.http import call
from tests.support.live import ServerProcess, free_port, start_node

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
PASSWORD = "correct horse battery"
CHECK_INTER_S = 1.0  # `inter` of the rendered HAProxy config


class Cluster:
    """Nodes `a` and `b` and HAProxy in front, on free loopback ports."""

    def __init__(self, env: dict[str, str], folder) -> None:
        self.env = {**env, "REDIS_PREFIX": f"lb{secrets.token_hex(3)}:", "DRAIN_GRACE": "3"}
        self.nodes: dict[str, tuple[ServerProcess, str]] = {}
        for name in ("a", "b"):
            self.nodes[name] = start_node({**self.env, "NODE_ID": f"node-{name}"})
        port, stats_port = free_port(), free_port()
        self.url, self.stats = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{stats_port}/;csv"
        config = folder / "haproxy.cfg"
        config.write_text(render(f"127.0.0.1:{port}", [
            (name, url.removeprefix("http://")) for name, (_, url) in self.nodes.items()],
            stats_bind=f"127.0.0.1:{stats_port}"))
        # master-worker mode, to hear on stderr when the worker is ready; servers start UP
        self.haproxy = subprocess.Popen([HAPROXY, "-W", "-db", "-f", str(config)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.haproxy_log = lines_of(self.haproxy.stderr)
        wait_for_line(self.haproxy_log, "Loading success.")
        assert self.states() == {"a": "UP", "b": "UP"}

    def states(self) -> dict[str, str]:
        """HAProxy's view of each node in the `nodes` backend."""
        try:
            with urllib.request.urlopen(self.stats, timeout=2) as response:
                lines = response.read().decode().splitlines()
        except OSError:
            return {}
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","))) for line in lines[1:]]
        return {r["svname"]: r["status"].split()[0] for r in rows
                if r["pxname"] == "nodes" and r["svname"] in self.nodes}

    def served(self, name: str, route: str = "/healthz") -> float:
        """GET requests node `name` answered on `route`, from its own /metrics."""
        text = call("GET", self.nodes[name][1] + "/metrics")[1]
        return sum(s.value for family in text_string_to_metric_families(text)
                   for s in family.samples if s.name == "cesi_http_requests_total"
                   and s.labels["route"] == route and s.labels["method"] == "GET")

    def stop(self) -> None:
        self.haproxy.terminate()
        self.haproxy.wait(10)
        for node, _ in self.nodes.values():
            if node.process.poll() is None:
                node.process.send_signal(signal.SIGINT)  # no drain grace needed here
            node.stop()

    def tech_token(self) -> str:
        """A tech account made by the CLI, as staff accounts are, signed in through the LB."""
        email = f"tech-{secrets.token_hex(4)}@example.fr"
        made = ServerProcess(["create-staff", "--role", "tech", "--email", email,
                              "--password", PASSWORD, "--name", "Tess"], self.env)
        assert made.process.wait(60) == 0, made.log
        return call("POST", self.url + "/api/v1/auth/login",
                    {"email": email, "password": PASSWORD})[1]["access_token"]

    def registry(self, token: str) -> tuple[list[str], list[str]]:
        """Live and gone node ids, as the technical dashboard reads them."""
        status, seen = call("GET", self.url + "/api/v1/admin/nodes", token=token)
        assert status == 200, seen
        return ([n["node_id"] for n in seen["nodes"]], [n["node_id"] for n in seen["gone"]])


def lines_of(stream) -> queue.Queue[str | None]:
    """The stream's lines as they come, then None when it closes."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line.rstrip())
        lines.put(None)
    threading.Thread(target=read, daemon=True).start()
    return lines


def wait_for_line(lines: queue.Queue[str | None], text: str, timeout: float = 20.0) -> str:
    """Block until a line containing `text` arrives; fail if the stream ends first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0))
        except queue.Empty:
            raise TimeoutError(f"no line with {text!r} within {timeout}s") from None
        if line is None:
            raise RuntimeError(f"the stream closed before a line with {text!r}")
        if text in line:
            return line


def sign_up(url: str, role: str = "customer") -> str:
    email = f"lb-{secrets.token_hex(4)}@example.fr"
    status, _ = call("POST", url + "/api/v1/auth/register",
                     {"email": email, "password": PASSWORD, "name": "Lou", "role": role})
    assert status == 201
    return call("POST", url + "/api/v1/auth/login", {"email": email, "password": PASSWORD})[1][
        "access_token"]


@pytest.fixture(scope="module")
def cluster(live_env, tmp_path_factory):
    cluster = Cluster(live_env, tmp_path_factory.mktemp("haproxy"))
    yield cluster
    cluster.stop()


def test_requests_through_the_load_balancer_are_spread_over_both_nodes(cluster):
    before = {name: cluster.served(name) for name in cluster.nodes}
    statuses = [call("GET", cluster.url + "/healthz")[0] for _ in range(20)]
    assert statuses == [200] * 20
    handled = {name: cluster.served(name) - before[name] for name in cluster.nodes}
    assert handled["a"] >= 5 and handled["b"] >= 5
    assert handled["a"] + handled["b"] == 20


def test_metrics_are_not_served_through_the_load_balancer(cluster):
    assert call("GET", cluster.url + "/metrics")[0] == 403


async def test_a_websocket_connects_through_the_load_balancer(cluster):
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(cluster.url, auth={"token": sign_up(cluster.url)},
                         transports=["websocket"], wait_timeout=10)
    try:
        assert client.connected and client.transport() == "websocket"
        ack = await client.call("unsubscribe", {"order_id": str(uuid.uuid4())}, timeout=10)
        assert isinstance(ack, dict) and "ok" in ack
    finally:
        await client.disconnect()


def test_a_long_polling_session_stays_on_one_node_through_the_load_balancer(cluster):
    # Engine.IO by hand: every request of the session must reach the node that holds it
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    poll = cluster.url + "/socket.io/?EIO=4&transport=polling"
    with opener.open(poll, timeout=10) as response:
        sid = json.loads(response.read().decode()[1:])["sid"]
    assert [cookie.name for cookie in jar] == ["cesi_node"]
    session = f"{poll}&sid={sid}"

    def send(packet: str) -> None:
        with opener.open(urllib.request.Request(session, data=packet.encode()), timeout=10) as sent:
            assert sent.read() == b"OK"

    def receive() -> str:
        with opener.open(session, timeout=10) as response:
            return response.read().decode()
    send("40" + json.dumps({"token": sign_up(cluster.url)}))
    assert receive().startswith("40{")
    for ack in range(1, 5):  # round robin without stickiness would refuse one of these
        send(f"42{ack}" + json.dumps(["unsubscribe", {"order_id": str(uuid.uuid4())}]))
        assert receive().startswith(f"43{ack}[")
    send("1")  # close the session


class Traffic(threading.Thread):
    """Sequential requests through the load balancer until stopped (bounded in count)."""

    def __init__(self, url: str, token: str, limit: int = 3000) -> None:
        super().__init__(daemon=True)
        self.url, self.token, self.limit = url, token, limit
        self.halt = threading.Event()
        self.results: list[int | str] = []
        self.counted = threading.Condition()

    def run(self) -> None:
        # Paced on purpose: the test is that requests spread over the drain all succeed, so
        # many land within each health check interval, while the signed-in calls stay under
        # the person's rate limit.
        paths = ("/healthz", "/healthz", "/healthz", "/api/v1/me")
        while not self.halt.wait(CHECK_INTER_S / 50) and len(self.results) < self.limit:
            try:
                status, _ = call("GET", self.url + paths[len(self.results) % 4], token=self.token)
            except OSError as exc:
                status = repr(exc)
            with self.counted:
                self.results.append(status)
                self.counted.notify_all()

    def wait_for(self, count: int, timeout: float = 20.0) -> None:
        """Block until `count` requests have been answered."""
        with self.counted:
            if not self.counted.wait_for(lambda: len(self.results) >= count, timeout):
                raise TimeoutError(f"only {len(self.results)} of {count} requests in {timeout}s")

    def failures(self) -> list:
        return [result for result in self.results if result != 200]


def test_draining_a_node_sends_everything_to_the_other_without_a_failed_request(
        live_env, tmp_path):
    cluster = Cluster(live_env, tmp_path)
    try:
        node_a, url_a = cluster.nodes["a"]
        tech = cluster.tech_token()
        assert cluster.registry(tech) == (["node-a", "node-b"], [])
        traffic = Traffic(cluster.url, sign_up(cluster.url))
        traffic.start()
        traffic.wait_for(20)
        node_a.process.send_signal(signal.SIGTERM)
        node_a.wait_for("draining")
        assert call("GET", url_a + "/readyz")[0] == 503
        wait_for_line(cluster.haproxy_log, "Server nodes/a is DOWN")
        assert cluster.states().get("a") == "DOWN"
        assert node_a.process.poll() is None  # still serving: the grace outlives detection
        assert node_a.process.wait(30) == 0
        assert cluster.registry(tech) == (["node-b"], ["node-a"])
        b_before, sent_before = cluster.served("b"), len(traffic.results)
        traffic.wait_for(sent_before + 20)
        traffic.halt.set()
        traffic.join(15)
        assert traffic.failures() == []
        healthz_after = (len(traffic.results) - sent_before) * 3 // 4
        assert cluster.served("b") - b_before >= healthz_after - 1
    finally:
        cluster.stop()
