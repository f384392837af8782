"""Finding the restaurant a catalogue change is about, and refusing anyone but its owner."""
from __future__ import annotations

import uuid

import asyncpg

from domain.errors import NotFound
from server.catalogue import queries

GONE = "no such restaurant"


async def live_restaurant(conn: asyncpg.Connection, restaurant_id: uuid.UUID) -> asyncpg.Record:
    """The restaurant, unless it does not exist or was deleted (NotFound)."""
    row = await queries.restaurant_by_id(conn, restaurant_id)
    if row is None:
        raise NotFound(GONE)
    return row


async def locked_restaurant(conn: asyncpg.Connection, restaurant_id: uuid.UUID,
                            owner_id: uuid.UUID) -> asyncpg.Record:
    """The owner's restaurant, locked for this transaction; another owner's is NotFound too."""
    row = await queries.owned_restaurant(conn, restaurant_id, owner_id, lock=True)
    if row is None:
        raise NotFound(GONE)
    return row


async def owned_restaurant(conn: asyncpg.Connection, restaurant_id: uuid.UUID,
                           owner_id: uuid.UUID) -> asyncpg.Record:
    """The owner's restaurant, unlocked, for reading; another owner's is NotFound too."""
    row = await queries.owned_restaurant(conn, restaurant_id, owner_id)
    if row is None:
        raise NotFound(GONE)
    return row
