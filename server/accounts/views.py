"""What an account looks like to its owner (and to staff)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import asyncpg
import msgspec

from domain.accounts import INDEFINITELY


class AccountView(msgspec.Struct):
    id: uuid.UUID
    role: str
    email: str | None
    name: str | None
    phone: str | None
    language: str
    profile: dict
    referral_code: str
    credit_cents: int
    suspended: bool
    # null while suspended means indefinitely
    suspended_until: datetime | None
    suspension_reason: str | None
    created_at: datetime


def account_view(user: asyncpg.Record) -> AccountView:
    until = user["suspended_until"]
    suspended = until is not None and until > datetime.now(timezone.utc)
    return AccountView(
        id=user["id"], role=user["role"], email=user["email"], name=user["name"],
        phone=user["phone"], language=user["language"], profile=user["profile"],
        referral_code=user["referral_code"], credit_cents=user["credit_cents"],
        suspended=suspended, suspended_until=until if suspended and until < INDEFINITELY else None,
        suspension_reason=user["suspension_reason"] if suspended else None,
        created_at=user["created_at"])
