"""Account rules: role profiles, suspension ends, referral rewards and initials."""
from datetime import datetime, timedelta, timezone

import pytest

from domain.accounts import INDEFINITELY, Suspension, suspension_end
from domain.errors import Invalid
from domain.profiles import merge_profile
from domain.referral import initial, reward_cents

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
HOME = {"label": "Maison", "address": "1 rue de la Paix", "lat": 48.87, "lng": 2.33}


def test_a_profile_patch_replaces_only_the_keys_it_names():
    assert merge_profile("courier", {"vehicle": "bike"}, {"vehicle": "car"}) == {"vehicle": "car"}
    assert merge_profile("customer", {"addresses": [HOME]}, {}) == {"addresses": [HOME]}
    assert merge_profile("courier", {"vehicle": "bike"}, {"vehicle": None}) == {"vehicle": None}


@pytest.mark.parametrize("role, patch, field", [
    ("customer", {"addresses": [{**HOME, "surprise": 1}]}, "profile.addresses.0.surprise"),
    ("customer", {"addresses": [{**HOME, "lng": 200}]}, "profile.addresses.0.lng"),
    ("customer", {"addresses": [HOME] * 11}, "profile.addresses"),
    ("restaurateur", {"addresses": []}, "profile.addresses"),
])
def test_a_profile_patch_that_does_not_fit_names_the_field(role, patch, field):
    with pytest.raises(Invalid) as raised:
        merge_profile(role, {}, patch)
    assert raised.value.errors[0]["field"] == field


def test_a_suspension_without_an_end_lasts_indefinitely():
    assert suspension_end(Suspension(reason="fraud"), NOW) == INDEFINITELY


def test_a_suspension_ends_at_its_date_in_utc():
    paris = timezone(timedelta(hours=1))
    until = datetime(2026, 3, 2, 9, 0, tzinfo=paris)
    assert suspension_end(Suspension(reason="x", until=until), NOW) == datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def test_a_suspension_cannot_end_in_the_past():
    with pytest.raises(Invalid):
        suspension_end(Suspension(reason="x", until=NOW - timedelta(seconds=1)), NOW)


def test_rewards_depend_on_the_role_and_developers_earn_none():
    assert [reward_cents(r) for r in ("customer", "courier", "restaurateur", "developer")] == [500, 1000, 2000, 0]


def test_a_referee_shows_only_an_initial():
    assert (initial("  émile zola"), initial(None), initial("")) == ("É.", None, None)
