"""Restaurant statistics: the owner's figures per local day, from the order views."""
import uuid
from datetime import UTC, date, datetime

import asyncpg

from domain.roles import Role
from server.catalogue import stats_queries
from tests.support.catalogue import fields_of, make_restaurant, set_clock
from tests.support.factories import make_person


async def test_without_orders_every_day_of_the_period_reads_zero(client):
    owner = await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner)
    response = await client.get(f"/api/v1/restaurants/{restaurant['id']}/stats?from=2025-03-30&to=2025-04-02",
                                headers=owner.headers)
    stats = await response.json()
    assert response.status == 200
    assert (stats["from"], stats["to"], stats["orders"], stats["revenue_cents"]) == ("2025-03-30", "2025-04-02", 0, 0)
    assert [d["date"] for d in stats["days"]] == ["2025-03-30", "2025-03-31", "2025-04-01", "2025-04-02"]
    assert stats["average_basket_cents"] is None and stats["best_sellers"] == []


async def test_the_default_period_is_the_last_30_local_days(client):
    owner = await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner)
    set_clock(client, datetime(2025, 1, 31, 23, 30, tzinfo=UTC))  # already 1 February in Paris
    stats = await (await client.get(f"/api/v1/restaurants/{restaurant['id']}/stats", headers=owner.headers)).json()
    assert (stats["from"], stats["to"], len(stats["days"])) == ("2025-01-03", "2025-02-01", 30)


async def test_a_period_backwards_or_longer_than_a_year_is_refused(client):
    owner = await make_person(client, Role.restaurateur)
    url = f"/api/v1/restaurants/{(await make_restaurant(client, owner))['id']}/stats"
    for query in ("?from=2025-02-01&to=2025-01-01", "?from=2023-01-01&to=2025-01-01", "?from=yesterday"):
        response = await client.get(url + query, headers=owner.headers)
        assert response.status == 422 and await fields_of(response) == {"from"}


FACTS = """CREATE OR REPLACE VIEW restaurant_order_facts AS SELECT * FROM (VALUES
 ($1::uuid, 'a0000000-0000-0000-0000-000000000001'::uuid, '2025-01-10 22:30Z'::timestamptz, true, false, 2000,
  '2025-01-10 22:31Z'::timestamptz, '2025-01-10 22:41Z'::timestamptz),
 ($1, 'a0000000-0000-0000-0000-000000000002', '2025-01-10 23:30Z', true, false, 1000,
  '2025-01-10 23:31Z', '2025-01-10 23:51Z'),
 ($1, 'a0000000-0000-0000-0000-000000000003', '2025-01-10 12:00Z', false, true, 5000, NULL, NULL),
 ($2::uuid, 'a0000000-0000-0000-0000-000000000004', '2025-01-10 12:00Z', true, false, 9900, NULL, NULL)
) AS f (restaurant_id, order_id, placed_at, counted, refused, items_cents, accepted_at, ready_at)"""
LINES = """CREATE OR REPLACE VIEW restaurant_order_lines AS SELECT * FROM (VALUES
 ('a0000000-0000-0000-0000-000000000001'::uuid, 'article', 'b0000000-0000-0000-0000-00000000000b'::uuid, 'Burger', 2, 2000),
 ('a0000000-0000-0000-0000-000000000002', 'article', 'b0000000-0000-0000-0000-00000000000b', 'Burger maison', 1, 1000),
 ('a0000000-0000-0000-0000-000000000003', 'article', 'b0000000-0000-0000-0000-00000000000c', 'Refusé', 9, 5000)
) AS l (order_id, kind, item_id, name, quantity, total_cents)"""


async def test_figures_add_up_per_local_day_leaving_out_refused_orders(database_url):
    """Run against stand-in views inside a transaction that is rolled back."""
    mine, other = uuid.uuid4(), uuid.uuid4()
    conn = await asyncpg.connect(database_url)
    tx = conn.transaction()
    await tx.start()
    try:
        await conn.execute(FACTS.replace("$1", f"'{mine}'").replace("$2", f"'{other}'"))
        await conn.execute(LINES)
        args = (mine, date(2025, 1, 10), date(2025, 1, 11), "Europe/Paris")
        days = await stats_queries.figures_by_day(conn, *args)
        prep = await stats_queries.preparation(conn, *args)
        sellers = await stats_queries.best_sellers(conn, *args)
    finally:
        await tx.rollback()
        await conn.close()
    assert [(d["day"].day, d["orders"], d["counted"], d["refused"], d["revenue_cents"]) for d in days] == [
        (10, 2, 1, 1, 2000), (11, 1, 1, 0, 1000)]  # 23:30 UTC is already Saturday in Paris
    assert (float(prep["average"]), float(prep["median"])) == (15.0, 15.0)
    assert [(s["name"], s["quantity"], s["revenue_cents"]) for s in sellers] == [("Burger maison", 3, 3000)]
