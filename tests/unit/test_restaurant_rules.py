"""A restaurant's settings and the words search matches: cleaned, checked, never query syntax."""
from datetime import UTC, date, datetime

import msgspec
import pytest

from domain.errors import Invalid
from domain.hours import WeeklyHours
from domain.restaurants import RestaurantInput, clean_settings, open_state, sent_fields
from domain.text_search import document, fold, prefix_query


def test_words_are_folded_without_case_accents_or_punctuation():
    assert fold("  Crêpes & CAFÉ-Bar, l'Œuf ") == "crepes cafe bar l oeuf"
    assert document("Chez Léa", "", "bistrot") == "chez lea bistrot"


def test_every_query_word_becomes_a_prefix_and_nothing_else_survives():
    assert prefix_query("Pizz reine") == "pizz:* & reine:*"
    assert prefix_query("a:* | !b & (c)") == "a:* & b:* & c:*"
    assert prefix_query(" '&|!: ") is None


def test_settings_are_trimmed_and_cuisines_lowered_once_each():
    data = msgspec.convert({"name": "  Chez Léa ", "cuisines": ["Bistrot", " bistrot", "Vins"],
                            "position": {"lat": 48.8, "lng": 2.3}, "closures": ["2025-05-01", "2025-01-01"] * 2},
                           RestaurantInput)
    cleaned = clean_settings(sent_fields(data))
    assert cleaned["name"] == "Chez Léa" and cleaned["cuisines"] == ["bistrot", "vins"]
    assert cleaned["closures"] == [date(2025, 1, 1), date(2025, 5, 1)]


def test_every_bad_setting_is_named_at_once_with_hours_under_their_own_path():
    week = msgspec.convert({"days": [[{"open": "12:00", "close": "15:00"}, {"open": "14:00", "close": "16:00"}]]
                            + [[]] * 6}, WeeklyHours)
    with pytest.raises(Invalid) as refused:
        clean_settings({"name": " ", "timezone": "Nowhere/Town", "hours": week})
    assert {e["field"] for e in refused.value.errors} == {"name", "timezone", "hours.days.0.1"}


def test_a_switched_off_restaurant_is_closed_with_no_next_opening():
    always = msgspec.convert({"days": [[{"open": "00:00", "close": "00:00"}]] * 7}, WeeklyHours)
    at = datetime(2025, 1, 10, 12, tzinfo=UTC)
    assert open_state(always, [], "Europe/Paris", False, at) == (False, None)
    assert open_state(always, [], "Europe/Paris", True, at) == (True, at)
