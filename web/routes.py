"""Every HTTP route of the node, gathered from the edge modules."""
from __future__ import annotations

from pathlib import Path

from aiohttp import web

from web import health, pages
from web.api import auth, me
from web import metrics
from web.api import admin_nodes, admin_stats
from web import pages_staff
from web import catalogue_pages, photo_files
from web.api import catalogue_items, restaurant_photos, restaurant_stats, restaurants
from web.api import admin_accounts, connection_logs, me_data
from web import pages_accounts
from web.api import order_actions, orders
from web import pages_orders
from web.api import couriers, deliveries
from web import pages_courier
from web.api import notifications
from web.api import webhooks
from web.api import components
from web import npm_registry
from web import pages_components

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
ROUTE_TABLES = [
    health.routes,
    pages.routes,
    auth.routes,
    me.routes,
    metrics.routes,
    admin_nodes.routes,
    admin_stats.routes,
    pages_staff.routes,
    me_data.routes,
    admin_accounts.routes,
    connection_logs.routes,
    pages_accounts.routes,
    restaurants.routes,
    catalogue_items.routes,
    restaurant_photos.routes,
    restaurant_stats.routes,
    photo_files.routes,
    catalogue_pages.routes,
    orders.routes,
    order_actions.routes,
    pages_orders.routes,
    couriers.routes,
    deliveries.routes,
    pages_courier.routes,
    notifications.routes,
    webhooks.routes,
    components.routes,
    npm_registry.routes,
    pages_components.routes,
]


def setup_routes(app: web.Application) -> None:
    for table in ROUTE_TABLES:
        app.router.add_routes(table)
    vendor = STATIC_DIR / "node_modules"
    if vendor.is_dir():
        # registered first: /static would otherwise claim /static/vendor
        app.router.add_static("/static/vendor", vendor, name="vendor")
    app.router.add_static("/static", STATIC_DIR, name="static")
