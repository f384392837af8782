"""Rules of a restaurant's catalogue: articles, option groups, menus and their inputs."""
from __future__ import annotations

import uuid

import msgspec
import pytest

from domain.catalogue import Article, Menu, MenuSlot, Option, OptionGroup, validate_article, validate_menu
from domain.catalogue_input import (
    ArticleInput, ArticlePatch, MenuInput, MenuPatch, article_from_input, menu_from_input, patch_article,
    patch_menu,
)
from domain.errors import Invalid


def option(name="Cheese", delta=0):
    return Option(id=uuid.uuid4(), name=name, price_delta_cents=delta)


def group(name="Extras", lo=0, hi=1, options=None):
    return OptionGroup(id=uuid.uuid4(), name=name, min_choices=lo, max_choices=hi,
                       options=options if options is not None else [option("A"), option("B")])


def article(**changes):
    fields = dict(id=uuid.uuid4(), name="Burger", price_cents=900, option_groups=[group()])
    fields.update(changes)
    return Article(**fields)


def fields_of(excinfo):
    return {e["field"] for e in excinfo.value.errors}


def refused(call, *args):
    with pytest.raises(Invalid) as excinfo:
        call(*args)
    return fields_of(excinfo)


def test_a_valid_article_comes_back_with_its_names_trimmed():
    checked = validate_article(article(name="  Burger  ", option_groups=[group(name=" Sauce ")]))
    assert checked.name == "Burger"
    assert checked.option_groups[0].name == "Sauce"


def test_an_article_name_must_keep_1_to_120_characters_once_trimmed():
    assert refused(validate_article, article(name="   ")) == {"name"}
    assert refused(validate_article, article(name="x" * 121)) == {"name"}
    assert validate_article(article(name="x" * 120)).name == "x" * 120


def test_a_description_longer_than_2000_characters_is_refused():
    assert refused(validate_article, article(description="d" * 2001)) == {"description"}


def test_an_article_price_must_lie_between_0_and_one_million_cents():
    assert refused(validate_article, article(price_cents=-1)) == {"price_cents"}
    assert refused(validate_article, article(price_cents=1_000_001)) == {"price_cents"}
    assert validate_article(article(price_cents=0)).price_cents == 0


def test_every_bad_field_is_named_at_once():
    bad = article(name="", price_cents=-5, option_groups=[group(lo=2, hi=1)])
    assert refused(validate_article, bad) == {"name", "price_cents", "option_groups.0.min_choices"}


def test_a_group_cannot_ask_for_more_choices_than_it_offers():
    assert refused(validate_article, article(option_groups=[group(hi=3)])) == {"option_groups.0.max_choices"}


def test_a_group_must_allow_at_least_one_choice():
    assert "option_groups.0.max_choices" in refused(validate_article, article(option_groups=[group(lo=0, hi=0)]))


def test_a_group_minimum_cannot_be_negative():
    assert refused(validate_article, article(option_groups=[group(lo=-1)])) == {"option_groups.0.min_choices"}


def test_a_group_without_options_is_refused():
    assert "option_groups.0.options" in refused(validate_article, article(option_groups=[group(options=[])]))


def test_option_names_must_be_unique_within_a_group_ignoring_case():
    twins = group(options=[option("Cheese"), option("cheese ")])
    assert refused(validate_article, article(option_groups=[twins])) == {"option_groups.0.options.1.name"}


def test_group_names_must_be_unique_within_an_article():
    assert refused(validate_article, article(option_groups=[group("Sauce"), group("SAUCE")])) == {
        "option_groups.1.name"
    }


def test_an_option_price_delta_cannot_be_negative():
    bad = group(options=[option("A", delta=-10)])
    assert refused(validate_article, article(option_groups=[bad])) == {"option_groups.0.options.0.price_delta_cents"}


def test_an_option_id_cannot_appear_twice_in_one_article():
    shared = option("A")
    groups = [group("One", options=[shared]), group("Two", options=[shared])]
    assert refused(validate_article, article(option_groups=groups)) == {"option_groups"}


def test_allergens_are_trimmed_and_deduplicated_but_empty_ones_refused():
    assert validate_article(article(allergens=[" gluten", "gluten ", "milk"])).allergens == ["gluten", "milk"]
    assert refused(validate_article, article(allergens=["gluten", " "])) == {"allergens.1"}


def menu_with(articles, **changes):
    slot = MenuSlot(id=uuid.uuid4(), name="Main", min_choices=1, max_choices=1, article_ids=[a.id for a in articles])
    fields = dict(id=uuid.uuid4(), name="Lunch", price_cents=1200, slots=[slot])
    fields.update(changes)
    return Menu(**fields)


