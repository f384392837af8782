"""The person behind an access token: one check shared by the HTTP and socket edges."""
from __future__ import annotations

import uuid

from domain.accounts import Principal
from domain.errors import Unauthenticated
from domain.roles import Role
from server.accounts.queries import user_by_id
from server.accounts.sessions import suspension_error
from server.auth.revocation import current_token_version
from server.auth.tokens import decode_access_token
from server.context import Context


async def principal_from_token(ctx: Context, token: str) -> Principal:
    """Who the token acts for; Unauthenticated (expired, invalid, revoked) or Forbidden (suspended)."""
    return await principal_from_claims(ctx, decode_access_token(ctx.settings, token))


async def principal_from_claims(ctx: Context, claims: dict) -> Principal:
    """principal_from_token for claims decode_access_token gave already."""
    user_id = uuid.UUID(claims["sub"])
    version = await current_token_version(ctx.db, ctx.redis, ctx.settings.redis_prefix, user_id,
                                          ctx.settings.access_token_ttl_s)
    if version != claims["tv"]:
        raise await why_refused(ctx, user_id)
    return Principal(user_id=user_id, role=Role(claims["role"]))


async def why_refused(ctx: Context, user_id: uuid.UUID) -> Exception:
    """A suspended person is told why and until when; any other ended session just ends."""
    async with ctx.db.acquire() as conn:
        user = await user_by_id(conn, user_id)
    suspended = suspension_error(user) if user and user["deleted_at"] is None else None
    return suspended or Unauthenticated("this session has ended; sign in again", code="token-revoked")
