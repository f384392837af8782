"""The demo city's people: customers, couriers, restaurant owners, developers and staff.

Everything is drawn from a fixed random seed, so the seed and the simulator agree on who
exists without asking each other: the simulator signs in with these e-mail addresses.
"""
from __future__ import annotations

import functools
import random

import msgspec

from server.demo import city

DOMAIN = "demo.cesieats.test"  # .test is reserved: these addresses can never reach anyone
CUSTOMERS, COURIERS, OWNERS, DEVELOPERS = 200, 60, 40, 2
FIRST = ("Léa", "Hugo", "Chloé", "Louis", "Manon", "Gabriel", "Camille", "Jules", "Inès", "Adam",
         "Jade", "Raphaël", "Louise", "Arthur", "Emma", "Nathan", "Sarah", "Lucas", "Zoé", "Mehdi",
         "Alice", "Yanis", "Lina", "Théo", "Nina", "Malik", "Clara", "Tom", "Aïcha", "Paul",
         "Margaux", "Karim", "Anaïs", "Bastien", "Fatou", "Victor", "Elsa", "Rayan", "Julie", "Minh")
LAST = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
        "Vincent", "Fournier", "Morel", "Girard", "Andre", "Mercier", "Dupont", "Lambert", "Bonnet",
        "François", "Martinez", "Benali", "Nguyen", "Diallo", "Rossi", "Chevalier", "Perrin", "Blanc")
# share of each vehicle among couriers, most ride bikes in the city centre
VEHICLES = (("bike", 30), ("scooter", 20), ("car", 6), ("foot", 4))


class Account(msgspec.Struct, kw_only=True):
    role: str
    email: str
    name: str
    phone: str | None = None
    profile: dict = {}


class People(msgspec.Struct):
    customers: list[Account]
    couriers: list[Account]
    owners: list[Account]
    developers: list[Account]
    staff: list[Account]

    def everyone(self) -> list[Account]:
        return [*self.staff, *self.developers, *self.owners, *self.couriers, *self.customers]


def email(local: str) -> str:
    return f"{local}@{DOMAIN}"


def _phone(n: int) -> str:
    return f"06 39 98 {n // 100 % 100:02d} {n % 100:02d}"  # ARCEP keeps 06 39 98 for fiction


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _addresses(rng: random.Random) -> list[dict]:
    home = rng.choices(city.DISTRICTS, weights=[d.weight + 1 for d in city.DISTRICTS])[0]
    places = [("Maison", home)]
    if rng.random() < 0.4:
        places.append(("Travail", rng.choice(city.DISTRICTS)))
    found = []
    for label, district in places:
        address, lat, lng = city.address_in(rng, district, spread_m=300)
        found.append({"label": label, "address": address, "lat": lat, "lng": lng})
    return found


def _customers(rng: random.Random) -> list[Account]:
    return [Account(role="customer", email=email(f"client{i:03d}"), name=_name(rng), phone=_phone(i),
                    profile={"addresses": _addresses(rng)}) for i in range(1, CUSTOMERS + 1)]


def _couriers(rng: random.Random) -> list[Account]:
    kinds = [kind for kind, share in VEHICLES for _ in range(share)]
    rng.shuffle(kinds)
    return [Account(role="courier", email=email(f"livreur{i:02d}"), name=_name(rng), phone=_phone(1000 + i),
                    profile={"vehicle": kinds[(i - 1) % len(kinds)]}) for i in range(1, COURIERS + 1)]


@functools.cache
def people() -> People:
    """The same people every time."""
    rng = random.Random(69)
    owners = [Account(role="restaurateur", email=email(f"resto{i:02d}"), name=_name(rng),
                      phone=_phone(2000 + i)) for i in range(1, OWNERS + 1)]
    developers = [Account(role="developer", email=email(f"dev{i}"), name=_name(rng))
                  for i in range(1, DEVELOPERS + 1)]
    staff = [Account(role="sales", email=email("ventes"), name="Service commercial"),
             Account(role="tech", email=email("technique"), name="Équipe technique")]
    return People(customers=_customers(rng), couriers=_couriers(rng), owners=owners,
                  developers=developers, staff=staff)
