"""The staff's kpi stream: counted from the outbox, so right on every node and after a restart."""
import uuid

import pytest

from domain.roles import Role
from server.events import publish, record
from server.keys import CONTEXT
from server.live import kpi
from tests.support.factories import make_person
from tests.support.sockets import connect_as, start_node


@pytest.fixture
async def nodes(aiohttp_server, aiohttp_client, make_app):
    a = await start_node(aiohttp_server, aiohttp_client, make_app, node_id="node-a")
    b = await start_node(aiohttp_server, aiohttp_client, make_app, node_id="node-b")
    return a, b


async def order_events(ctx, order_id, *steps, publish_them=True):
    """Outbox events of an order, as the orders use cases will record them."""
    recorded = []
    for aggregate, type, data in steps:
        aggregate_id = order_id if aggregate == "order" else uuid.uuid5(order_id, "delivery")
        async with ctx.db.acquire() as conn, conn.transaction():
            recorded.append(await record(conn, aggregate, aggregate_id, type, data))
    if publish_them:
        await publish(ctx, recorded)
    return recorded


async def kpi_with(socket, events: int) -> dict:
    """The first kpi counting that many events (pushes are coalesced, so some are skipped)."""
    while True:
        kpi = await socket.next_event("kpi")
        if kpi["data"]["events"] == events:
            return kpi


async def test_sales_and_tech_get_the_days_counters_as_orders_move(nodes):
    (client_a, url_a), (client_b, url_b) = nodes
    ctx = client_a.server.app[CONTEXT]
    sales, tech = await make_person(client_a, Role.sales), await make_person(client_a, Role.tech)
    customer = await make_person(client_a)
    sockets = [await connect_as(sales, url_a), await connect_as(tech, url_b), await connect_as(customer, url_b)]
    try:
        first = await sockets[0].next_event("kpi")
        assert first["data"]["placed"] == 0 and first["seq"] == 0
        delivered, in_progress, cancelled = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        await order_events(ctx, delivered, ("order", "order.created", {"total_cents": 2500}),
                           ("order", "order.accepted", {}), ("delivery", "delivery.assigned", {}),
                           ("order", "order.delivered", {}))
        await order_events(ctx, in_progress, ("order", "order.created", {"total_cents": 1000}),
                           ("order", "order.updated", {"total_cents": 1200}),
                           ("order", "order.accepted", {}))
        await order_events(ctx, cancelled, ("order", "order.created", {"total_cents": 900}),
                           ("order", "order.cancelled", {}))
        for socket in sockets[:2]:
            kpi = (await kpi_with(socket, 8))["data"]
            assert (kpi["placed"], kpi["accepted"], kpi["assigned"], kpi["delivered"],
                    kpi["cancelled"]) == (3, 2, 1, 1, 1)
            assert kpi["in_progress"] == 1 and kpi["volume_in_progress_cents"] == 1200
            assert kpi["volume_day_cents"] == 2500 + 1200
        assert all(name != "kpi" for name, _ in sockets[2].received)
    finally:
        for socket in sockets:
            await socket.close()


async def test_a_node_started_later_shows_the_same_figures_from_postgres(nodes, aiohttp_server,
                                                                         aiohttp_client, make_app):
    (client_a, _), _ = nodes
    ctx = client_a.server.app[CONTEXT]
    await order_events(ctx, uuid.uuid4(), ("order", "order.created", {"total_cents": 700}),
                       ("order", "order.refused", {}), publish_them=False)
    client_c, url_c = await start_node(aiohttp_server, aiohttp_client, make_app, node_id="node-c")
    sales = await make_person(client_c, Role.sales)
    socket = await connect_as(sales, url_c)
    try:
        kpi = (await socket.next_event("kpi"))["data"]
        assert (kpi["placed"], kpi["cancelled"], kpi["in_progress"], kpi["volume_day_cents"]) == (1, 1, 0, 0)
    finally:
        await socket.close()


async def test_no_snapshot_is_taken_while_no_staff_dashboard_is_open(nodes, monkeypatch):
    (client_a, url_a), _ = nodes
    ctx = client_a.server.app[CONTEXT]
    taken = []
    snapshot = kpi.kpi_snapshot

    async def counted(conn):
        taken.append(1)
        return await snapshot(conn)

    monkeypatch.setattr(kpi, "kpi_snapshot", counted)
    customer = await make_person(client_a)
    watching_customer = await connect_as(customer, url_a)
    try:
        await order_events(ctx, uuid.uuid4(), ("order", "order.created", {"total_cents": 500}))
        await kpi.kpi_stream(ctx).close()  # the stream has done what the event asked
        assert taken == []
        sales = await make_person(client_a, Role.sales)
        dashboard = await connect_as(sales, url_a)
        try:
            assert (await dashboard.next_event("kpi"))["data"]["placed"] == 1
            await order_events(ctx, uuid.uuid4(), ("order", "order.created", {"total_cents": 700}))
            assert (await kpi_with(dashboard, 2))["data"]["placed"] == 2
        finally:
            await dashboard.close()
    finally:
        await watching_customer.close()
