"""Re-pricing an edited order: lines keep their snapshot, fees follow the new address."""
import uuid

import pytest

from domain.order_edits import needs_new_hold, reprice_delivery
from domain.pricing import PricedLine


def line(total_cents, quantity=1):
    return PricedLine(kind="article", item_id=uuid.uuid4(), name="Burger", quantity=quantity,
                      unit_price_cents=total_cents // quantity, total_cents=total_cents)


def test_a_new_address_keeps_the_lines_and_changes_only_the_delivery_fee():
    price = reprice_delivery([line(2500, 2)], distance_m=3500, credit_cents=0)
    # 1.99 up to 2 km, then 0.60 per started km: 2 started km beyond
    assert (price.items_cents, price.delivery_fee_cents, price.service_fee_cents) == (2500, 319, 125)
    assert price.total_cents == 2944 and price.lines[0].unit_price_cents == 1250


def test_the_credit_already_used_is_kept_but_never_above_the_total():
    assert reprice_delivery([line(600)], distance_m=0, credit_cents=300).credit_cents == 300
    small = reprice_delivery([line(100)], distance_m=0, credit_cents=5000)
    assert (small.credit_cents, small.total_cents) == (100 + 199 + 49, 0)


def test_a_negative_distance_is_a_programming_error():
    with pytest.raises(ValueError):
        reprice_delivery([line(600)], distance_m=-1, credit_cents=0)


@pytest.mark.parametrize("held, total, expected", [(2824, 2824, False), (2824, 2900, True), (2824, 2000, True)])
def test_any_other_total_needs_a_new_hold(held, total, expected):
    assert needs_new_hold(held, total) is expected
