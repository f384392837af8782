"""A cuisine's data turned into the catalogue's own inputs: articles with options, menus with slots."""
from __future__ import annotations

import uuid

from domain.catalogue_input import ArticleInput, MenuInput, MenuSlotInput, OptionGroupInput, OptionInput
from server.demo.places import cuisines


def cuisine(key: str) -> dict:
    return next(c for c in cuisines()["cuisines"] if c["key"] == key)


def _group(raw: dict) -> OptionGroupInput:
    return OptionGroupInput(name=raw["name"], min_choices=raw["min"], max_choices=raw["max"],
                            options=[OptionInput(name=n, price_delta_cents=d) for n, d in raw["options"]])


def articles(key: str) -> list[ArticleInput]:
    """The cuisine's dishes, then the drinks every restaurant sells."""
    data = cuisine(key)
    groups = {**cuisines()["shared_groups"], **data.get("groups", {})}
    found = []
    for raw in [*data["articles"], *cuisines()["shared_drinks"]]:
        found.append(ArticleInput(
            name=raw["name"], description=raw.get("description", ""), category=raw.get("category", "dish"),
            price_cents=raw["price"], allergens=raw.get("allergens", []),
            option_groups=[_group(groups[g]) for g in raw.get("groups", [])]))
    return found


def menus(key: str, article_ids: dict[str, uuid.UUID]) -> list[MenuInput]:
    """The cuisine's menus; each slot offers articles named in the data, found by name."""
    found = []
    for raw in cuisine(key).get("menus", []):
        slots = [MenuSlotInput(name=s["name"], min_choices=s.get("min", 1), max_choices=s.get("max", 1),
                               article_ids=[article_ids[name] for name in s["articles"]])
                 for s in raw["slots"]]
        found.append(MenuInput(name=raw["name"], price_cents=raw["price"], slots=slots))
    return found
