"""API keys for third parties: the scopes they may hold, their plans, and their shape."""
from __future__ import annotations

import enum
import re
from typing import Annotated

import msgspec


class Scope(enum.StrEnum):
    """What an API key may do; each operation names the one it needs."""

    restaurants_read = "restaurants:read"
    orders_read = "orders:read"
    orders_write = "orders:write"
    webhooks_manage = "webhooks:manage"
    components_read = "components:read"


SCOPE_DESCRIPTIONS: dict[Scope, str] = {
    Scope.restaurants_read: "Read restaurants, their menus and articles.",
    Scope.orders_read: "Read the orders of the key's owner.",
    Scope.orders_write: "Place and change orders for the key owner's users.",
    Scope.webhooks_manage: "Create, change and delete webhook subscriptions.",
    Scope.components_read: "Browse and download published components.",
}


class Plan(enum.StrEnum):
    """A key's plan decides its request budget."""

    free = "free"
    pro = "pro"


KEY_PREFIX = "ce_live_"
_KEY_SHAPE = re.compile(r"^ce_live_(?P<public_id>[a-z0-9]{12})_(?P<secret>[A-Za-z0-9]{40})$")
MAX_ACTIVE_KEYS = 25

KeyName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["Mon site de commande"])]


class ApiKeyInput(msgspec.Struct, forbid_unknown_fields=True):
    name: KeyName
    scopes: Annotated[list[Scope], msgspec.Meta(
        min_length=1, max_length=len(Scope), examples=[["restaurants:read", "orders:read"]])]


def parse_key(raw: str) -> tuple[str, str] | None:
    """(public id, secret) of a well-formed key, or None."""
    match = _KEY_SHAPE.match(raw.strip())
    return (match["public_id"], match["secret"]) if match else None


def format_key(public_id: str, secret: str) -> str:
    return f"{KEY_PREFIX}{public_id}_{secret}"
