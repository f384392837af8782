"""When no courier can be found at the widest radius: staff are alerted, the customer told."""
from __future__ import annotations

from datetime import datetime

import asyncpg

from server.context import Context
from server.couriers import queries
from server.live.publish import push
from server.notifications.messages import is_known, register_kind
from server.notifications.service import notify, push_notifications
from server.orders.views import short_ref

STAFF_ROOMS = ("role:sales", "role:tech")
KINDS = {
    "delivery.delayed": (("Livreur en approche", "Nous cherchons encore un livreur pour la commande {ref}."
                          " Elle partira dès que possible."),
                         ("Finding a courier", "We are still looking for a courier for order {ref}."
                          " It will leave as soon as possible.")),
}
for _kind, (_fr, _en) in KINDS.items():
    if not is_known(_kind):
        register_kind(_kind, fr=_fr, en=_en)


async def nobody_found(conn: asyncpg.Connection, ctx: Context, row: asyncpg.Record, at: datetime) -> list:
    """Inside the delivery's transaction: note the alert once; return what to push after commit."""
    await queries.mark_alerted(conn, row["id"], at)
    ref = short_ref(row["order_id"])
    note = await notify(conn, row["customer_id"], "delivery.delayed", {"ref": ref},
                        {"order_id": str(row["order_id"]), "delivery_id": str(row["id"])})
    alert = {"kind": "delivery.no_courier", "delivery_id": str(row["id"]), "order_id": str(row["order_id"]),
             "ref": ref, "restaurant": row["restaurant_name"], "since": row["created_at"].isoformat()}

    async def tell() -> None:
        await push_notifications(ctx, [note])
        for where in STAFF_ROOMS:
            await push(ctx, where, "delivery.alert", alert, at=at)
    return [tell]
