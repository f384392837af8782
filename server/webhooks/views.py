"""What the webhook API answers: endpoints, deliveries and their attempts, and the event body."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

import asyncpg
import msgspec
from msgspec import UNSET, UnsetType

from server.events import Event

# Event ids are derived from the outbox row, so every copy of one event carries the same id.
_EVENT_NAMESPACE = uuid.UUID("6b1f2c1e-4d0a-4a8e-9a57-3c1e0f6d2b90")
AttemptOutcome = Literal["delivered", "failed", "interrupted", "in_flight"]


class WebhookView(msgspec.Struct, kw_only=True):
    """An endpoint; `secret` only in the answer that creates or rotates it."""

    id: uuid.UUID
    url: str
    description: str
    events: list[str]
    active: bool
    failing_since: datetime | None
    previous_secret_valid_until: datetime | None
    created_at: datetime
    updated_at: datetime
    secret: str | UnsetType = UNSET


class AttemptView(msgspec.Struct, kw_only=True):
    started_at: datetime
    finished_at: datetime | None
    outcome: AttemptOutcome
    status_code: int | None
    error: str | None
    duration_ms: int | None
    response_excerpt: str | None
    next_retry_at: datetime | None


class DeliveryView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    order_id: uuid.UUID
    status: Literal["pending", "delivered", "given_up"]
    attempts: int
    next_attempt_at: datetime | None
    redelivery_of: uuid.UUID | None
    created_at: datetime
    finished_at: datetime | None
    attempt_log: list[AttemptView]


class DeliveryPage(msgspec.Struct):
    items: list[DeliveryView]
    next_cursor: str | None = None


class EventBody(msgspec.Struct):
    """What a receiver gets: the body of every delivery."""

    id: uuid.UUID
    type: str
    created_at: datetime
    data: dict[str, Any]


def event_uuid(outbox_id: int) -> uuid.UUID:
    return uuid.uuid5(_EVENT_NAMESPACE, f"outbox:{outbox_id}")


def webhook_view(row: asyncpg.Record, secret: str | UnsetType = UNSET) -> WebhookView:
    return WebhookView(
        id=row["id"], url=row["url"], description=row["description"], events=list(row["events"]),
        active=row["active"], failing_since=row["failing_since"],
        previous_secret_valid_until=row["previous_until"], created_at=row["created_at"],
        updated_at=row["updated_at"], secret=secret)


def _outcome(row: asyncpg.Record, leased: bool) -> AttemptOutcome:
    if row["finished_at"] is None:
        return "in_flight" if leased else "interrupted"
    code = row["status_code"]
    return "delivered" if code is not None and 200 <= code < 300 else "failed"


def attempt_view(row: asyncpg.Record, leased: bool) -> AttemptView:
    return AttemptView(
        started_at=row["started_at"], finished_at=row["finished_at"], outcome=_outcome(row, leased),
        status_code=row["status_code"], error=row["error"], duration_ms=row["duration_ms"],
        response_excerpt=row["response_excerpt"], next_retry_at=row["next_retry_at"])


def delivery_view(row: asyncpg.Record, attempts: list[asyncpg.Record], now: datetime) -> DeliveryView:
    pending = row["status"] == "pending"
    # an attempt without an end is in flight while its lease runs, interrupted after
    leased = pending and row["next_attempt_at"] > now
    log = [attempt_view(a, leased and i == len(attempts) - 1) for i, a in enumerate(attempts)]
    return DeliveryView(
        id=row["id"], event_id=event_uuid(row["event_id"]), event_type=row["event_type"],
        order_id=row["order_id"], status=row["status"], attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"] if pending else None,
        redelivery_of=row["redelivery_of"], created_at=row["created_at"],
        finished_at=row["finished_at"], attempt_log=log)


def event_body(event: Event, data: dict[str, Any]) -> bytes:
    return msgspec.json.encode(EventBody(event_uuid(event.id), event.type, event.at, data))
