"""The order state machine's table: from which status each action goes where, and who may take it."""
from __future__ import annotations

import enum
from collections.abc import Mapping

from domain.roles import SYSTEM, Role


class OrderStatus(enum.StrEnum):
    placed = "placed"
    accepted = "accepted"
    preparing = "preparing"
    ready = "ready"
    picked_up = "picked_up"
    delivered = "delivered"
    refused = "refused"
    cancelled = "cancelled"


TERMINAL = frozenset({OrderStatus.delivered, OrderStatus.refused, OrderStatus.cancelled})


class OrderAction(enum.StrEnum):
    accept = "accept"
    refuse = "refuse"
    start_preparing = "start_preparing"
    mark_ready = "mark_ready"
    pick_up = "pick_up"
    deliver = "deliver"
    cancel = "cancel"
    edit = "edit"


_S, _A = OrderStatus, OrderAction
_OPS = frozenset({Role.sales, Role.tech})
_KITCHEN = frozenset({Role.restaurateur})


def _cancel_cells() -> dict:
    """Customers cancel only before acceptance; sales and tech until the food is delivered."""
    cells = {(s, _A.cancel): (_S.cancelled, _OPS) for s in _S if s not in TERMINAL}
    cells[(_S.placed, _A.cancel)] = (_S.cancelled, _OPS | {Role.customer})
    return cells


# The one source of truth: (status, action) -> (status reached, actors allowed). A missing
# cell is an illegal transition. An edit changes the order, not its status.
TRANSITIONS: Mapping[tuple[OrderStatus, OrderAction], tuple[OrderStatus, frozenset[str]]] = {
    (_S.placed, _A.accept): (_S.accepted, _KITCHEN),
    (_S.placed, _A.refuse): (_S.refused, _KITCHEN | {SYSTEM}),
    (_S.accepted, _A.start_preparing): (_S.preparing, _KITCHEN),
    (_S.preparing, _A.mark_ready): (_S.ready, _KITCHEN),
    (_S.ready, _A.pick_up): (_S.picked_up, frozenset({Role.courier, Role.restaurateur})),
    (_S.picked_up, _A.deliver): (_S.delivered, frozenset({Role.courier})),
    (_S.placed, _A.edit): (_S.placed, frozenset({Role.customer})),
    **_cancel_cells(),
}

# The event an action records: its new status, except an edit, which updates the order.
EVENT_TYPES: Mapping[OrderAction, str] = {
    _A.accept: "order.accepted",
    _A.refuse: "order.refused",
    _A.start_preparing: "order.preparing",
    _A.mark_ready: "order.ready",
    _A.pick_up: "order.picked_up",
    _A.deliver: "order.delivered",
    _A.cancel: "order.cancelled",
    _A.edit: "order.updated",
}
CREATED = "order.created"


def needs_refund(status: OrderStatus, paid: bool = True) -> bool:
    """Whether an order in `status` owes the customer their money back (refused or cancelled, once paid)."""
    return paid and status in (OrderStatus.refused, OrderStatus.cancelled)


def allowed_actions(status: OrderStatus, actor: str) -> list[OrderAction]:
    """The actions `actor` may take from `status`, for the buttons a screen shows."""
    return [action for (source, action), (_, actors) in TRANSITIONS.items() if source == status and actor in actors]
