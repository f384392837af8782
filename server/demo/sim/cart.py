"""What a customer puts in the cart from a restaurant's menu page: dishes with options, or a menu."""
from __future__ import annotations

import random

MAINS = ("dish",)  # every dish costs more than the minimum basket on its own


def _available(items: list[dict]) -> list[dict]:
    return [item for item in items if item.get("available", True)]


def _options(article: dict, rng: random.Random) -> list[str] | None:
    """Option ids respecting every group's bounds; None when a group cannot be satisfied."""
    picked = []
    for group in article["option_groups"]:
        offered = [o["id"] for o in group["options"] if o.get("available", True)]
        if len(offered) < group["min_choices"]:
            return None
        count = rng.randint(group["min_choices"], min(group["max_choices"], group["min_choices"] + 1, len(offered)))
        picked += rng.sample(offered, count)
    return picked


def _article_line(article: dict, rng: random.Random) -> dict | None:
    options = _options(article, rng)
    if options is None:
        return None
    return {"kind": "article", "item_id": article["id"], "quantity": rng.choice((1, 1, 1, 2)), "option_ids": options}


def _menu_line(menu: dict, rng: random.Random) -> dict | None:
    choices = {}
    for slot in menu["slots"]:
        offered = [c["article_id"] for c in slot["choices"] if c.get("available", True)]
        if len(offered) < slot["min_choices"]:
            return None
        upper = min(slot["max_choices"], len(offered))
        choices[slot["id"]] = rng.sample(offered, rng.randint(slot["min_choices"], upper))
    return {"kind": "menu", "item_id": menu["id"], "quantity": 1, "choices": choices}


def fill_cart(page: dict, rng: random.Random) -> list[dict]:
    """One to three lines: a menu or dishes, sometimes a drink or a dessert on top."""
    articles = [a for c in page["categories"] for a in _available(c["articles"])]
    mains = [a for a in articles if a["category"] in MAINS]
    extras = [a for a in articles if a["category"] in ("drink", "dessert", "starter", "side")]
    lines = []
    menus = _available(page["menus"])
    if menus and rng.random() < 0.4:
        lines.append(_menu_line(rng.choice(menus), rng))
    elif mains:
        for article in rng.sample(mains, min(len(mains), rng.choice((1, 1, 2)))):
            lines.append(_article_line(article, rng))
    if extras and rng.random() < 0.5:
        lines.append(_article_line(rng.choice(extras), rng))
    return [line for line in lines if line is not None]
