"""The demo city's restaurants: where they are, who owns them, what they cook, when they open."""
from __future__ import annotations

import functools
import json
import random
from pathlib import Path

import msgspec

from server.demo import city
from server.demo.people import OWNERS, people

DATA = Path(__file__).parent / "data"
DAYS = 7


def _every_day(*ranges: tuple[str, str], closed_on: tuple[int, ...] = ()) -> list[list[dict]]:
    return [[] if day in closed_on else [{"open": o, "close": c} for o, c in ranges] for day in range(DAYS)]


# Hours kinds, and how many restaurants keep each: most are open from late morning to late
# night, the all-night kitchens at any hour, a few only for the two services.
HOURS: dict[str, tuple[int, list[list[dict]]]] = {
    "all-night": (14, _every_day(("00:00", "00:00"))),            # a whole day: 24 hours
    "late": (12, _every_day(("11:30", "02:00"))),                 # past midnight
    "all-day": (10, _every_day(("11:00", "23:30"))),
    "services": (4, _every_day(("11:30", "14:30"), ("18:30", "22:30"), closed_on=(6,))),
    "evenings": (3, _every_day(("18:00", "01:00"), closed_on=(0,))),  # closed on Mondays
    "switched-off": (2, _every_day(("11:00", "23:00"))),          # the owner closed for now
}


class RestaurantSpec(msgspec.Struct, kw_only=True):
    owner_email: str
    name: str
    cuisine: str
    tags: list[str]
    description: str
    district: str
    address: str
    lat: float
    lng: float
    hours_kind: str
    hours: list[list[dict]]
    is_open: bool
    delivery_radius_m: int
    avg_prep_minutes: int


@functools.cache
def cuisines() -> dict:
    """Menus, options and slots of each cuisine (data/cuisines.json)."""
    return json.loads((DATA / "cuisines.json").read_text(encoding="utf-8"))


@functools.cache
def restaurants() -> list[RestaurantSpec]:
    """The same restaurants every time; owners 1 to 5 keep two each."""
    rng = random.Random(4269)
    kinds = [kind for kind, (count, _) in HOURS.items() for _ in range(count)]
    rng.shuffle(kinds)
    owners = people().owners
    found = []
    pairs = [(c, name) for c in cuisines()["cuisines"] for name in c["names"]]
    for index, (cuisine, name) in enumerate(pairs):
        district = rng.choices(city.DISTRICTS, weights=[d.weight for d in city.DISTRICTS])[0]
        address, lat, lng = city.address_in(rng, district)
        kind = kinds[index % len(kinds)]
        found.append(RestaurantSpec(
            owner_email=owners[index % OWNERS].email, name=name, cuisine=cuisine["key"],
            tags=cuisine["tags"], description=cuisine["description"], district=district.name,
            address=address, lat=lat, lng=lng, hours_kind=kind, hours=HOURS[kind][1],
            is_open=kind != "switched-off", delivery_radius_m=rng.choice((3000, 4000, 5000, 6000)),
            avg_prep_minutes=max(5, cuisine["prep"] + rng.randint(-3, 5))))
    return found
