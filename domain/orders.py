"""An order moving through the state machine, one checked action at a time, each recorded as an event.

Whether the actor is *this* order's customer, the owner of *its* restaurant or *its* courier,
and whether a pick-up or delivery code matches, is the caller's to check before `apply`.
"""
from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from domain.errors import Conflict, Forbidden, Invalid
from domain.order_machine import (
    CREATED, EVENT_TYPES, TERMINAL, TRANSITIONS, OrderAction, OrderStatus, allowed_actions, needs_refund,
)
from domain.roles import SYSTEM

__all__ = [
    "Order", "OrderEvent", "OrderStatus", "OrderAction", "TRANSITIONS", "TERMINAL", "EVENT_TYPES",
    "needs_refund", "allowed_actions", "DEADLINE_REASON",
]

DEADLINE_REASON = "acceptance deadline passed"
MAX_PREP_MINUTES = 180
MAX_REASON = 500
_PARAMS = {
    OrderAction.accept: {"prep_minutes"},
    OrderAction.refuse: {"reason"},
    OrderAction.cancel: {"reason"},
    OrderAction.edit: {"changes"},
}


class OrderEvent(msgspec.Struct, frozen=True, kw_only=True):
    """What happened to an order; `seq` counts the order's events from 1 without gaps."""

    type: str
    seq: int
    data: dict[str, Any] = {}


class Order(msgspec.Struct, kw_only=True):
    """What the rules need of an order; lines and prices live with the caller."""

    id: UUID
    customer_id: UUID
    restaurant_id: UUID
    status: OrderStatus = OrderStatus.placed
    seq: int = 0
    prep_minutes: int | None = None
    reason: str | None = None
    paid: bool = True

    @classmethod
    def place(
        cls, order_id: UUID, customer_id: UUID, restaurant_id: UUID, data: dict[str, Any] | None = None
    ) -> tuple[Order, OrderEvent]:
        """A new order, placed once its payment is authorised, and its first event."""
        order = cls(id=order_id, customer_id=customer_id, restaurant_id=restaurant_id, seq=1)
        return order, OrderEvent(type=CREATED, seq=1, data={"status": str(order.status), **(data or {})})

    def apply(self, action: OrderAction | str, actor: str, **params: Any) -> OrderEvent:
        """Take `action` as `actor` (a role or SYSTEM): Conflict if illegal now, Forbidden if not theirs."""
        action = OrderAction(action)
        cell = TRANSITIONS.get((self.status, action))
        if cell is None:
            raise Conflict(f"cannot {action} an order that is {self.status}", code="illegal-transition")
        target, actors = cell
        if actor not in actors:
            raise Forbidden(f"a {actor} cannot {action} an order that is {self.status}", code="forbidden-action")
        data = _checked_params(action, actor, params)
        self.prep_minutes = data.get("prep_minutes", self.prep_minutes)
        self.reason = data.get("reason", self.reason)
        self.status = target
        self.seq += 1
        data = {"status": str(target), "actor": str(actor), **data}
        return OrderEvent(type=EVENT_TYPES[action], seq=self.seq, data=data)

    @property
    def refund_due(self) -> bool:
        """Whether this order owes the customer a refund."""
        return needs_refund(self.status, self.paid)


def _checked_params(action: OrderAction, actor: str, params: dict[str, Any]) -> dict[str, Any]:
    """The action's parameters, checked, as event data; Invalid names a bad one."""
    unknown = set(params) - _PARAMS.get(action, set())
    if unknown:
        raise TypeError(f"{action} takes no {', '.join(sorted(unknown))}")
    if action == OrderAction.accept:
        return {"prep_minutes": _prep_minutes(params.get("prep_minutes"))}
    if action == OrderAction.refuse:
        default = DEADLINE_REASON if actor == SYSTEM else None
        return {"reason": _reason(params.get("reason"), default=default, required=True)}
    if action == OrderAction.cancel:
        return {"reason": _reason(params.get("reason"), default=None, required=False)}
    if action == OrderAction.edit:
        return {"changes": dict(params.get("changes") or {})}
    return {}


def _prep_minutes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PREP_MINUTES:
        raise Invalid(errors=[{"field": "prep_minutes", "message": f"must be 1 to {MAX_PREP_MINUTES} minutes"}])
    return value


def _reason(value: Any, *, default: str | None, required: bool) -> str | None:
    reason = value.strip() if isinstance(value, str) else None
    reason = reason or default
    if (required and not reason) or (reason and len(reason) > MAX_REASON):
        raise Invalid(errors=[{"field": "reason", "message": f"must be 1 to {MAX_REASON} characters"}])
    return reason
