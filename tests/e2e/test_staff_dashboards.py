"""The staff dashboards in a real browser, against a real node and its registry."""
from __future__ import annotations

import re
import secrets
import time
from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import expect

from tests.support.http import call
from tests.support.live import ServerProcess

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def staff(live_env, live_server, role: str) -> dict:
    """A staff account made by the CLI, as they are, and its tokens from the API."""
    email = f"{role}-{secrets.token_hex(4)}@example.fr"
    made = ServerProcess(["create-staff", "--role", role, "--email", email, "--password",
                          PASSWORD, "--name", f"Staff {role}"], live_env)
    assert made.process.wait(60) == 0, made.log
    status, tokens = call("POST", live_server + "/api/v1/auth/login",
                          {"email": email, "password": PASSWORD})
    assert status == 200, tokens
    return {"email": email, **tokens}


def sign_in(page, person: dict) -> None:
    page.goto("/")
    page.evaluate("pair => { localStorage.setItem('access_token', pair.access_token);"
                  " localStorage.setItem('refresh_token', pair.refresh_token); }", person)


def fr(value: float, digits: int) -> str:
    """A number as fr-FR shows it: comma decimals, narrow no-break space thousands, rounded as
    the browser's Intl rounds, halves away from zero (5.25 is 5,3; Python's format says 5.2)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def shown_node(row) -> dict:
    cells = row.locator("td[data-field]")
    texts = {cells.nth(i).get_attribute("data-field"): cells.nth(i).inner_text()
             for i in range(cells.count())}
    return {"seq": int(row.get_attribute("data-seq")), "node": row.get_attribute("data-node"),
            **texts}


def expected_cells(node: dict) -> dict:
    latency = node["latency_ms"]
    return {"node": node["node_id"], "version": node["version"],
            "requests": fr(node["requests_per_s"], 2),
            "latency": " / ".join(fr(latency[k], 1) for k in ("p50", "p95", "p99")),
            "sockets": fr(node["sockets"], 0), "lag": fr(node["loop_lag_ms"], 1),
            "cpu": fr(node["cpu_percent"], 1) + " %",
            "memory": fr(node["memory_bytes"] / 1048576, 1) + " MiB"}


def test_the_technical_dashboard_shows_the_nodes_with_the_registry_figures(
        page, live_env, live_server):
    tech = staff(live_env, live_server, "tech")
    sign_in(page, tech)
    page.goto("/staff/tech")
    row = page.locator("#nodes tr").first
    expect(row).to_be_visible()
    deadline = time.monotonic() + 20
    while True:  # the page and the registry move every 2 s: compare one announcement
        shown = shown_node(row)
        registry = call("GET", live_server + "/api/v1/admin/nodes", token=tech["access_token"])[1]
        node = next(n for n in registry["nodes"] if n["node_id"] == shown["node"])
        if node["seq"] == shown["seq"]:
            break
        assert time.monotonic() < deadline, "the page never showed the registry's latest figures"
        expect(row).not_to_have_attribute("data-seq", str(shown["seq"]))
    assert {k: shown[k] for k in expected_cells(node)} == expected_cells(node)
    assert shown["status"] == "en service"
    expect(page.locator("#postgres-health [data-field=status]")).to_have_text("OK")
    expect(page.locator("#redis-health [data-field=status]")).to_have_text("OK")


def test_the_technical_dashboard_lists_sign_ins_with_filters(page, live_env, live_server):
    tech = staff(live_env, live_server, "tech")
    call("POST", live_server + "/api/v1/auth/login", {"email": tech["email"], "password": "wrong" * 3})
    sign_in(page, tech)
    page.goto("/staff/tech")
    page.get_by_label("Adresse e-mail").fill(tech["email"])
    page.get_by_role("button", name="Rechercher").click()
    rows = page.locator("#logs tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("[data-field=result]")).to_have_text("échec")
    expect(rows.nth(1).locator("[data-field=result]")).to_have_text("réussie")
    page.get_by_label("Résultat").select_option("true")
    page.get_by_role("button", name="Rechercher").click()
    expect(rows).to_have_count(1)
    expect(rows.first.locator("[data-field=email]")).to_have_text(tech["email"])


def test_the_sales_dashboard_shows_live_kpis_and_exports_the_period_as_csv(
        page, live_env, live_server):
    sign_in(page, staff(live_env, live_server, "sales"))
    page.goto("/staff/sales")
    expect(page.locator("#live-state")).to_have_text("en direct")
    # filled from the live `kpi` stream (the count is today's, other tests' orders included)
    expect(page.locator("[data-kpi=placed] strong")).to_have_text(re.compile(r"^[0-9]+$"))
    expect(page.locator("#funnel-chart")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter en CSV").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "day,label,orders,delivered,cancelled,revenue_cents,average_basket_cents"


# Notes the document's state each time the page opens a websocket (before any page script runs).
NOTE_SOCKET_OPENINGS = """
window.socketOpenedWhile = [];
window.WebSocket = class extends window.WebSocket {
  constructor(...args) { super(...args); window.socketOpenedWhile.push(document.readyState); }
};
"""


def test_the_live_socket_opens_once_the_page_scripts_listen_so_the_first_kpi_is_not_lost(
        page, live_env, live_server):
    # The node sends a staff socket today's KPIs as soon as it connects; a socket opened while
    # the page's own scripts still load would hear them before the dashboard listens.
    sign_in(page, staff(live_env, live_server, "sales"))
    page.add_init_script(NOTE_SOCKET_OPENINGS)
    page.goto("/staff/sales")
    expect(page.locator("[data-kpi=placed] strong")).to_have_text(re.compile(r"^[0-9]+$"))
    assert page.evaluate("window.socketOpenedWhile") in (["interactive"], ["complete"])


def test_the_staff_pages_are_shown_to_staff_only(page, live_env, live_server):
    email = f"cust-{secrets.token_hex(4)}@example.fr"
    call("POST", live_server + "/api/v1/auth/register",
         {"email": email, "password": PASSWORD, "name": "Cléo", "role": "customer"})
    sign_in(page, call("POST", live_server + "/api/v1/auth/login",
                       {"email": email, "password": PASSWORD})[1])
    page.goto("/staff")
    expect(page.get_by_role("alert")).to_have_text("Cette page est réservée à l'équipe CESI EATS.")
    expect(page.locator("#staff-links")).to_be_hidden()
    page.goto("/staff/tech")
    expect(page.get_by_role("alert")).to_have_text("Cette page est réservée à l'équipe technique.")
    expect(page.locator("#nodes-table")).to_be_hidden()


def test_the_staff_landing_page_links_the_tech_dashboard_for_tech_staff(
        page, live_env, live_server):
    sign_in(page, staff(live_env, live_server, "tech"))
    page.goto("/staff")
    page.get_by_role("link", name="Tableau de bord technique").click()
    expect(page).to_have_url(live_server + "/staff/tech")
    expect(page.get_by_role("link", name="Tableau de bord commercial")).to_have_count(0)
