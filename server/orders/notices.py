"""Who hears of an order change: the customer of every change, the kitchen of what it must act on."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import asyncpg

from server.notifications.messages import is_known, register_kind
from server.notifications.service import Notification, notify_each
from server.orders.views import ready_eta, short_ref

_OWN_KINDS = {
    "order.confirmed": (("Commande envoyée", "{restaurant} a reçu votre commande {ref} ({total})."),
                        ("Order sent", "{restaurant} has received your order {ref} ({total}).")),
    "order.preparing": (("En cuisine", "{restaurant} prépare votre commande {ref}."),
                        ("In the kitchen", "{restaurant} is preparing your order {ref}.")),
    "order.updated": (("Commande modifiée", "La commande {ref} a été modifiée : {total}."),
                      ("Order changed", "Order {ref} was changed: {total}.")),
}
for _kind, (_fr, _en) in _OWN_KINDS.items():
    if not is_known(_kind):
        register_kind(_kind, fr=_fr, en=_en)

# event type -> (kind the customer gets, kind the restaurant's owner gets or None)
_AUDIENCE = {
    "order.created": ("order.confirmed", "order.placed"),
    "order.updated": ("order.updated", "order.updated"),
    "order.accepted": ("order.accepted", None),
    "order.refused": ("order.refused", None),
    "order.preparing": ("order.preparing", None),
    "order.ready": ("order.ready", None),
    "order.picked_up": ("order.picked_up", None),
    "order.delivered": ("order.delivered", None),
    "order.cancelled": ("order.cancelled", "order.cancelled"),
}


def euros(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d} €"


async def tell_parties(conn: asyncpg.Connection, row: asyncpg.Record, event_type: str) -> list[Notification]:
    """Write the notifications of one order event, in each person's language (pushed after commit)."""
    customer_kind, kitchen_kind = _AUDIENCE.get(event_type, (None, None))
    params = await _params(conn, row)
    data = {"order_id": str(row["id"]), "status": row["status"], "event": event_type}
    recipients = [(row["customer_id"], customer_kind)] if customer_kind else []
    if kitchen_kind:
        recipients.append((row["restaurant_owner_id"], kitchen_kind))
    return await notify_each(conn, recipients, params, data)


async def _params(conn: asyncpg.Connection, row: asyncpg.Record) -> dict:
    params = {"ref": short_ref(row["id"]), "total": euros(row["total_cents"]),
              "restaurant": row["restaurant_name"], "reason": row["reason"] or ""}
    eta = ready_eta(row)
    if eta is not None:
        params["ready_at"] = _local_clock(eta, row["restaurant_timezone"])
    if row["courier_id"] is not None:
        params["courier"] = await conn.fetchval("SELECT coalesce(name, '') FROM users WHERE id = $1",
                                                row["courier_id"]) or "…"
    return params


def _local_clock(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%H:%M")
