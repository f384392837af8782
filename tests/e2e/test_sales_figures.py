"""The sales dashboard's figures in a real browser are the database's figures.

The live server's database is shared with the other browser tests of the process, so what
the cards should show is counted from the `orders` table when the test looks, not from what
this test made.
"""
from __future__ import annotations

import asyncio
import csv
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor

import asyncpg
import pytest
from playwright.sync_api import expect

from tests.e2e.test_staff_dashboards import sign_in, staff
from tests.support.e2e_orders import ALL_DAY, north
from tests.support.http import call, sign_up

pytestmark = pytest.mark.browser
HERE = {"lat": 48.8566, "lng": 2.3522}
ENDED = "('delivered', 'refused', 'cancelled')"

# Today's figures as the cards name them, from the orders themselves (a French day).
TODAY_SQL = f"""
WITH day AS (SELECT date_trunc('day', now() AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris' AS start)
SELECT to_char(day.start AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS day,
       count(*) FILTER (WHERE placed_at >= day.start) AS placed,
       count(*) FILTER (WHERE accepted_at >= day.start) AS accepted,
       count(*) FILTER (WHERE delivered_at >= day.start) AS delivered,
       count(*) FILTER (WHERE refused_at >= day.start OR cancelled_at >= day.start) AS cancelled,
       count(*) FILTER (WHERE status NOT IN {ENDED}) AS in_progress,
       coalesce(sum(total_cents) FILTER (WHERE status NOT IN {ENDED}), 0) AS volume_in_progress_cents,
       coalesce(sum(total_cents) FILTER (WHERE placed_at >= day.start
                                         AND status NOT IN ('refused', 'cancelled')), 0)
         AS volume_day_cents
FROM day LEFT JOIN orders ON true GROUP BY day.start"""

# One restaurant's orders placed today: the period statistics' row.
SHOP_SQL = """
SELECT count(*) AS orders,
       count(*) FILTER (WHERE status = 'delivered') AS delivered,
       count(*) FILTER (WHERE status IN ('refused', 'cancelled')) AS cancelled,
       coalesce(sum(total_cents) FILTER (WHERE status = 'delivered'), 0) AS revenue_cents,
       coalesce(round(avg(total_cents) FILTER (WHERE status = 'delivered')), 0)::bigint
         AS average_basket_cents
FROM orders WHERE restaurant_id = $1
  AND (placed_at AT TIME ZONE 'Europe/Paris')::date = (now() AT TIME ZONE 'Europe/Paris')::date"""


def query(url: str, sql: str, *args) -> dict:
    """One row from the live server's database, asked from a thread (the browser owns this one)."""
    async def fetch():
        conn = await asyncpg.connect(url)
        try:
            return dict(await conn.fetchrow(sql, *args))
        finally:
            await conn.close()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fetch()).result()


def person(base: str, role: str) -> dict:
    return sign_up(base, role)

def shop_with_orders(base: str, name: str) -> dict:
    """A restaurant with three orders: one accepted, one refused, one still waiting."""
    owner, customer = person(base, "restaurateur"), person(base, "customer")
    status, shop = call("POST", base + "/api/v1/restaurants", {
        "name": name, "address": "1 rue des Chiffres", "hours": ALL_DAY, "position": HERE,
        "delivery_radius_m": 5000}, token=owner["access_token"])
    assert status == 201, shop
    status, dish = call("POST", f"{base}/api/v1/restaurants/{shop['id']}/articles",
                        {"name": "Plat du jour", "price_cents": 1390}, token=owner["access_token"])
    assert status == 201, dish
    orders = []
    for quantity in (1, 2, 3):
        status, order = call("POST", base + "/api/v1/orders", {
            "restaurant_id": shop["id"], "payment_token": "tok_sandbox_ok",
            "lines": [{"kind": "article", "item_id": dish["id"], "quantity": quantity}],
            "delivery": {"address": "2 rue des Chiffres", "position": north(HERE, 800)}},
            token=customer["access_token"], headers={"Idempotency-Key": str(uuid.uuid4())})
        assert status == 201, order
        orders.append(order)
    status, body = call("POST", f"{base}/api/v1/orders/{orders[0]['id']}/accept",
                        {"prep_minutes": 15}, token=owner["access_token"])
    assert status == 200, body
    status, body = call("POST", f"{base}/api/v1/orders/{orders[1]['id']}/refuse",
                        {"reason": "Plus de pain"}, token=owner["access_token"])
    assert status == 200, body
    return shop


def fr_number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def fr_euros(cents: int) -> str:
    """As fr-FR shows money: 1 234,50 € (whitespace is compared normalised)."""
    return f"{cents / 100:,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def test_the_sales_figures_shown_are_the_databases(page, live_env, live_server):
    database = live_env["DATABASE_URL"]
    name = f"Chez Compta {secrets.token_hex(3)}"
    sign_in(page, staff(live_env, live_server, "sales"))
    page.goto("/staff/sales")
    expect(page.locator("#live-state")).to_have_text("en direct")
    shop = shop_with_orders(live_server, name)  # the page is open: the cards move live

    while True:  # other tests' orders may move meanwhile (the acceptance deadline): look again
        today = query(database, TODAY_SQL)
        assert today["placed"] >= 3 and today["accepted"] >= 1 and today["cancelled"] >= 1
        try:
            expect(page.locator("#kpi-day")).to_have_text(today["day"])
            for key in ("placed", "accepted", "delivered", "cancelled", "in_progress"):
                expect(page.locator(f"[data-kpi={key}] strong")).to_have_text(fr_number(today[key]))
            for key in ("volume_in_progress_cents", "volume_day_cents"):
                expect(page.locator(f"[data-kpi={key}] strong")).to_have_text(fr_euros(today[key]))
            break
        except AssertionError:
            if query(database, TODAY_SQL) == today:
                raise

    # the period statistics for today, per restaurant: on the page and in the CSV export
    page.locator("#stats-from").fill(today["day"])
    page.locator("#stats-to").fill(today["day"])
    page.locator("#stats-by").select_option("restaurant")
    page.locator("#stats-form button[type=submit]").click()
    figures = query(database, SHOP_SQL, uuid.UUID(shop["id"]))
    assert figures["orders"] == 3 and figures["cancelled"] == 1
    row = page.locator("#stats-rows tr").filter(has=page.locator("[data-field=label]", has_text=name))
    expect(row.locator("td")).to_have_text([
        name, fr_number(figures["orders"]), fr_number(figures["delivered"]),
        fr_number(figures["cancelled"]), fr_euros(figures["revenue_cents"]),
        fr_euros(figures["average_basket_cents"])])
    with page.expect_download() as download:
        page.locator("#stats-csv").click()
    with open(download.value.path(), encoding="utf-8", newline="") as exported:
        lines = {line["restaurant"]: line for line in csv.DictReader(exported)}
    assert lines[shop["id"]] == {"restaurant": shop["id"], "label": name,
                                 **{key: str(value) for key, value in figures.items()}}
