"""Who may see an order: its customer, its restaurant's owner, its courier, and staff."""
from __future__ import annotations

import uuid

import asyncpg

from domain.accounts import Principal
from domain.errors import NotFound
from domain.roles import STAFF, Role
from server.live.access import register_aggregate
from server.orders import queries

GONE = "no such order"


def may_see(row: asyncpg.Record, principal: Principal) -> bool:
    """Whether the order is the principal's to see (and, role permitting, to act on)."""
    if principal.role in STAFF:
        return True
    owner_column = {Role.customer: "customer_id", Role.developer: "customer_id",
                    Role.restaurateur: "restaurant_owner_id",
                    Role.courier: "courier_id"}.get(principal.role)
    return owner_column is not None and row[owner_column] == principal.user_id


async def visible_order(conn: asyncpg.Connection, principal: Principal, order_id: uuid.UUID, *,
                        lock: bool = False) -> asyncpg.Record:
    """The order, or NotFound: someone else's order is not found, so ids cannot be probed."""
    row = await queries.order_by_id(conn, order_id, lock=lock)
    if row is None or not may_see(row, principal):
        raise NotFound(GONE)
    return row


async def may_subscribe(conn: asyncpg.Connection, principal: Principal, order_id: uuid.UUID) -> bool:
    """The live channels ask this before a socket joins order:<id>."""
    row = await queries.order_by_id(conn, order_id)
    return row is not None and may_see(row, principal)


register_aggregate("order", may_subscribe)
