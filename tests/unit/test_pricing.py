"""The server prices a cart itself: items, options, menus, fees, credit, and every refusal."""
from __future__ import annotations

import uuid

import msgspec
import pytest

from domain.catalogue import Article, Menu, MenuSlot, Option, OptionGroup
from domain.errors import Invalid
from domain.pricing import CartLine, Tariff, delivery_fee, price_cart, service_fee

CHEESE = Option(id=uuid.uuid4(), name="Cheese", price_delta_cents=100)
BACON = Option(id=uuid.uuid4(), name="Bacon", price_delta_cents=150)
TRUFFLE = Option(id=uuid.uuid4(), name="Truffle", price_delta_cents=900, available=False)
RARE = Option(id=uuid.uuid4(), name="Rare")
WELL_DONE = Option(id=uuid.uuid4(), name="Well done")
EXTRAS = OptionGroup(id=uuid.uuid4(), name="Extras", min_choices=0, max_choices=2, options=[CHEESE, BACON, TRUFFLE])
COOKING = OptionGroup(id=uuid.uuid4(), name="Cooking", min_choices=1, max_choices=1, options=[RARE, WELL_DONE])
BURGER = Article(id=uuid.uuid4(), name="Burger", price_cents=900, option_groups=[EXTRAS, COOKING])
FRIES = Article(id=uuid.uuid4(), name="Fries", price_cents=300)
SODA = Article(id=uuid.uuid4(), name="Soda", price_cents=250)
WATER = Article(id=uuid.uuid4(), name="Water", price_cents=200, available=False)
MAIN = MenuSlot(id=uuid.uuid4(), name="Main", min_choices=1, max_choices=1, article_ids=[BURGER.id])
DRINK = MenuSlot(id=uuid.uuid4(), name="Drink", min_choices=1, max_choices=1, article_ids=[SODA.id, WATER.id])
LUNCH = Menu(id=uuid.uuid4(), name="Lunch", price_cents=1290, slots=[MAIN, DRINK])
GONE = Menu(id=uuid.uuid4(), name="Gone", price_cents=1000, slots=[MAIN], available=False)
ARTICLES = {a.id: a for a in (BURGER, FRIES, SODA, WATER)}
MENUS = {m.id: m for m in (LUNCH, GONE)}


def burger(quantity=1, options=(RARE,)):
    return CartLine(kind="article", item_id=BURGER.id, quantity=quantity, option_ids=[o.id for o in options])


def lunch(main=(BURGER,), drink=(SODA,), quantity=1):
    choices = {str(MAIN.id): [a.id for a in main], str(DRINK.id): [a.id for a in drink]}
    return CartLine(kind="menu", item_id=LUNCH.id, quantity=quantity, choices=choices)


def price(lines, distance_m=1000, credit_cents=0, **kwargs):
    return price_cart(lines, ARTICLES, MENUS, distance_m=distance_m, credit_cents=credit_cents, **kwargs)


def refusal(lines, **kwargs):
    with pytest.raises(Invalid) as excinfo:
        price(lines, **kwargs)
    return {e["field"] for e in excinfo.value.errors}


def test_an_article_line_costs_its_price_plus_its_options_times_the_quantity():
    line = price([burger(quantity=2, options=(RARE, CHEESE, BACON))]).lines[0]
    assert line.unit_price_cents == 900 + 100 + 150
    assert line.total_cents == 2 * 1150


def test_a_priced_line_snapshots_names_and_option_prices():
    line = price([burger(options=(CHEESE, WELL_DONE))]).lines[0]
    assert line.name == "Burger"
    assert [(o.name, o.price_delta_cents) for o in line.options] == [("Cheese", 100), ("Well done", 0)]


def test_a_menu_line_costs_the_menu_price_and_records_the_chosen_articles():
    line = price([lunch(quantity=3)]).lines[0]
    assert (line.unit_price_cents, line.total_cents) == (1290, 3 * 1290)
    assert [(c.slot_name, c.name) for c in line.choices] == [("Main", "Burger"), ("Drink", "Soda")]


def test_the_breakdown_adds_items_delivery_and_service_fees():
    bill = price([burger(quantity=2), CartLine(kind="article", item_id=FRIES.id)], distance_m=2500)
    assert bill.items_cents == 2100
    assert bill.delivery_fee_cents == 199 + 60
    assert bill.service_fee_cents == 105
    assert bill.total_cents == 2100 + 259 + 105


@pytest.mark.parametrize(("metres", "cents"), [
    (0, 199), (2000, 199), (2001, 259), (3000, 259), (3001, 319), (11_000, 739), (11_001, 799), (50_000, 799),
])
def test_the_delivery_fee_grows_per_started_kilometre_beyond_two_and_is_capped(metres, cents):
    assert delivery_fee(metres) == cents


@pytest.mark.parametrize(("items", "cents"), [
    (500, 49), (980, 49), (1000, 50), (1009, 50), (1010, 51), (1030, 52), (5970, 299), (100_000, 299),
])
def test_the_service_fee_is_five_percent_rounded_half_up_between_floor_and_cap(items, cents):
    assert service_fee(items) == cents


