"""Accounts: what a person sends to register or sign in, and who a request acts for."""
from __future__ import annotations

import re
import uuid
from typing import Annotated

import msgspec

from domain.errors import Invalid
from domain.roles import Role

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, examples=["lea@example.fr"])]
Password = Annotated[str, msgspec.Meta(min_length=10, max_length=128)]
PersonName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Phone = Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9 .-]{6,20}$")]
Language = Annotated[str, msgspec.Meta(pattern="^(fr|en)$")]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RegisterInput(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    name: PersonName
    role: Role
    referral_code: str | None = None
    phone: Phone | None = None
    language: Language = "fr"


class LoginInput(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    password: Annotated[str, msgspec.Meta(max_length=128)]


class Principal(msgspec.Struct, frozen=True):
    """Who a request acts for; scopes is None for a person, a set for an API key."""

    user_id: uuid.UUID
    role: Role
    scopes: frozenset[str] | None = None


def normalize_email(raw: str) -> str:
    """Trimmed and lower-cased; refused unless it looks like an address."""
    email = raw.strip().lower()
    if not _EMAIL.match(email):
        raise Invalid("the e-mail address is not valid",
                      errors=[{"field": "email", "message": "is not a valid e-mail address"}])
    return email
