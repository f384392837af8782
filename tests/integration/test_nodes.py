"""The node registry: every node announces its figures; stopped or silent ones show as gone."""
import asyncio
import os

import msgspec
import pytest

from domain.roles import Role
from server.db.pool import DEFAULT_MAX_SIZE
from server.keys import CONTEXT
from server.ops.drain import DRAIN
from server.ops.figures import NodeFigures
from server.ops.registry import TTL_S, NodeRegistry
from tests.support.factories import make_person


class Announcements:
    """An event set by the next node announcement made in this process."""

    def __init__(self) -> None:
        self.next = asyncio.Event()

    def made(self) -> None:
        self.next.set()
        self.next = asyncio.Event()


@pytest.fixture
def announced(monkeypatch) -> Announcements:
    announcements, announce = Announcements(), NodeRegistry.announce

    async def announce_and_tell(self, figures, ttl_s=TTL_S):
        await announce(self, figures, ttl_s)
        announcements.made()
    monkeypatch.setattr(NodeRegistry, "announce", announce_and_tell)
    return announcements


async def eventually(check, announced: Announcements, timeout=8.0):
    """Ask `check` now and after each announcement until it returns something truthy."""
    async with asyncio.timeout(timeout):
        while True:
            next_one = announced.next  # taken before asking, so no announcement is missed
            if result := await check():
                return result
            await next_one.wait()


async def nodes_seen_by(client, person) -> dict:
    response = await client.get("/api/v1/admin/nodes", headers=person.headers)
    assert response.status == 200, await response.text()
    return await response.json()


async def test_two_running_nodes_are_listed_with_their_figures(client, make_app, aiohttp_client,
                                                               announced):
    await aiohttp_client(make_app(node_id="node-b"))
    tech = await make_person(client, Role.tech)

    async def both():
        seen = await nodes_seen_by(client, tech)
        return seen if [n["node_id"] for n in seen["nodes"]] == ["node-a", "node-b"] else None
    seen = await eventually(both, announced)
    node = seen["nodes"][0]
    assert node["status"] == "up" and node["pid"] == os.getpid()
    assert node["memory_bytes"] > 0 and node["db_pool"]["max"] == DEFAULT_MAX_SIZE
    assert set(node["latency_ms"]) == {"p50", "p95", "p99"}
    assert {"requests_per_s", "sockets", "messages_in_per_s", "messages_out_per_s",
            "loop_lag_ms", "cpu_percent", "version", "started_at"} <= set(node)


async def test_a_node_that_stops_shows_as_gone_and_the_other_remains(client, make_app,
                                                                     aiohttp_client, announced):
    other = await aiohttp_client(make_app(node_id="node-b"))
    tech = await make_person(client, Role.tech)
    await eventually(lambda: _listed(client, tech, ["node-a", "node-b"]), announced)
    await other.close()
    seen = await nodes_seen_by(client, tech)
    assert [n["node_id"] for n in seen["nodes"]] == ["node-a"]
    assert [n["node_id"] for n in seen["gone"]] == ["node-b"]


async def test_a_node_that_falls_silent_is_gone_once_its_announcement_expires(client, announced):
    tech = await make_person(client, Role.tech)
    seen = await eventually(lambda: _listed(client, tech, ["node-a"]), announced)
    registry = NodeRegistry(client.app[CONTEXT])
    silent = seen["nodes"][0] | {"node_id": "node-killed"}
    await registry.announce(registry_figures(silent), ttl_s=1)
    assert "node-killed" in [n["node_id"] for n in (await nodes_seen_by(client, tech))["nodes"]]

    async def gone():
        listed = await nodes_seen_by(client, tech)
        return "node-killed" in [n["node_id"] for n in listed["gone"]]
    # the announcement's lifetime is what is tested: let it run out as Redis counts it. This is
    # a clock, not an event: Redis's expired-key notification comes only when it reclaims the
    # key, which in a database full of keys with lifetimes can be seconds after; a read sees
    # the key gone as soon as its lifetime is over.
    ctx = client.app[CONTEXT]
    await asyncio.sleep(max(await ctx.redis.pttl(ctx.key("node", "node-killed")), 0) / 1000)
    await eventually(gone, announced, timeout=5)


async def test_a_draining_node_says_so_and_stops_being_ready(client, announced):
    tech = await make_person(client, Role.tech)
    await eventually(lambda: _listed(client, tech, ["node-a"]), announced)
    client.app[DRAIN].begin(client.app)
    assert (await client.get("/readyz")).status == 503

    async def draining():
        return (await nodes_seen_by(client, tech))["nodes"][0]["status"] == "draining"
    await eventually(draining, announced)


async def test_the_stores_health_is_reported(client):
    seen = await nodes_seen_by(client, await make_person(client, Role.tech))
    postgres, redis = seen["postgres"], seen["redis"]
    assert postgres["ok"] and postgres["ping_ms"] >= 0 and postgres["connections"] >= 1
    assert postgres["max_connections"] >= postgres["connections"]
    assert redis["ok"] and redis["ping_ms"] >= 0 and redis["used_memory_bytes"] > 0
    assert redis["connected_clients"] >= 1


async def test_nodes_are_refused_to_everyone_but_tech_staff(client):
    assert (await client.get("/api/v1/admin/nodes")).status == 401
    for role in (Role.sales, Role.customer, Role.courier):
        person = await make_person(client, role)
        response = await client.get("/api/v1/admin/nodes", headers=person.headers)
        assert response.status == 403, role


async def _listed(client, tech, node_ids):
    seen = await nodes_seen_by(client, tech)
    return seen if [n["node_id"] for n in seen["nodes"]] == node_ids else None


def registry_figures(raw: dict) -> NodeFigures:
    return msgspec.convert(raw, NodeFigures, strict=False)
