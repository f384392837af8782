import math

import msgspec
import pytest
from geopy.distance import geodesic

from domain.errors import Invalid
from domain.geo import Position, bounding_box, distance_m, fast_distance_m

PARIS = Position(48.8566, 2.3522)


def _point_at(center: Position, bearing: float, metres: float) -> Position:
    p = geodesic(meters=metres).destination((center.lat, center.lng), bearing)
    return Position(p.latitude, p.longitude)


def _inside(box, p: Position) -> bool:
    min_lat, min_lng, max_lat, max_lng = box
    return min_lat <= p.lat <= max_lat and min_lng <= p.lng <= max_lng


@pytest.mark.parametrize("body", [
    b'{"lat": 90.5, "lng": 0}', b'{"lat": -91, "lng": 0}',
    b'{"lat": 0, "lng": 180.01}', b'{"lat": 0, "lng": -181}',
    b'{"lat": 1e999, "lng": 0}', b'{"lat": "48.8", "lng": 2.3}', b'{"lat": 48.8}',
])
def test_decoding_refuses_a_position_out_of_range_or_malformed(body):
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(body, type=Position)


@pytest.mark.parametrize("lat, lng", [(math.nan, 0.0), (0.0, math.nan), (math.inf, 0.0), (0.0, -math.inf)])
def test_nan_and_infinity_are_refused_whether_converted_or_constructed(lat, lng):
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"lat": lat, "lng": lng}, Position)
    with pytest.raises(ValueError):
        Position(lat, lng)


def test_the_extreme_valid_values_are_accepted():
    assert msgspec.json.decode(b'{"lat": -90, "lng": 180}', type=Position) == Position(-90.0, 180.0)


def test_the_schema_shows_the_bounds_of_latitude_and_longitude():
    _, components = msgspec.json.schema_components([Position])
    props = components["Position"]["properties"]
    assert (props["lat"]["minimum"], props["lat"]["maximum"]) == (-90.0, 90.0)
    assert (props["lng"]["minimum"], props["lng"]["maximum"]) == (-180.0, 180.0)


def test_one_degree_along_the_equator_is_the_ellipsoid_value():
    assert distance_m(Position(0, 0), Position(0, 1)) == pytest.approx(111_319.49, abs=0.01)


def test_distance_is_symmetric_and_zero_for_one_point():
    lyon = Position(45.764, 4.8357)
    assert distance_m(PARIS, lyon) == pytest.approx(distance_m(lyon, PARIS))
    assert distance_m(PARIS, PARIS) == 0.0


def test_a_pair_asked_again_is_not_solved_again(monkeypatch):
    import domain.geo

    solved = []

    def counting(*args):
        solved.append(args)
        return geodesic(*args)
    monkeypatch.setattr(domain.geo, "geodesic", counting)
    here, there = Position(43.2965, 5.3698), Position(43.3, 5.38)  # a pair no other test asks
    first = distance_m(here, there)
    assert distance_m(Position(43.2965, 5.3698), Position(43.3, 5.38)) == first
    assert len(solved) == 1


@pytest.mark.parametrize("bearing", range(0, 360, 15))
@pytest.mark.parametrize("metres", [50, 800, 3_000, 12_000, 30_000])
def test_fast_distance_stays_within_half_a_percent_of_geodesic_at_city_scale(bearing, metres):
    other = _point_at(PARIS, bearing, metres)
    exact = distance_m(PARIS, other)
    assert abs(fast_distance_m(PARIS, other) - exact) / exact < 0.005


@pytest.mark.parametrize("center", [
    PARIS, Position(0.0, 0.0), Position(-33.87, 151.21), Position(70.0, 25.0), Position(-89.9, 10.0),
])
@pytest.mark.parametrize("radius", [1, 500, 5_000, 40_000])
def test_the_box_contains_every_point_of_the_circle(center, radius):
    box = bounding_box(center, radius)
    for bearing in range(0, 360, 5):
        assert _inside(box, _point_at(center, bearing, radius)), bearing


def test_the_box_is_tight_enough_to_be_a_useful_filter():
    min_lat, min_lng, max_lat, max_lng = bounding_box(PARIS, 5_000)
    north = _point_at(PARIS, 0, 5_000).lat - PARIS.lat
    east = _point_at(PARIS, 90, 5_000).lng - PARIS.lng
    assert max_lat - PARIS.lat < north * 1.01
    assert max_lng - PARIS.lng < east * 1.01
    assert (PARIS.lat - min_lat, PARIS.lng - min_lng) == pytest.approx((max_lat - PARIS.lat, max_lng - PARIS.lng))


def test_a_zero_radius_gives_the_point_itself():
    assert bounding_box(PARIS, 0) == (PARIS.lat, PARIS.lng, PARIS.lat, PARIS.lng)


def test_a_circle_over_a_pole_spans_every_longitude_and_stops_at_the_pole():
    assert bounding_box(Position(89.99, 45.0), 5_000) == pytest.approx((89.99 - 0.0453, -180, 90, 180), abs=1e-3)


def test_a_circle_across_the_180th_meridian_spans_every_longitude():
    box = bounding_box(Position(-17.0, 179.99), 5_000)
    assert (box[1], box[3]) == (-180.0, 180.0)
    assert _inside(box, _point_at(Position(-17.0, 179.99), 90, 4_000))


@pytest.mark.parametrize("radius", [-1, math.nan, math.inf])
def test_a_negative_or_non_finite_radius_is_refused(radius):
    with pytest.raises(Invalid) as caught:
        bounding_box(PARIS, radius)
    assert caught.value.errors[0]["field"] == "radius_m"
