import msgspec
import pytest
from geopy.distance import geodesic

from domain.gps import AcceptedFix, FixRefusal, GpsFix, check_fix

NOW = 1_700_000_000_000.0
LAT, LNG = 48.8566, 2.3522


def _fix(ts: float = NOW, *, north_m: float = 0.0, accuracy: float | None = None) -> GpsFix:
    p = geodesic(meters=north_m).destination((LAT, LNG), 0) if north_m else None
    lat, lng = (p.latitude, p.longitude) if p else (LAT, LNG)
    return GpsFix(lat=lat, lng=lng, ts=ts, accuracy=accuracy)


def _previous(ts: float = NOW - 4_000, *, accuracy: float | None = None, tokens: float = 5.0) -> AcceptedFix:
    return AcceptedFix(LAT, LNG, ts, accuracy, tokens, refilled_ms=NOW - 4_000)


def test_a_socket_payload_decodes_with_whole_or_fractional_milliseconds():
    fix = msgspec.json.decode(b'{"lat": 48.85, "lng": 2.35, "ts": 1700000000000, "speed": 4.2}', type=GpsFix)
    assert (fix.ts, fix.speed, fix.heading, fix.accuracy) == (1_700_000_000_000, 4.2, None, None)
    assert msgspec.json.decode(b'{"lat": 0, "lng": 0, "ts": 1.5}', type=GpsFix).ts == 1.5


@pytest.mark.parametrize("field, value", [
    ("heading", 360.5), ("heading", -1), ("speed", 70.1), ("speed", -0.1),
    ("accuracy", 5000.1), ("accuracy", -1), ("ts", 0), ("lat", 91), ("lng", -180.5), ("ts", "now"),
])
def test_decoding_refuses_a_field_out_of_its_range(field, value):
    body = {"lat": 48.85, "lng": 2.35, "ts": NOW, field: value}
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(body, GpsFix)


def test_the_first_fix_of_a_courier_is_accepted_and_becomes_the_state():
    verdict = check_fix(_fix(), None, NOW)
    assert verdict.accepted and verdict.reason is None
    assert (verdict.state.lat, verdict.state.lng, verdict.state.ts) == (LAT, LNG, NOW)


def test_a_fix_a_few_seconds_after_the_previous_one_nearby_is_accepted():
    verdict = check_fix(_fix(north_m=40), _previous(), NOW)
    assert verdict.accepted and verdict.state.ts == NOW


@pytest.mark.parametrize("ts, reason", [
    (NOW + 30_001, FixRefusal.future),
    (NOW - 5 * 60_000 - 1, FixRefusal.stale),
])
def test_a_timestamp_far_in_the_future_or_the_past_is_refused(ts, reason):
    verdict = check_fix(_fix(ts), None, NOW)
    assert (verdict.accepted, verdict.reason, verdict.state) == (False, reason, None)


def test_a_timestamp_just_inside_the_limits_is_accepted():
    assert check_fix(_fix(NOW + 30_000), None, NOW).accepted
    assert check_fix(_fix(NOW - 5 * 60_000), None, NOW).accepted


@pytest.mark.parametrize("ts", [NOW - 4_000, NOW - 5_000])
def test_a_fix_not_newer_than_the_previous_one_is_refused_and_the_previous_kept(ts):
    previous = _previous(NOW - 4_000)
    verdict = check_fix(_fix(ts), previous, NOW)
    assert (verdict.accepted, verdict.reason) == (False, FixRefusal.out_of_order)
    assert (verdict.state.lat, verdict.state.ts) == (previous.lat, previous.ts)


def test_a_jump_faster_than_216_kmh_is_refused():
    verdict = check_fix(_fix(north_m=250), _previous(NOW - 4_000), NOW)  # 62.5 m/s
    assert (verdict.accepted, verdict.reason) == (False, FixRefusal.implausible_speed)
    assert verdict.state.ts == NOW - 4_000


def test_a_jump_just_under_216_kmh_is_accepted():
    assert check_fix(_fix(north_m=235), _previous(NOW - 4_000), NOW).accepted  # 58.75 m/s


def test_a_fast_jump_within_the_reported_accuracy_is_accepted():
    verdict = check_fix(_fix(north_m=250, accuracy=20), _previous(NOW - 4_000, accuracy=15), NOW)
    assert verdict.accepted


def _stream(times_ms):
    state, accepted = None, []
    for t in times_ms:
        verdict = check_fix(_fix(NOW + t), state, NOW + t)
        accepted.append(verdict.accepted)
        state = verdict.state
    return accepted, verdict


def test_a_burst_of_five_fixes_is_accepted_and_a_sixth_at_once_is_refused():
    accepted, last = _stream([0, 1, 2, 3, 4, 5])
    assert accepted == [True] * 5 + [False]
    assert last.reason == FixRefusal.too_frequent


def test_a_stream_of_ten_fixes_a_second_is_cut_to_five_a_second():
    accepted, _ = _stream(range(0, 10_000, 100))
    assert 50 <= sum(accepted) <= 55


def test_the_rate_limit_refills_at_five_fixes_per_second():
    empty = AcceptedFix(LAT, LNG, NOW - 1_000, None, tokens=0.0, refilled_ms=NOW)
    assert check_fix(_fix(NOW + 100), empty, NOW + 100).reason == FixRefusal.too_frequent
    assert check_fix(_fix(NOW + 200), empty, NOW + 200).accepted


def test_refused_fixes_spend_the_rate_limit_too():
    previous = _previous(NOW - 4_000, tokens=1.0)
    refused = check_fix(_fix(NOW - 5_000), previous, NOW - 4_000)
    assert refused.reason == FixRefusal.out_of_order
    assert check_fix(_fix(NOW - 3_990), refused.state, NOW - 3_990).reason == FixRefusal.too_frequent

