"""The roles a person can hold, and the system actor behind the worker's timers."""
from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """A user's role; it decides what the user may see and do."""

    customer = "customer"
    restaurateur = "restaurateur"
    courier = "courier"
    developer = "developer"
    sales = "sales"
    tech = "tech"


# Not a Role: no account ever holds it, only the worker acts as it (deadlines, timeouts).
SYSTEM = "system"

STAFF = frozenset({Role.sales, Role.tech})
SELF_REGISTER = frozenset({Role.customer, Role.restaurateur, Role.courier, Role.developer})
