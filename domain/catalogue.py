"""A restaurant's catalogue: articles with option groups, and menus made of slots."""
from __future__ import annotations

import enum
from uuid import UUID

import msgspec

from domain.checks import Problems, check_cents, check_choice_bounds, clean_name

MAX_GROUPS = 20
MAX_OPTIONS = 50
MAX_SLOTS = 10
MAX_SLOT_ARTICLES = 100
MAX_ALLERGENS = 20


class ArticleCategory(enum.StrEnum):
    starter = "starter"
    dish = "dish"
    side = "side"
    sauce = "sauce"
    drink = "drink"
    dessert = "dessert"
    other = "other"


class Option(msgspec.Struct, kw_only=True):
    """One choice of a group, e.g. "Extra cheese", adding its delta to the article price."""

    id: UUID
    name: str
    price_delta_cents: int = 0
    available: bool = True


class OptionGroup(msgspec.Struct, kw_only=True):
    """Options the customer picks between min_choices and max_choices of."""

    id: UUID
    name: str
    min_choices: int = 0
    max_choices: int = 1
    options: list[Option] = []


class Article(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    description: str = ""
    category: ArticleCategory = ArticleCategory.dish
    price_cents: int
    allergens: list[str] = []
    option_groups: list[OptionGroup] = []
    available: bool = True


class MenuSlot(msgspec.Struct, kw_only=True):
    """A place in a menu (e.g. "Drink") filled with articles chosen from article_ids."""

    id: UUID
    name: str
    min_choices: int = 1
    max_choices: int = 1
    article_ids: list[UUID] = []


class Menu(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    description: str = ""
    price_cents: int
    slots: list[MenuSlot] = []
    available: bool = True


def validate_article(article: Article) -> Article:
    """Return the article with names trimmed, or raise Invalid naming every bad field."""
    problems = Problems()
    name = clean_name(article.name, "name", problems)
    _check_description(article.description, problems)
    check_cents(article.price_cents, "price_cents", problems)
    allergens = _clean_allergens(article.allergens, problems)
    if len(article.option_groups) > MAX_GROUPS:
        problems.add("option_groups", f"at most {MAX_GROUPS} groups")
    groups = [_clean_group(g, f"option_groups.{i}", problems) for i, g in enumerate(article.option_groups)]
    _check_unique([g.name.casefold() for g in groups], "option_groups.{}.name", problems)
    _check_unique([g.id for g in groups], "option_groups.{}.id", problems)
    if _first_repeat([o.id for g in groups for o in g.options]) is not None:
        problems.add("option_groups", "option ids must be unique within the article")
    problems.raise_if_any("The article is invalid")
    return msgspec.structs.replace(article, name=name, allergens=allergens, option_groups=groups)


def validate_menu(menu: Menu, articles_by_id: dict[UUID, Article]) -> Menu:
    """Return the menu with names trimmed, or raise Invalid; slots may only hold known articles."""
    problems = Problems()
    name = clean_name(menu.name, "name", problems)
    _check_description(menu.description, problems)
    check_cents(menu.price_cents, "price_cents", problems)
    if not 1 <= len(menu.slots) <= MAX_SLOTS:
        problems.add("slots", f"must hold 1 to {MAX_SLOTS} slots")
    slots = [_clean_slot(s, f"slots.{i}", articles_by_id, problems) for i, s in enumerate(menu.slots)]
    _check_unique([s.name.casefold() for s in slots], "slots.{}.name", problems)
    _check_unique([s.id for s in slots], "slots.{}.id", problems)
    problems.raise_if_any("The menu is invalid")
    return msgspec.structs.replace(menu, name=name, slots=slots)


def _check_description(description: str, problems: Problems) -> None:
    if len(description) > 2000:
        problems.add("description", "must be at most 2000 characters")


def _clean_allergens(allergens: list[str], problems: Problems) -> list[str]:
    if len(allergens) > MAX_ALLERGENS:
        problems.add("allergens", f"at most {MAX_ALLERGENS} allergens")
    cleaned = [clean_name(a, f"allergens.{i}", problems, max_length=60) for i, a in enumerate(allergens)]
    return list(dict.fromkeys(cleaned))  # duplicates are harmless, so drop them quietly


def _clean_group(group: OptionGroup, prefix: str, problems: Problems) -> OptionGroup:
    name = clean_name(group.name, f"{prefix}.name", problems)
    if not 1 <= len(group.options) <= MAX_OPTIONS:
        problems.add(f"{prefix}.options", f"must hold 1 to {MAX_OPTIONS} options")
    check_choice_bounds(group.min_choices, group.max_choices, len(group.options), prefix, problems)
    options = []
    for i, option in enumerate(group.options):
        option_name = clean_name(option.name, f"{prefix}.options.{i}.name", problems)
        check_cents(option.price_delta_cents, f"{prefix}.options.{i}.price_delta_cents", problems)
        options.append(msgspec.structs.replace(option, name=option_name))
    _check_unique([o.name.casefold() for o in options], prefix + ".options.{}.name", problems)
    return msgspec.structs.replace(group, name=name, options=options)


def _clean_slot(slot: MenuSlot, prefix: str, articles: dict[UUID, Article], problems: Problems) -> MenuSlot:
    name = clean_name(slot.name, f"{prefix}.name", problems)
    if not 1 <= len(slot.article_ids) <= MAX_SLOT_ARTICLES:
        problems.add(f"{prefix}.article_ids", f"must hold 1 to {MAX_SLOT_ARTICLES} articles")
    check_choice_bounds(slot.min_choices, slot.max_choices, len(slot.article_ids), prefix, problems)
    for i, article_id in enumerate(slot.article_ids):
        if article_id not in articles:
            problems.add(f"{prefix}.article_ids.{i}", "is not an article of this restaurant")
    _check_unique(slot.article_ids, prefix + ".article_ids.{}", problems)
    return msgspec.structs.replace(slot, name=name)


def _check_unique(values: list, field: str, problems: Problems) -> None:
    """Record a problem on the first repeated value; `field` has a {} for its index."""
    index = _first_repeat(values)
    if index is not None:
        problems.add(field.format(index), "is repeated")


def _first_repeat(values: list) -> int | None:
    seen: set = set()
    for i, value in enumerate(values):
        if value in seen:
            return i
        seen.add(value)
    return None
