"""What people send about orders: a cart to price or place, an edit, a decision, a rating."""
from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from domain.cart_lines import CartLine
from domain.geo import Position
from domain.orders import MAX_PREP_MINUTES, MAX_REASON
from domain.payments import PaymentToken
from domain.pricing import DEFAULT_TARIFF

MAX_NOTE = 500
MAX_COMMENT = 1000

Lines = Annotated[list[CartLine], Meta(min_length=1, max_length=DEFAULT_TARIFF.max_lines)]
Note = Annotated[str, Meta(max_length=MAX_NOTE, description="for the kitchen or the courier")]
Score = Annotated[int, Meta(ge=1, le=5)]


class Delivery(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Where the food goes: the address as written, and its position."""

    address: Annotated[str, Meta(min_length=1, max_length=300)]
    position: Position


class Cart(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A cart to price without placing it."""

    restaurant_id: UUID
    lines: Lines
    delivery: Delivery


class PlaceOrder(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A cart to place and pay; the token comes from the card form, never a card number."""

    restaurant_id: UUID
    lines: Lines
    delivery: Delivery
    note: Note = ""
    payment_token: PaymentToken


class OrderPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A change before acceptance; a payment_token is needed when the total changes."""

    lines: Lines | UnsetType = UNSET
    delivery: Delivery | UnsetType = UNSET
    note: Note | UnsetType = UNSET
    payment_token: PaymentToken | UnsetType = UNSET


class Accept(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    prep_minutes: Annotated[int, Meta(ge=1, le=MAX_PREP_MINUTES)]


class Refuse(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=1, max_length=MAX_REASON)]


class Cancel(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(max_length=MAX_REASON)] | None = None


class Rating(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Scores from 1 to 5; the courier's only when a courier delivered the order."""

    restaurant_score: Score
    courier_score: Score | None = None
    comment: Annotated[str, Meta(max_length=MAX_COMMENT)] = ""
