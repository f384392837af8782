"""What couriers add to other features: dispatch on acceptance, live rooms, flush, erasure."""
from __future__ import annotations

import uuid

import asyncpg

from domain.accounts import Principal
from server.accounts.erasure import ERASERS
from server.couriers import queries
from server.couriers.dispatch import open_delivery
from server.couriers.journal import audience
from server.couriers.reading import party
from server.couriers.tracks import flush_tracks
from server.live.access import register_aggregate
from server.live.publish import add_audience
from server.ops.drain import FLUSH_HOOKS
from server.orders.transitions import ON_ACCEPTED


async def may_follow(conn: asyncpg.Connection, principal: Principal, delivery_id: uuid.UUID) -> bool:
    """A socket may follow delivery:<id> when the delivery is the person's to see."""
    row = await queries.by_id(conn, delivery_id)
    return row is not None and party(row, principal)


async def erase_courier_data(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    """A courier's tracks go; a customer's door drops out of their deliveries."""
    await conn.execute("DELETE FROM courier_fixes WHERE courier_id = $1", user_id)
    await conn.execute(
        "UPDATE deliveries SET dropoff_lat = NULL, dropoff_lng = NULL"
        " WHERE order_id IN (SELECT id FROM orders WHERE customer_id = $1)", user_id)


if open_delivery not in ON_ACCEPTED:
    ON_ACCEPTED.append(open_delivery)
register_aggregate("delivery", may_follow)
add_audience("delivery", audience)
if flush_tracks not in FLUSH_HOOKS:
    FLUSH_HOOKS.append(flush_tracks)
if erase_courier_data not in ERASERS:
    ERASERS.append(erase_courier_data)
