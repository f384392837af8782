"""The contract every payment provider meets; each call is idempotent by its key."""
from __future__ import annotations

from typing import Protocol

import msgspec


class ProviderResult(msgspec.Struct, frozen=True):
    ok: bool
    charge_id: str | None = None
    failure_code: str | None = None


class PaymentProvider(Protocol):
    name: str

    async def authorize(self, *, token: str, amount_cents: int, idempotency_key: str) -> ProviderResult:
        """Hold the amount on the card behind the token."""

    async def capture(self, *, charge_id: str, amount_cents: int, idempotency_key: str) -> ProviderResult:
        """Take (part of) what was held."""

    async def void(self, *, charge_id: str, idempotency_key: str) -> ProviderResult:
        """Release a hold that was never captured."""

    async def refund(self, *, charge_id: str, amount_cents: int, idempotency_key: str) -> ProviderResult:
        """Give back (part of) what was captured."""
