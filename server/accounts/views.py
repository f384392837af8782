"""What an account looks like to its owner (and to staff)."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
import msgspec


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
    suspended_until: datetime | None
    suspension_reason: str | None
    created_at: datetime


def account_view(user: asyncpg.Record) -> AccountView:
    return AccountView(**{f: user[f] for f in AccountView.__struct_fields__})
