"""The server-side price of a cart: items, delivery fee by distance, service fee, credit."""
from __future__ import annotations

from uuid import UUID

import msgspec

from domain.cart_lines import CartLine, PricedChoice, PricedLine, PricedOption, price_line
from domain.catalogue import Article, Menu
from domain.checks import Problems

__all__ = [
    "CartLine", "PricedChoice", "PricedLine", "PricedOption", "PriceBreakdown", "Tariff", "DEFAULT_TARIFF",
    "price_cart", "delivery_fee", "service_fee",
]


class Tariff(msgspec.Struct, frozen=True, kw_only=True):
    """Fees and limits; the service rate is in basis points (500 = 5 %)."""

    delivery_base_cents: int = 199
    delivery_base_metres: int = 2000
    delivery_per_km_cents: int = 60
    delivery_cap_cents: int = 799
    service_rate_bp: int = 500
    service_min_cents: int = 49
    service_max_cents: int = 299
    minimum_basket_cents: int = 500
    max_lines: int = 30


DEFAULT_TARIFF = Tariff()


class PriceBreakdown(msgspec.Struct, kw_only=True):
    lines: list[PricedLine]
    items_cents: int
    delivery_fee_cents: int
    service_fee_cents: int
    credit_cents: int
    total_cents: int


def price_cart(
    lines: list[CartLine],
    articles: dict[UUID, Article],
    menus: dict[UUID, Menu],
    *,
    distance_m: int,
    credit_cents: int = 0,
    tariff: Tariff = DEFAULT_TARIFF,
) -> PriceBreakdown:
    """Price a cart against one restaurant's catalogue, or raise Invalid naming every bad line."""
    if distance_m < 0 or credit_cents < 0:
        raise ValueError("distance and credit cannot be negative")
    problems = Problems()
    if not 1 <= len(lines) <= tariff.max_lines:
        problems.add("lines", f"a cart holds 1 to {tariff.max_lines} lines")
    priced = [price_line(line, f"lines.{i}", articles, menus, problems) for i, line in enumerate(lines)]
    problems.raise_if_any("The cart is invalid")
    items = sum(line.total_cents for line in priced)
    if items < tariff.minimum_basket_cents:
        problems.add("lines", f"the items must come to at least {tariff.minimum_basket_cents} cents")
        problems.raise_if_any("The cart is below the minimum basket")
    delivery, service = delivery_fee(distance_m, tariff), service_fee(items, tariff)
    credit = min(credit_cents, items + delivery + service)
    return PriceBreakdown(
        lines=priced, items_cents=items, delivery_fee_cents=delivery, service_fee_cents=service,
        credit_cents=credit, total_cents=items + delivery + service - credit,
    )


def delivery_fee(distance_m: int, tariff: Tariff = DEFAULT_TARIFF) -> int:
    """The base fee up to the base distance, then a step per started kilometre, capped."""
    beyond = max(0, distance_m - tariff.delivery_base_metres)
    started_km = -(-beyond // 1000)
    return min(tariff.delivery_base_cents + started_km * tariff.delivery_per_km_cents, tariff.delivery_cap_cents)


def service_fee(items_cents: int, tariff: Tariff = DEFAULT_TARIFF) -> int:
    """A share of the items, rounded half up to the cent, kept between the floor and the cap."""
    share = (items_cents * tariff.service_rate_bp + 5000) // 10000
    return max(tariff.service_min_cents, min(share, tariff.service_max_cents))