def test_a_menu_of_known_articles_is_valid_with_trimmed_names():
    burger = article()
    checked = validate_menu(menu_with([burger], name=" Lunch "), {burger.id: burger})
    assert checked.name == "Lunch"


def test_a_menu_slot_may_only_hold_articles_of_the_restaurant():
    burger, stranger = article(), article()
    assert refused(validate_menu, menu_with([burger, stranger]), {burger.id: burger}) == {"slots.0.article_ids.1"}


def test_a_menu_needs_at_least_one_slot():
    assert refused(validate_menu, menu_with([], slots=[]), {}) == {"slots"}


def test_a_menu_slot_cannot_ask_for_more_articles_than_it_lists():
    burger = article()
    slot = MenuSlot(id=uuid.uuid4(), name="Main", min_choices=1, max_choices=2, article_ids=[burger.id])
    assert refused(validate_menu, menu_with([burger], slots=[slot]), {burger.id: burger}) == {"slots.0.max_choices"}


def test_a_menu_slot_cannot_list_an_article_twice():
    burger = article()
    slot = MenuSlot(id=uuid.uuid4(), name="Main", article_ids=[burger.id, burger.id])
    assert refused(validate_menu, menu_with([burger], slots=[slot]), {burger.id: burger}) == {"slots.0.article_ids.1"}


def test_menu_price_and_name_follow_the_article_limits():
    burger = article()
    assert refused(validate_menu, menu_with([burger], name="", price_cents=-1), {burger.id: burger}) == {
        "name", "price_cents"
    }


def test_an_article_input_decodes_from_json_and_gives_new_options_an_id():
    groups = [{"name": "Cooking", "options": [{"name": "Rare"}]}]
    body = msgspec.json.encode({"name": " Burger ", "price_cents": 900, "option_groups": groups})
    built = article_from_input(msgspec.json.decode(body, type=ArticleInput), uuid.uuid4())
    assert built.name == "Burger"
    assert isinstance(built.option_groups[0].options[0].id, uuid.UUID)


def test_an_article_input_with_a_negative_price_fails_to_decode():
    with pytest.raises(msgspec.ValidationError, match="price_cents"):
        msgspec.json.decode(b'{"name": "Burger", "price_cents": -1}', type=ArticleInput)


def test_an_article_input_with_an_unknown_field_fails_to_decode():
    with pytest.raises(msgspec.ValidationError, match="pricee"):
        msgspec.json.decode(b'{"name": "Burger", "price_cents": 1, "pricee": 2}', type=ArticleInput)


def test_the_article_input_schema_shows_its_constraints():
    schema = msgspec.json.schema(ArticleInput)["$defs"]["ArticleInput"]["properties"]
    assert schema["price_cents"]["maximum"] == 1_000_000
    assert schema["name"]["maxLength"] == 120


def test_a_patch_changes_only_the_fields_sent_and_keeps_option_ids_given():
    original = article()
    kept = original.option_groups[0].options[0].id
    groups = [{"name": "Extras", "options": [{"id": str(kept), "name": "A"}]}]
    body = msgspec.json.encode({"price_cents": 1000, "option_groups": groups})
    patched = patch_article(original, msgspec.json.decode(body, type=ArticlePatch))
    assert (patched.name, patched.price_cents) == ("Burger", 1000)
    assert patched.option_groups[0].options[0].id == kept


def test_a_patch_that_breaks_a_rule_is_refused():
    with pytest.raises(Invalid):
        patch_article(article(), ArticlePatch(name="  "))


def test_a_menu_input_is_built_against_the_restaurant_articles():
    burger = article()
    body = f'{{"name": "Lunch", "price_cents": 1200, "slots": [{{"name": "Main", "article_ids": ["{burger.id}"]}}]}}'
    built = menu_from_input(msgspec.json.decode(body, type=MenuInput), uuid.uuid4(), {burger.id: burger})
    assert built.slots[0].article_ids == [burger.id]
    assert refused(menu_from_input, msgspec.json.decode(body, type=MenuInput), uuid.uuid4(), {}) == {
        "slots.0.article_ids.0"
    }


def test_a_menu_patch_keeps_the_slots_when_none_are_sent():
    burger = article()
    menu = menu_with([burger])
    patched = patch_menu(menu, MenuPatch(available=False), {burger.id: burger})
    assert patched.available is False and patched.slots == menu.slots
