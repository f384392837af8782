"""The courier app (/courier), the kitchen's hand-over screen, and the maps' tiles."""
from __future__ import annotations

import json

import aiohttp_jinja2
from aiohttp import web

from server.keys import SETTINGS
from server.settings import Settings
from web.i18n import gettext as _

routes = web.RouteTableDef()
# Public tiles in production only: elsewhere a local blank tile, so nothing leaves the machine.
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
LOCAL_TILE = "/static/img/map-tile.png"
OSM_CREDIT = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
_TEXTS = {
    "failed": "Something went wrong. Please try again.",
    "signInFirst": "Sign in with a courier account to start delivering.",
    "online": "Online", "offline": "Offline",
    "waitingPosition": "Waiting for your position…",
    "noGeolocation": "This device does not give its position; deliveries need it.",
    "waiting": "Waiting for an offer nearby.",
    "paused": "You are offline: no offers will come.",
    "newOffer": "New delivery!",
    "offerGone": "This offer is no longer available.",
    "secondsLeft": "{n} s left",
    "distance": "{km} km to the restaurant, trip of {trip} km",
    "toRestaurant": "Go to the restaurant", "toCustomer": "Take the order to the customer",
    "showCode": "Show this code at the counter",
    "delivered": "Delivered! Well done.",
    "wrongCode": "Wrong code: {n} tries left.",
    "locked": "Too many wrong codes: call support.",
    "noCamera": "The camera cannot be used here: type the code.",
    "noDeliveries": "No deliveries yet.",
    "today": "Today", "thisWeek": "This week",
    "deliveries": "{n} deliveries",
    "connection": "Connection lost: reconnecting…",
}


def tile_settings(settings: Settings) -> dict[str, str]:
    """The tile URL template and its credit line for Leaflet."""
    if settings.tile_url:
        return {"tile_url": settings.tile_url, "tile_credit": OSM_CREDIT if "openstreetmap" in settings.tile_url else ""}
    if settings.is_production:
        return {"tile_url": OSM_TILES, "tile_credit": OSM_CREDIT}
    return {"tile_url": LOCAL_TILE, "tile_credit": ""}


def messages() -> dict[str, str]:
    return {key: _(text) for key, text in _TEXTS.items()}


@routes.get("/courier")
@aiohttp_jinja2.template("couriers/app.html")
async def courier_app(request: web.Request) -> dict:
    return {"messages": messages()}


@routes.get("/kitchen/pickup")
@aiohttp_jinja2.template("couriers/pickup.html")
async def pickup_page(request: web.Request) -> dict:
    """The restaurant's hand-over screen: the courier's pickup code scanned or typed."""
    return {}


@routes.get("/courier/map-config.js")
async def map_config(request: web.Request) -> web.Response:
    """The tiles for the maps, as a script the order page's tracking map loads before itself."""
    tiles = tile_settings(request.app[SETTINGS])
    config = json.dumps({"tileUrl": tiles["tile_url"], "credit": tiles["tile_credit"]})
    return web.Response(text=f"window.CE_MAP = {config};\n", content_type="application/javascript",
                        headers={"Cache-Control": "max-age=300"})
