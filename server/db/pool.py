"""The asyncpg pool, with JSON columns decoded by msgspec."""
from __future__ import annotations

import asyncpg
import msgspec

# A node serves many requests at once and each holds one connection at a time, for a few
# statements: fewer connections than requests in flight make requests queue for one (W4 runs
# 16 at once). Idle ones stay open for minutes, so four nodes at 16 (and a worker, and tests)
# must fit in Postgres's default max_connections of 100.
DEFAULT_MAX_SIZE = 16


async def _init_connection(conn: asyncpg.Connection) -> None:
    for kind in ("json", "jsonb"):
        await conn.set_type_codec(
            kind, schema="pg_catalog",
            encoder=lambda value: msgspec.json.encode(value).decode(),
            decoder=msgspec.json.decode,
        )


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to undo when a connection goes back to the pool.

    asyncpg's default reset is one more round trip per acquire (RESET ALL, UNLISTEN *,
    advisory unlocks). The code on pooled connections keeps no session state: no SET,
    LISTEN, cursor or session advisory lock (transaction-scoped locks end with their
    transaction), and asyncpg still rolls back a transaction left open before this runs.
    """


async def create_pool(dsn: str, *, min_size: int = 1, max_size: int = DEFAULT_MAX_SIZE) -> asyncpg.Pool:
    """Open a pool whose connections speak JSON through msgspec."""
    return await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=_init_connection, reset=_keep_session,
        command_timeout=30, max_inactive_connection_lifetime=300,
    )
