"""Prices of an order being edited: lines kept as snapshotted, fees for the new distance."""
from __future__ import annotations

from domain.pricing import DEFAULT_TARIFF, PriceBreakdown, PricedLine, Tariff, delivery_fee, service_fee


def reprice_delivery(lines: list[PricedLine], *, distance_m: int, credit_cents: int,
                     tariff: Tariff = DEFAULT_TARIFF) -> PriceBreakdown:
    """The same lines at the prices they were ordered at, delivered `distance_m` away."""
    if distance_m < 0 or credit_cents < 0:
        raise ValueError("distance and credit cannot be negative")
    items = sum(line.total_cents for line in lines)
    delivery, service = delivery_fee(distance_m, tariff), service_fee(items, tariff)
    credit = min(credit_cents, items + delivery + service)
    return PriceBreakdown(
        lines=list(lines), items_cents=items, delivery_fee_cents=delivery, service_fee_cents=service,
        credit_cents=credit, total_cents=items + delivery + service - credit,
    )


def needs_new_hold(held_cents: int, new_total_cents: int) -> bool:
    """A hold is for one amount: any other total needs a new authorisation (and the old one voided)."""
    return held_cents != new_total_cents
