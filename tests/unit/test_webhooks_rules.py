"""Webhook and component rules: signatures, back-off, package names and versions."""
import random

import pytest

from domain.components import check_name, check_version, tarball_name, version_key
from domain.errors import Invalid
from domain.webhooks import RETRY_WINDOW_S, retry_delay, signature, signature_header, verify

BODY = b'{"id":"e1","type":"order.created"}'


def test_a_signature_verifies_under_either_secret_while_both_sign():
    header = signature_header(["whsec_new", "whsec_old"], 1_700_000_000, BODY)
    assert header.startswith("t=1700000000,v1=") and header.count("v1=") == 2
    assert verify(header, BODY, "whsec_new", now=1_700_000_010)
    assert verify(header, BODY, "whsec_old", now=1_700_000_010)
    assert not verify(header, BODY, "whsec_other", now=1_700_000_010)


def test_a_stale_tampered_or_malformed_signature_does_not_verify():
    header = signature_header(["whsec_a"], 1_700_000_000, BODY)
    assert not verify(header, BODY, "whsec_a", now=1_700_000_000 + 301)
    assert not verify(header, BODY + b" ", "whsec_a", now=1_700_000_000)
    assert not verify("v1=" + signature("whsec_a", 1, BODY), BODY, "whsec_a", now=1)
    assert not verify("t=1,t=1,v1=" + signature("whsec_a", 1, BODY), BODY, "whsec_a", now=1)


def test_retries_double_from_ten_seconds_to_an_hour_with_at_most_a_fifth_off():
    rng = random.Random(7)
    for attempts, base in [(1, 10), (2, 20), (3, 40), (9, 2560), (10, 3600), (30, 3600)]:
        for _ in range(50):
            assert base * 0.8 <= retry_delay(attempts, rng) <= base


def test_retries_go_on_for_at_least_a_day():
    waited, attempts = 0.0, 0
    while waited < RETRY_WINDOW_S:
        attempts += 1
        waited += retry_delay(attempts, random.Random(attempts))
    assert RETRY_WINDOW_S >= 24 * 3600 and 25 <= attempts <= 40


@pytest.mark.parametrize("name", ["widget", "@cesi-eats/order-tracker", "a.b_c-d~e"])
def test_npm_names_are_accepted(name):
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["Widget", "@scope", "../x", "a/b", "", "x" * 215, "@Cesi/x", 3])
def test_names_npm_would_refuse_are_refused(name):
    with pytest.raises(Invalid):
        check_name(name)


def test_versions_are_semantic_and_sort_as_numbers_with_pre_releases_first():
    for bad in ("1.0", "v1.0.0", "01.0.0", "latest", "1.0.0-"):
        with pytest.raises(Invalid):
            check_version(bad)
    versions = ["1.10.0", "1.2.0", "1.10.0-beta.2", "1.10.0-beta.10", "1.10.0-alpha", "0.9.9+build.1"]
    assert sorted(versions, key=version_key) == [
        "0.9.9+build.1", "1.2.0", "1.10.0-alpha", "1.10.0-beta.2", "1.10.0-beta.10", "1.10.0"]


def test_a_tarball_is_named_after_the_unscoped_name():
    assert tarball_name("@cesi-eats/order-tracker", "1.0.0") == "order-tracker-1.0.0.tgz"
