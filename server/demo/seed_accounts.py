"""Demo accounts made through the product's own registration and profile use cases."""
from __future__ import annotations

import asyncio
import uuid

from domain.accounts import MePatch, RegisterInput
from domain.api_keys import ApiKeyInput, Scope
from domain.roles import SELF_REGISTER
from server.accounts.profile import update_me
from server.accounts.registration import register
from server.auth.passwords import Passwords
from server.context import Context
from server.demo.people import Account
from server.platform.api_keys import create_key
from server.platform.key_queries import count_active_keys

CONCURRENCY = 8


class HashedOnce(Passwords):
    """Every demo account gets the same password, so it is hashed once and the hash reused."""

    def __init__(self, inner: Passwords) -> None:
        self._inner = inner
        self._hashes: dict[str, str] = {}

    async def hash(self, password: str) -> str:
        if password not in self._hashes:
            self._hashes[password] = await self._inner.hash(password)
        return self._hashes[password]

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        return await self._inner.verify(stored_hash, password)


async def existing_accounts(ctx: Context, emails: list[str]) -> dict[str, dict]:
    rows = await ctx.db.fetch("SELECT id, email, profile FROM users WHERE email = ANY($1::text[])"
                              " AND deleted_at IS NULL", emails)
    return {row["email"]: {"id": row["id"], "profile": row["profile"]} for row in rows}


async def ensure_accounts(ctx: Context, accounts: list[Account], password: str) -> tuple[dict[str, uuid.UUID], int]:
    """({e-mail: id} of every account, how many were created now); profiles completed too."""
    found = await existing_accounts(ctx, [a.email for a in accounts])
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(account: Account) -> None:
        async with gate:
            if account.email not in found:
                data = RegisterInput(email=account.email, password=password, name=account.name,
                                     role=account.role, phone=account.phone)
                row = await register(ctx, data, by_staff=account.role not in SELF_REGISTER)
                found[account.email] = {"id": row["id"], "profile": row["profile"]}
            await _complete_profile(ctx, account, found[account.email])

    before = len(found)
    await asyncio.gather(*(one(a) for a in accounts))
    return {email: entry["id"] for email, entry in found.items()}, len(found) - before


async def _complete_profile(ctx: Context, account: Account, stored: dict) -> None:
    """Add what the profile misses (addresses, vehicle); what a person changed since is kept."""
    missing = {key: value for key, value in account.profile.items() if key not in (stored["profile"] or {})}
    if missing:
        await update_me(ctx, stored["id"], MePatch(profile=missing))


async def ensure_api_keys(ctx: Context, developers: dict[str, uuid.UUID]) -> dict[str, str]:
    """A key with every scope for each developer who has none; {e-mail: key} of those made now."""
    made = {}
    for email, user_id in developers.items():
        async with ctx.db.acquire() as conn:
            if await count_active_keys(conn, user_id):
                continue
        created = await create_key(ctx, user_id, ApiKeyInput(name="Clé de démonstration", scopes=list(Scope)))
        made[email] = created.key
    return made
