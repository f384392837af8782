"""Webhooks: the events one may subscribe to, what a subscription says, signatures, back-off."""
from __future__ import annotations

import enum
import hashlib
import hmac
import random
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType


class WebhookEvent(enum.StrEnum):
    """Event types an endpoint may subscribe to: its orders' and their deliveries' changes."""

    order_created = "order.created"
    order_updated = "order.updated"
    order_accepted = "order.accepted"
    order_refused = "order.refused"
    order_preparing = "order.preparing"
    order_ready = "order.ready"
    order_picked_up = "order.picked_up"
    order_delivered = "order.delivered"
    order_cancelled = "order.cancelled"
    delivery_searching = "delivery.searching"
    delivery_assigned = "delivery.assigned"
    delivery_picked_up = "delivery.picked_up"
    delivery_delivered = "delivery.delivered"
    delivery_failed = "delivery.failed"
    delivery_cancelled = "delivery.cancelled"


WebhookUrl = Annotated[str, msgspec.Meta(min_length=8, max_length=2000,
                                         examples=["https://example.com/hooks/cesi-eats"])]
Description = Annotated[str, msgspec.Meta(max_length=500, examples=["Order updates for our site"])]
Events = Annotated[list[WebhookEvent], msgspec.Meta(
    min_length=1, max_length=len(WebhookEvent), examples=[["order.created", "order.delivered"]])]
MAX_ENDPOINTS = 20


class WebhookInput(msgspec.Struct, forbid_unknown_fields=True):
    url: WebhookUrl
    events: Events
    description: Description = ""


class WebhookPatch(msgspec.Struct, forbid_unknown_fields=True):
    """What may change on an endpoint; rotate_secret starts a new secret, the old one still
    valid for the grace period."""

    url: WebhookUrl | UnsetType = UNSET
    events: Events | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    active: bool | UnsetType = UNSET
    rotate_secret: bool = False


SIGNATURE_HEADER = "CesiEats-Signature"
EVENT_ID_HEADER = "CesiEats-Event-Id"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of "<timestamp>.<body>" under the endpoint's secret."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str], timestamp: int, body: bytes) -> str:
    """`t=<unix>,v1=<sig>[,v1=<sig under the previous secret>]`: the newest secret first."""
    return ",".join([f"t={timestamp}"] + [f"v1={signature(s, timestamp, body)}" for s in secrets])


def verify(header: str, body: bytes, secret: str, now: int, tolerance_s: int = 300) -> bool:
    """What a receiver does: a fresh timestamp and one v1 matching under its secret."""
    parts = [item.split("=", 1) for item in header.split(",") if "=" in item]
    stamps = [value for key, value in parts if key == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit() or abs(now - int(stamps[0])) > tolerance_s:
        return False
    expected = signature(secret, int(stamps[0]), body)
    return any(key == "v1" and hmac.compare_digest(value, expected) for key, value in parts)


# Retries: 10 s, 20 s, 40 s ... doubling up to an hour between tries, each shortened by up to
# a fifth at random so endpoints that failed together do not all come back at once.
FIRST_DELAY_S = 10
MAX_DELAY_S = 3600
RETRY_WINDOW_S = 24 * 3600  # a failure past this age is the last one


def retry_delay(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `attempts`-th failed try."""
    base = min(FIRST_DELAY_S * 2 ** max(attempts - 1, 0), MAX_DELAY_S)
    return base * (1 - 0.2 * (rng or random).random())
