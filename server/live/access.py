"""Who may watch what: features declare their aggregates and the rooms their people join."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Awaitable, Callable, Iterable

import asyncpg

from domain.accounts import Principal
from domain.roles import Role

AccessCheck = Callable[[asyncpg.Connection, Principal, uuid.UUID], Awaitable[bool]]
RoomsOf = Callable[[asyncpg.Connection, Principal], Awaitable[Iterable[str]]]

_AGGREGATES: dict[str, AccessCheck] = {}


def register_aggregate(aggregate: str, may_see: AccessCheck) -> None:
    """Let sockets subscribe to `{"<aggregate>_id": id, "after_seq": n}` when may_see says so."""
    _AGGREGATES[aggregate] = may_see


def unregister_aggregate(aggregate: str) -> None:
    _AGGREGATES.pop(aggregate, None)


def is_registered(aggregate: str) -> bool:
    return aggregate in _AGGREGATES


async def may_see(conn: asyncpg.Connection, principal: Principal, aggregate: str,
                  aggregate_id: uuid.UUID) -> bool:
    """False for an unknown aggregate and for one the principal may not watch (or is not there)."""
    check = _AGGREGATES.get(aggregate)
    return check is not None and bool(await check(conn, principal, aggregate_id))


def room(aggregate: str, aggregate_id: uuid.UUID | str) -> str:
    """The room of one aggregate, e.g. order:<id>; its events are published there."""
    return f"{aggregate}:{aggregate_id}"


@dataclass(frozen=True)
class RoomProvider:
    """Rooms some roles' sockets join on connect; a socket of another role costs no query."""

    roles: frozenset[Role]
    rooms_of: RoomsOf


async def owned_restaurant_rooms(conn: asyncpg.Connection, principal: Principal) -> list[str]:
    """A restaurateur's kitchen screens hear about each of their restaurants."""
    try:
        rows = await conn.fetch("SELECT id FROM restaurants WHERE owner_id = $1"
                                " AND deleted_at IS NULL", principal.user_id)
    except (asyncpg.UndefinedTableError, asyncpg.UndefinedColumnError):
        return []  # a database migrated before the catalogue existed
    return [room("restaurant", row["id"]) for row in rows]


# Rooms a socket joins on connect beyond user:<id> and role:<role>; features append here.
ROOM_PROVIDERS: list[RoomProvider] = [RoomProvider(frozenset({Role.restaurateur}), owned_restaurant_rooms)]


async def rooms_for(db: asyncpg.Pool, principal: Principal) -> list[str]:
    """user:<id> and role:<role>, then what providers add; Postgres only when one applies."""
    rooms = [room("user", principal.user_id), room("role", principal.role)]
    providers = [provider for provider in ROOM_PROVIDERS if principal.role in provider.roles]
    if providers:
        async with db.acquire() as conn:
            for provider in providers:
                rooms.extend(await provider.rooms_of(conn, principal))
    return rooms
