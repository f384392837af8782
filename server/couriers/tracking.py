"""Where the courier of an order is: shown only while that courier carries that order."""
from __future__ import annotations

import uuid

from domain.accounts import Principal
from domain.codes import CodeKind
from domain.errors import NotFound
from domain.roles import Role
from server.catalogue.clock import now as clock
from server.context import Context
from server.couriers import codes, live_store, queries
from server.couriers.codes import CodeView
from server.couriers.intake import location_of
from server.couriers.views import Location
from server.orders.access import visible_order

NOT_TRACKED = "no courier is on the way with this order"


async def track(ctx: Context, principal: Principal, order_id: uuid.UUID) -> Location:
    """The courier's last position and the ETA; 404 before a courier takes it and once delivered."""
    async with ctx.db.acquire() as conn:
        await visible_order(conn, principal, order_id)
        row = await queries.by_order(conn, order_id)
    if row is None or row["status"] not in queries.ACTIVE:
        raise NotFound(NOT_TRACKED, code="not-tracking")
    state = await live_store.load(ctx, row["courier_id"])
    leg = next((leg for leg in state.legs if leg.delivery_id == row["id"]), None)
    if leg is None or state.fix is None:
        raise NotFound(NOT_TRACKED, code="not-tracking")
    return location_of(leg, state, clock(ctx))


async def delivery_code(ctx: Context, principal: Principal, order_id: uuid.UUID) -> CodeView:
    """The customer's code for the courier, from acceptance until it is used; no one else sees it."""
    async with ctx.db.acquire() as conn:
        order = await visible_order(conn, principal, order_id)
        row = await queries.by_order(conn, order_id)
    if principal.role != Role.customer or order["customer_id"] != principal.user_id:
        raise NotFound("no delivery code here")
    if row is None or row["status"] not in ("searching", *queries.ACTIVE):
        raise NotFound("this order has no delivery code to show now", code="no-code")
    return codes.view(ctx.settings, row, CodeKind.delivery)
