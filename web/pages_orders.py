"""Order pages: cart and checkout, an order live, the history, a receipt, the kitchen screen."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from domain.order_machine import OrderStatus
from web.i18n import gettext as _

routes = web.RouteTableDef()
_ID = "{id:[0-9a-fA-F-]{36}}"
STATUS_LABELS = {
    OrderStatus.placed: "Placed", OrderStatus.accepted: "Accepted", OrderStatus.preparing: "Preparing",
    OrderStatus.ready: "Ready", OrderStatus.picked_up: "On its way", OrderStatus.delivered: "Delivered",
    OrderStatus.refused: "Refused", OrderStatus.cancelled: "Cancelled",
}
_TEXTS = {
    "failed": "Something went wrong. Please try again.",
    "signInFirst": "Please sign in first.",
    "notFound": "This order does not exist, or is not yours.",
    "empty": "Your cart is empty.",
    "remove": "Remove",
    "declined": "The card was declined. Try another card.",
    "cardNumber": "Enter a card number.",
    "accept": "Accept",
    "refuse": "Refuse",
    "start_preparing": "Start preparing",
    "mark_ready": "Ready",
    "cancel": "Cancel the order",
    "prepMinutes": "Preparation time (minutes)",
    "reason": "Reason for refusing",
    "minutesAgo": "{n} min ago",
    "deadlineIn": "Accept within {time}",
    "readyAround": "Ready around {time}",
    "offline": "Connection lost: reconnecting…",
    "online": "Live",
    "noOrders": "No orders yet.",
    "noActive": "No orders waiting. New ones appear here with a sound.",
    "receipt": "Receipt",
    "rated": "Thank you for your rating!",
    "cancelled": "Order cancelled; you will not be charged.",
    "items": "Items", "delivery": "Delivery", "service": "Service", "credit": "Referral credit",
    "total": "Total",
    "authorize": "Amount held on the card", "capture": "Paid", "void": "Hold released", "refund": "Refunded",
}


def messages() -> dict:
    """Texts the pages' scripts show, translated here, with the status names."""
    texts = {key: _(text) for key, text in _TEXTS.items()}
    texts["status"] = {str(status): _(label) for status, label in STATUS_LABELS.items()}
    return texts


@routes.get("/cart")
@aiohttp_jinja2.template("orders/cart.html")
async def cart(request: web.Request) -> dict:
    return {"messages": messages()}


@routes.get("/orders")
@aiohttp_jinja2.template("orders/history.html")
async def history(request: web.Request) -> dict:
    return {"messages": messages()}


@routes.get(f"/orders/{_ID}")
@aiohttp_jinja2.template("orders/order.html")
async def order_page(request: web.Request) -> dict:
    return {"order_id": request.match_info["id"], "messages": messages()}


@routes.get(f"/orders/{_ID}/receipt")
@aiohttp_jinja2.template("orders/receipt.html")
async def receipt_page(request: web.Request) -> dict:
    return {"order_id": request.match_info["id"], "messages": messages()}


@routes.get("/kitchen")
@aiohttp_jinja2.template("orders/kitchen.html")
async def kitchen(request: web.Request) -> dict:
    return {"messages": messages()}
