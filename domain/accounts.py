"""Accounts: what a person sends to register or sign in, and who a request acts for."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, UnsetType

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


# An indefinite suspension is stored as this far date, which every "until" check understands.
INDEFINITELY = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class MePatch(msgspec.Struct, forbid_unknown_fields=True):
    """What a person may change on their own account; e-mail and password need the current one."""

    name: PersonName | UnsetType = UNSET
    phone: Phone | None | UnsetType = UNSET
    language: Language | UnsetType = UNSET
    profile: dict[str, Any] | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    password: Password | UnsetType = UNSET
    current_password: Annotated[str, msgspec.Meta(max_length=128)] | UnsetType = UNSET

    @property
    def changes_credentials(self) -> bool:
        return self.email is not UNSET or self.password is not UNSET


class Suspension(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason
    until: Annotated[datetime, msgspec.Meta(tz=True)] | None = None  # None: indefinitely


class AccountPatch(msgspec.Struct, forbid_unknown_fields=True):
    """What sales staff may change on any account."""

    name: PersonName | UnsetType = UNSET
    phone: Phone | None | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    suspend: Suspension | UnsetType = UNSET
    reactivate: bool = False


def suspension_end(suspension: Suspension, now: datetime) -> datetime:
    """When a suspension asked for now ends; a date already past is refused."""
    if suspension.until is None:
        return INDEFINITELY
    if suspension.until <= now:
        raise Invalid("a suspension must end in the future",
                      errors=[{"field": "suspend.until", "message": "is not in the future"}])
    return min(suspension.until.astimezone(timezone.utc), INDEFINITELY)
