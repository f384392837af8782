"""Nearest places by exact distance with few exact computations: the same answer as sorting all."""
import random
import uuid

from geopy.distance import geodesic

from domain.geo import Position
from domain.nearest import Place, nearest


def places_around(rng, count, center=(48.85, 2.35), spread=0.3):
    return [Place(uuid.UUID(int=rng.getrandbits(128)),
                  Position(lat=center[0] + rng.uniform(-spread, spread), lng=center[1] + rng.uniform(-spread, spread)),
                  rng.randint(500, 15_000)) for _ in range(count)]


def brute_force(places, here, max_m=float("inf")):
    keyed = [((geodesic((here.lat, here.lng), (p.position.lat, p.position.lng)).meters, p.id), p) for p in places]
    return sorted((k, p) for k, p in keyed if k[0] <= p.radius_m and k[0] <= max_m)


def test_pages_walked_with_cursors_list_exactly_the_covering_places_in_order():
    rng = random.Random(3)
    places = places_around(rng, 300)
    for _ in range(5):
        here = Position(lat=48.85 + rng.uniform(-.2, .2), lng=2.35 + rng.uniform(-.2, .2))
        walked, after, more = [], None, True
        while more:
            page, more = nearest(places, here, 7, after=after)
            walked += [key for key, _ in page]
            after = page[-1][0] if page else None
        assert walked == [key for key, _ in brute_force(places, here)]


def test_the_keep_filter_and_max_distance_apply_before_the_page_is_cut():
    rng = random.Random(5)
    places = places_around(rng, 200)
    here = Position(lat=48.85, lng=2.35)
    even = lambda place, metres: place if place.radius_m % 2 == 0 else None  # noqa: E731
    page, _ = nearest(places, here, 10, max_m=4000, keep=even)
    expected = [k for k, p in brute_force(places, here, max_m=4000) if p.radius_m % 2 == 0][:10]
    assert [key for key, _ in page] == expected


def test_places_at_the_same_distance_are_ordered_by_id_and_none_is_lost_across_pages():
    spot = Position(lat=48.86, lng=2.34)
    twins = [Place(uuid.UUID(int=i), spot, 5000) for i in (9, 3, 7, 1)]
    first, more = nearest(twins, Position(lat=48.85, lng=2.35), 2)
    rest, done = nearest(twins, Position(lat=48.85, lng=2.35), 2, after=first[-1][0])
    assert [k[1].int for k, _ in first + rest] == [1, 3, 7, 9]
    assert more and not done


def test_few_exact_distances_are_computed_for_a_small_page(monkeypatch):
    import domain.nearest as module
    calls = []
    real = module.distance_m
    monkeypatch.setattr(module, "distance_m", lambda a, b: calls.append(1) or real(a, b))
    places = places_around(random.Random(11), 500)
    nearest(places, Position(lat=48.85, lng=2.35), 10)
    assert len(calls) < 100
