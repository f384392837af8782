import uuid

import pytest

from domain.codes import (
    MAX_ATTEMPTS, CodeAttempts, CodeKind, QrPayload, check_code, hash_code, new_code, parse_qr_payload,
    qr_payload, qr_svg,
)
from domain.errors import Conflict, Invalid

PEPPER = b"p" * 32
ORDER = uuid.UUID("6f1c2b9e-3d4a-4e5f-8a7b-9c0d1e2f3a4b")


class _FixedRandom:
    def __init__(self, value: int) -> None:
        self.value, self.asked = value, []

    def randbelow(self, n: int) -> int:
        self.asked.append(n)
        return self.value


def test_a_thousand_codes_are_six_ascii_digits_and_not_all_equal():
    codes = [new_code() for _ in range(1_000)]
    assert all(len(c) == 6 and c.isascii() and c.isdigit() for c in codes)
    assert len(set(codes)) > 900


def test_a_code_is_drawn_uniformly_from_a_million_with_leading_zeros_kept():
    rng = _FixedRandom(42)
    assert new_code(rng) == "000042"
    assert rng.asked == [1_000_000]
    assert new_code(_FixedRandom(999_999)) == "999999"


def test_the_stored_hash_is_not_the_code_and_depends_on_the_pepper():
    stored = hash_code("012345", PEPPER)
    assert "012345" not in stored
    assert stored == hash_code("012345", PEPPER)
    assert stored != hash_code("012345", b"q" * 32)
    assert hash_code("012345", "p" * 32) == stored


@pytest.mark.parametrize("given, ok", [
    ("012345", True), ("012 345", True), (" 012345\n", True),
    ("012346", False), ("12345", False), ("", False), ("0123456", False), ("٠١٢٣٤٥", False),
])
def test_checking_a_code_accepts_only_the_same_digits(given, ok):
    assert check_code(given, hash_code("012345", PEPPER), PEPPER) is ok


def test_the_right_code_passes_and_keeps_the_count_of_wrong_tries():
    stored = hash_code("123456", PEPPER)
    ok, attempts = CodeAttempts(failures=2).attempt("123456", stored, PEPPER)
    assert ok and attempts == CodeAttempts(2)


def test_after_five_wrong_tries_the_code_is_locked_even_against_the_right_code():
    stored, attempts = hash_code("123456", PEPPER), CodeAttempts()
    for tries in range(1, MAX_ATTEMPTS + 1):
        assert not attempts.locked
        ok, attempts = attempts.attempt("000000", stored, PEPPER)
        assert not ok and attempts.remaining == MAX_ATTEMPTS - tries
    assert attempts.locked
    with pytest.raises(Conflict) as caught:
        attempts.attempt("123456", stored, PEPPER)
    assert caught.value.code == "code-locked"


def test_a_qr_payload_names_the_kind_the_order_and_the_code():
    text = qr_payload(CodeKind.delivery, ORDER, "012345")
    assert text == f"cesieats:delivery:{ORDER}:012345"
    assert parse_qr_payload(text) == QrPayload(CodeKind.delivery, ORDER, "012345")
    assert parse_qr_payload(qr_payload("pickup", ORDER, "999999")).kind == CodeKind.pickup


def test_a_qr_payload_is_not_made_from_a_bad_code():
    with pytest.raises(Invalid):
        qr_payload("delivery", ORDER, "12345")


@pytest.mark.parametrize("text", [
    "", "hello", f"cesieats:delivery:{ORDER}", f"cesieats:delivery:{ORDER}:012345:x",
    f"other:delivery:{ORDER}:012345", f"cesieats:refund:{ORDER}:012345", f"CESIEATS:delivery:{ORDER}:012345",
    "cesieats:delivery:not-a-uuid:012345", f"cesieats:delivery:{str(ORDER).upper()}:012345",
    f"cesieats:delivery:{ORDER.hex}:012345", f"cesieats:delivery:{{{ORDER}}}:012345",
    f"cesieats:delivery:{ORDER}:01234", f"cesieats:delivery:{ORDER}:01234a", f"cesieats:delivery:{ORDER}:٠١٢٣٤٥",
    f"cesieats:delivery:{ORDER}:012345\n", f"cesieats:delivery:{ORDER}:" + "1" * 200,
])
def test_a_malformed_qr_payload_is_refused(text):
    with pytest.raises(Invalid) as caught:
        parse_qr_payload(text)
    assert caught.value.errors == [{"field": "qr", "message": "is not a CESI EATS code"}]


def test_the_qr_code_is_inline_svg_that_depends_on_the_payload():
    svg = qr_svg(qr_payload("delivery", ORDER, "012345"))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg
    assert svg == qr_svg(qr_payload("delivery", ORDER, "012345"))
    assert svg != qr_svg(qr_payload("delivery", ORDER, "012346"))
