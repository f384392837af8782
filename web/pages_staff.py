"""Staff pages: the landing page, the technical dashboard and the sales dashboard.

The pages are shells: their scripts call the tech- or sales-only API with the person's
token, so what a page shows is guarded by the API, not by the HTML.
"""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from web.i18n import gettext as _

routes = web.RouteTableDef()


def _messages() -> dict[str, str]:
    """Texts the dashboards' scripts show, translated here so the browser needs no catalogue."""
    texts = {
        "signIn": "Sign in with a staff account to see this page.",
        "notStaff": "This page is for the CESI EATS staff.",
        "techOnly": "This page is for the technical staff.",
        "salesOnly": "This page is for the sales staff.",
        "failed": "The figures could not be loaded; retrying.",
        "up": "up", "draining": "draining", "gone": "gone", "ok": "OK", "down": "unreachable",
        "success": "success", "failure": "failure", "noLogs": "No sign-in matches these filters.",
        "noDownloads": "No component downloads yet.",
        "notYet": "Not available yet.", "noRows": "No orders in this period.",
        "placed": "Orders placed", "accepted": "Accepted by restaurants",
        "assigned": "Accepted by couriers", "delivered": "Orders delivered",
        "cancelled": "Cancelled or refused", "orders": "Orders", "revenue": "Revenue",
        "live": "live", "offline": "reconnecting",
    }
    return {key: _(text) for key, text in texts.items()}


@routes.get("/staff")
@aiohttp_jinja2.template("staff/home.html")
async def staff_home(request: web.Request) -> dict:
    return {"messages": _messages()}


@routes.get("/staff/tech")
@aiohttp_jinja2.template("staff/tech.html")
async def tech_dashboard(request: web.Request) -> dict:
    return {"messages": _messages()}


@routes.get("/staff/sales")
@aiohttp_jinja2.template("staff/sales.html")
async def sales_dashboard(request: web.Request) -> dict:
    return {"messages": _messages()}
