"""Referral rewards: what each side earns once the referee has proved real."""
from __future__ import annotations

from domain.roles import Role

# Credited to both the referee and the referrer, once, in cents. Roles not listed earn nothing.
REWARD_CENTS: dict[Role, int] = {
    Role.customer: 500,      # the referee's first order is delivered
    Role.courier: 1000,      # the referee's first delivery is done
    Role.restaurateur: 2000,  # the referee's first order is accepted
}


def reward_cents(role: Role | str) -> int:
    return REWARD_CENTS.get(Role(role), 0)


def initial(name: str | None) -> str | None:
    """How a referee appears to the referrer: the first letter only, or None once erased."""
    name = (name or "").strip()
    return f"{name[0].upper()}." if name else None
