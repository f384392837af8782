"""Creating accounts: self-registration for four roles, staff accounts by staff or CLI."""
from __future__ import annotations

import secrets

import asyncpg

from domain.accounts import RegisterInput, normalize_email
from domain.errors import Conflict, Forbidden, Invalid
from domain.roles import SELF_REGISTER
from server.accounts import queries
from server.context import Context

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely


def new_referral_code() -> str:
    """Ten symbols of a 32-letter alphabet: 50 bits, unguessable in practice."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


async def register(ctx: Context, data: RegisterInput, *, by_staff: bool = False) -> asyncpg.Record:
    """Create an account; staff roles only when a staff member (or the CLI) asks."""
    if data.role not in SELF_REGISTER and not by_staff:
        raise Forbidden("sales and tech accounts are created by staff", code="staff-only-role")
    email = normalize_email(data.email)
    password_hash = await ctx.passwords.hash(data.password)
    async with ctx.db.acquire() as conn, conn.transaction():
        referrer = await _referrer(conn, data)
        try:
            return await queries.insert_user(
                conn, role=data.role, email=email, password_hash=password_hash,
                name=data.name.strip(), phone=data.phone, language=data.language,
                referral_code=new_referral_code(),
                referred_by=referrer["id"] if referrer else None,
            )
        except asyncpg.UniqueViolationError:
            raise Conflict("an account with this e-mail address already exists",
                           code="email-taken") from None


async def _referrer(conn: asyncpg.Connection, data: RegisterInput) -> asyncpg.Record | None:
    if not data.referral_code:
        return None
    referrer = await queries.user_by_referral_code(conn, data.referral_code.strip().upper())
    if referrer is None or referrer["role"] != data.role:
        raise Invalid("this referral code is not valid for this kind of account",
                      errors=[{"field": "referral_code", "message": "unknown referral code"}])
    return referrer
