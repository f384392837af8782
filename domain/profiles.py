"""Role-specific profiles: a courier's vehicle, a customer's saved addresses."""
from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, UnsetType

from domain.errors import Invalid
from domain.eta import Vehicle
from domain.geo import Latitude, Longitude
from domain.roles import Role

MAX_ADDRESSES = 10
_NAMED_FIELD = re.compile(r"unknown field `(?P<field>[^`]+)`")


class SavedAddress(msgspec.Struct, forbid_unknown_fields=True):
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=40, examples=["Maison"])]
    address: Annotated[str, msgspec.Meta(min_length=3, max_length=300)]
    lat: Latitude
    lng: Longitude


class CustomerProfile(msgspec.Struct, forbid_unknown_fields=True):
    addresses: Annotated[list[SavedAddress], msgspec.Meta(max_length=MAX_ADDRESSES)] | UnsetType = UNSET


class CourierProfile(msgspec.Struct, forbid_unknown_fields=True):
    vehicle: Vehicle | None | UnsetType = UNSET


class NoProfile(msgspec.Struct, forbid_unknown_fields=True):
    """Roles with nothing of their own to keep (yet)."""


_PROFILES: dict[Role, type[msgspec.Struct]] = {
    Role.customer: CustomerProfile, Role.courier: CourierProfile,
}


def profile_type(role: Role | str) -> type[msgspec.Struct]:
    return _PROFILES.get(Role(role), NoProfile)


def merge_profile(role: Role | str, current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The stored profile with the patch's keys replaced; the patch is checked for the role."""
    try:
        checked = msgspec.convert(patch, profile_type(role))
    except msgspec.ValidationError as exc:
        message, _, path = str(exc).partition(" - at `$")
        field = "profile" + path.rstrip("`").replace("[", ".").replace("]", "")
        if named := _NAMED_FIELD.search(message):
            field += "." + named.group("field")
        raise Invalid("the profile has invalid fields",
                      errors=[{"field": field, "message": message}]) from None
    return {**current, **msgspec.to_builtins(checked)}