def test_a_tariff_can_change_the_fees():
    assert delivery_fee(500, Tariff(delivery_base_cents=0)) == 0
    assert service_fee(10_000, Tariff(service_rate_bp=1000, service_max_cents=5000)) == 1000


def test_credit_lowers_the_total():
    bill = price([burger(quantity=2)], credit_cents=300)
    assert (bill.credit_cents, bill.total_cents) == (300, 1800 + 199 + 90 - 300)


def test_credit_larger_than_the_total_covers_the_fees_and_leaves_nothing_to_pay():
    bill = price([burger(quantity=2)], credit_cents=50_000)
    assert bill.credit_cents == 1800 + 199 + 90
    assert bill.total_cents == 0


def test_a_cart_below_the_minimum_basket_is_refused():
    assert refusal([CartLine(kind="article", item_id=SODA.id)]) == {"lines"}


def test_an_empty_cart_is_refused():
    assert refusal([]) == {"lines"}


def test_a_cart_of_more_than_thirty_lines_is_refused():
    assert refusal([burger()] * 31) == {"lines"}
    assert len(price([burger()] * 30).lines) == 30


def test_an_item_of_another_restaurant_is_refused():
    assert refusal([burger(), CartLine(kind="article", item_id=uuid.uuid4())]) == {"lines.1.item_id"}


def test_an_article_id_sent_as_a_menu_is_refused():
    assert refusal([CartLine(kind="menu", item_id=BURGER.id)]) == {"lines.0.item_id"}


def test_an_unavailable_article_or_menu_is_refused():
    assert refusal([burger(quantity=2), CartLine(kind="article", item_id=WATER.id)]) == {"lines.1.item_id"}
    assert refusal([CartLine(kind="menu", item_id=GONE.id)]) == {"lines.0.item_id"}


def test_a_quantity_outside_one_to_fifty_is_refused():
    assert refusal([burger(quantity=51)]) == {"lines.0.quantity"}
    with pytest.raises(msgspec.ValidationError, match="quantity"):
        msgspec.convert({"kind": "article", "item_id": str(BURGER.id), "quantity": 0}, CartLine)


def test_an_option_of_another_article_is_refused():
    assert refusal([burger(options=(RARE, Option(id=uuid.uuid4(), name="x")))]) == {"lines.0.option_ids"}


def test_an_unavailable_option_is_refused():
    assert refusal([burger(options=(RARE, TRUFFLE))]) == {"lines.0.option_ids"}


def test_an_option_picked_twice_is_refused():
    assert refusal([burger(options=(RARE, CHEESE, CHEESE))]) == {"lines.0.option_ids"}


def test_a_required_group_left_empty_is_refused():
    assert refusal([burger(options=(CHEESE,))]) == {"lines.0.option_ids"}


def test_a_group_picked_beyond_its_maximum_is_refused():
    assert refusal([burger(options=(RARE, WELL_DONE))]) == {"lines.0.option_ids"}


def test_choices_on_an_article_line_are_refused():
    line = CartLine(kind="article", item_id=BURGER.id, option_ids=[RARE.id], choices={str(MAIN.id): [BURGER.id]})
    assert refusal([line]) == {"lines.0.choices"}


def test_options_on_a_menu_line_are_refused():
    line = CartLine(kind="menu", item_id=LUNCH.id, option_ids=[RARE.id], choices=lunch().choices)
    assert refusal([line]) == {"lines.0.option_ids"}


def test_a_menu_slot_left_empty_is_refused():
    assert refusal([lunch(drink=())]) == {f"lines.0.choices.{DRINK.id}"}


def test_a_menu_slot_filled_beyond_its_maximum_is_refused():
    assert refusal([lunch(drink=(SODA, SODA))]) == {f"lines.0.choices.{DRINK.id}"}


def test_an_article_not_offered_in_a_slot_is_refused():
    assert refusal([lunch(drink=(FRIES,))]) == {f"lines.0.choices.{DRINK.id}"}


def test_an_unavailable_article_chosen_in_a_menu_is_refused():
    assert refusal([lunch(drink=(WATER,))]) == {f"lines.0.choices.{DRINK.id}"}


def test_a_choice_for_a_slot_the_menu_does_not_have_is_refused():
    line = lunch()
    line.choices["not-a-slot"] = [SODA.id]
    assert refusal([line]) == {"lines.0.choices"}


def test_every_bad_line_is_named_at_once():
    lines = [CartLine(kind="article", item_id=uuid.uuid4()), burger(), lunch(drink=())]
    assert refusal(lines) == {"lines.0.item_id", f"lines.2.choices.{DRINK.id}"}


def test_a_cart_line_decodes_from_json_with_defaults():
    line = msgspec.json.decode(f'{{"kind": "article", "item_id": "{FRIES.id}"}}'.encode(), type=CartLine)
    assert (line.quantity, line.option_ids, line.choices) == (1, [], {})
