"""Referral: the code and referees one sees, and the reward granted exactly once."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
import msgspec

from domain.errors import NotFound
from domain.referral import initial, reward_cents
from server.accounts import listing, queries
from server.context import Context


class Referee(msgspec.Struct):
    initial: str | None
    joined_at: datetime
    rewarded: bool


class ReferralView(msgspec.Struct):
    code: str
    share_url: str
    reward_cents: int
    earned_cents: int
    referees: list[Referee]


class ReferralGrant(msgspec.Struct, frozen=True):
    referee_id: uuid.UUID
    referrer_id: uuid.UUID
    cents: int


async def grant_referral_reward(conn: asyncpg.Connection, user_id: uuid.UUID) -> ReferralGrant | None:
    """Credit a referee and their referrer, once ever; call it inside the triggering transaction.

    Returns the grant when this call made it, None when there is nothing (more) to grant.
    A concurrent caller waits on the reward row's key and then finds it taken.
    """
    granted = await conn.fetchrow(
        "INSERT INTO referral_rewards (referee_id, referrer_id, referee_cents, referrer_cents)"
        " SELECT u.id, u.referred_by, $2, $2 FROM users u"
        " WHERE u.id = $1 AND u.referred_by IS NOT NULL AND u.deleted_at IS NULL AND $2 > 0"
        " ON CONFLICT (referee_id) DO NOTHING RETURNING referee_id, referrer_id, referee_cents",
        user_id, await _amount(conn, user_id))
    if granted is None:
        return None
    await conn.execute(
        "UPDATE users SET credit_cents = credit_cents + $2, updated_at = now()"
        " WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL",
        [granted["referee_id"], granted["referrer_id"]], granted["referee_cents"])
    return ReferralGrant(referee_id=granted["referee_id"], referrer_id=granted["referrer_id"],
                         cents=granted["referee_cents"])


async def _amount(conn: asyncpg.Connection, user_id: uuid.UUID) -> int:
    role = await conn.fetchval("SELECT role FROM users WHERE id = $1", user_id)
    return reward_cents(role) if role else 0


async def referral_overview(ctx: Context, user_id: uuid.UUID, share_base: str) -> ReferralView:
    """The person's code, a link to share it, and who signed up with it."""
    async with ctx.db.acquire() as conn:
        user = await queries.user_by_id(conn, user_id)
        if user is None or user["deleted_at"] is not None:
            raise NotFound("this account no longer exists")
        rows = await listing.referees_of(conn, user_id)
    return ReferralView(
        code=user["referral_code"], share_url=f"{share_base}/signup?ref={user['referral_code']}",
        reward_cents=reward_cents(user["role"]), earned_cents=sum(r["referrer_cents"] for r in rows),
        referees=[Referee(initial=initial(r["name"]), joined_at=r["created_at"],
                          rewarded=r["rewarded"]) for r in rows])
