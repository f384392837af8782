"""The delivery state machine: who may move a delivery, from where, to where."""
from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

import msgspec

from domain.errors import Conflict, Forbidden, Invalid
from domain.roles import SYSTEM, Role


class DeliveryStatus(enum.StrEnum):
    searching = "searching"
    assigned = "assigned"
    picked_up = "picked_up"
    delivered = "delivered"
    failed = "failed"
    cancelled = "cancelled"


TERMINAL = frozenset({DeliveryStatus.delivered, DeliveryStatus.failed, DeliveryStatus.cancelled})


class DeliveryAction(enum.StrEnum):
    assign = "assign"
    pick_up = "pick_up"
    deliver = "deliver"
    fail = "fail"
    cancel = "cancel"
    release = "release"


class Transition(msgspec.Struct, frozen=True):
    """One action: the statuses it leaves, the status it reaches and who may take it."""

    sources: frozenset[DeliveryStatus]
    target: DeliveryStatus
    actors: frozenset[str]


_S = DeliveryStatus
_OPS = frozenset({SYSTEM, Role.sales, Role.tech})

# The one source of truth; the event type of an action is "delivery.<target>".
TRANSITIONS: Mapping[DeliveryAction, Transition] = {
    DeliveryAction.assign: Transition(frozenset({_S.searching}), _S.assigned, frozenset({SYSTEM})),
    DeliveryAction.pick_up: Transition(
        frozenset({_S.assigned}), _S.picked_up, frozenset({Role.courier, Role.restaurateur})),
    DeliveryAction.deliver: Transition(frozenset({_S.picked_up}), _S.delivered, frozenset({Role.courier})),
    DeliveryAction.fail: Transition(frozenset({_S.searching, _S.assigned}), _S.failed, _OPS),
    DeliveryAction.cancel: Transition(frozenset(_S) - TERMINAL, _S.cancelled, _OPS),
    DeliveryAction.release: Transition(
        frozenset({_S.assigned}), _S.searching, frozenset({Role.courier, SYSTEM})),
}


class DeliveryEvent(msgspec.Struct, frozen=True):
    """What happened to a delivery; `seq` orders the delivery's events without gaps."""

    type: str
    delivery_id: uuid.UUID
    order_id: uuid.UUID
    seq: int
    at: datetime
    actor: str
    data: dict[str, str | None] = {}


class Delivery(msgspec.Struct):
    """One order's trip from the restaurant to the customer, and the courier carrying it."""

    id: uuid.UUID
    order_id: uuid.UUID
    status: DeliveryStatus = DeliveryStatus.searching
    courier_id: uuid.UUID | None = None
    seq: int = 0

    @classmethod
    def open(cls, delivery_id: uuid.UUID, order_id: uuid.UUID, at: datetime | None = None,
             ) -> tuple[Delivery, DeliveryEvent]:
        """A new delivery looking for a courier, and its first event."""
        delivery = cls(delivery_id, order_id, seq=1)
        return delivery, delivery._event(DeliveryStatus.searching, SYSTEM, _aware(at), {})

    def apply(self, action: DeliveryAction, actor: str, *, by: uuid.UUID | None = None,
              courier_id: uuid.UUID | None = None, reason: str | None = None,
              at: datetime | None = None) -> DeliveryEvent:
        """Take `action` as `actor` (a role or SYSTEM): Conflict if illegal now, Forbidden if not theirs.

        `by` is the acting courier's id: a courier acts only on the delivery they hold.

        A restaurateur's right to the restaurant is the caller's to check: the order knows it.
        """
        rule, when = TRANSITIONS[DeliveryAction(action)], _aware(at)
        # Same order of checks as the order machine, so both answer alike.
        if self.status not in rule.sources:
            raise Conflict(f"cannot {action} a delivery that is {self.status}", code="illegal-transition")
        if actor not in rule.actors:
            raise Forbidden(f"a {actor} cannot {action} a delivery", code="forbidden-action")
        if actor == Role.courier and (by is None or by != self.courier_id):
            raise Forbidden("this delivery is not assigned to you", code="not-your-delivery")
        data = self._move(action, rule.target, courier_id)
        if reason:
            data["reason"] = reason
        self.seq += 1
        return self._event(rule.target, actor, when, data)

    def _move(self, action: DeliveryAction, target: DeliveryStatus, courier_id: uuid.UUID | None,
              ) -> dict[str, str | None]:
        """Change status and courier; return the event data that says how."""
        if action == DeliveryAction.assign:
            if courier_id is None:
                raise Invalid(errors=[{"field": "courier_id", "message": "is required to assign"}])
            self.courier_id = courier_id
        held_by = self.courier_id
        if action == DeliveryAction.release:
            self.courier_id = None
        self.status = target
        return {"courier_id": str(held_by) if held_by else None}

    def _event(self, status: DeliveryStatus, actor: str, at: datetime, data: dict) -> DeliveryEvent:
        return DeliveryEvent(f"delivery.{status}", self.id, self.order_id, self.seq, at, str(actor), data)


def allowed_actions(status: DeliveryStatus, actor: str) -> list[DeliveryAction]:
    """The actions `actor` may take from `status`, for the buttons a screen shows."""
    return [action for action, rule in TRANSITIONS.items() if status in rule.sources and actor in rule.actors]


def _aware(at: datetime | None) -> datetime:
    """`at`, or now, as an aware UTC datetime; naive times are refused, not guessed."""
    if at is None:
        return datetime.now(UTC)
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("times must be timezone-aware")
    return at.astimezone(UTC)
