"""What the seed prints: the demo city in a few lines, and where to sign in as each role."""
from __future__ import annotations

from server.demo import city
from server.demo.people import People, people
from server.demo.places import restaurants
from server.demo.seed import SeedResult

ROLES = (("customer", "client", "/restaurants"), ("restaurateur", "restaurant", "/kitchen"),
         ("courier", "livreur", "/courier"), ("developer", "développeur", "/developers"),
         ("sales", "ventes", "/staff/sales"), ("tech", "technique", "/staff/tech"))


def first_of(role: str, everyone: People) -> str:
    return next(a.email for a in everyone.everyone() if a.role == role)


def sign_in_lines(base_url: str, password: str) -> list[str]:
    """One account of every role, the page it lands on, and the one password they share."""
    everyone = people()
    lines = [f"Sign in at {base_url}/login with the password {password!r}:"]
    for role, label, page in ROLES:
        lines.append(f"  {label:<12} {first_of(role, everyone):<34} then {base_url}{page}")
    return lines


def summary_lines(result: SeedResult, base_url: str, password: str) -> list[str]:
    everyone = people()
    lines = [f"Demo city: {city.CITY}, {len(restaurants())} restaurants, {len(everyone.customers)} customers,"
             f" {len(everyone.couriers)} couriers, {len(everyone.developers)} developers, sales and tech staff.",
             f"Created now: {result.accounts} accounts, {result.restaurants} restaurants,"
             f" {result.articles} articles, {result.menus} menus."]
    lines += sign_in_lines(base_url, password)
    for email, key in result.api_keys.items():
        lines.append(f"API key of {email} (shown this once, keep it): {key}")
    return lines
