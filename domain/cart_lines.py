"""Cart lines checked against the catalogue and priced one by one, names snapshotted."""
from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from domain.catalogue import Article, Menu, MenuSlot, Option, OptionGroup
from domain.checks import Problems

MAX_QUANTITY = 50
_A = {"article": "an article", "menu": "a menu"}


class CartLine(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One line of a cart; `choices` maps a menu slot id to the article ids picked for it."""

    kind: Literal["article", "menu"]
    item_id: UUID
    quantity: Annotated[int, Meta(ge=1, le=MAX_QUANTITY)] = 1
    option_ids: list[UUID] = []
    choices: dict[str, list[UUID]] = {}


class PricedOption(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    price_delta_cents: int


class PricedChoice(msgspec.Struct, kw_only=True):
    """An article picked for a menu slot, with both names as they were when ordered."""

    slot_id: UUID
    slot_name: str
    article_id: UUID
    name: str


class PricedLine(msgspec.Struct, kw_only=True):
    """A cart line with names and prices snapshotted, so later catalogue edits never change it."""

    kind: Literal["article", "menu"]
    item_id: UUID
    name: str
    quantity: int
    unit_price_cents: int
    options: list[PricedOption] = []
    choices: list[PricedChoice] = []
    total_cents: int


def price_line(
    line: CartLine, prefix: str, articles: dict[UUID, Article], menus: dict[UUID, Menu], problems: Problems
) -> PricedLine | None:
    """Price one line, or record its problems under `prefix` (e.g. "lines.2") and return None."""
    if not 1 <= line.quantity <= MAX_QUANTITY:
        problems.add(f"{prefix}.quantity", f"must be 1 to {MAX_QUANTITY}")
    item = (articles if line.kind == "article" else menus).get(line.item_id)
    if item is None:
        problems.add(f"{prefix}.item_id", f"is not {_A[line.kind]} of this restaurant")
        return None
    if not item.available:
        problems.add(f"{prefix}.item_id", f'"{item.name}" is not available')
        return None
    if isinstance(item, Article):
        return _article_line(line, item, prefix, problems)
    return _menu_line(line, item, prefix, articles, problems)


def _article_line(line: CartLine, article: Article, prefix: str, problems: Problems) -> PricedLine:
    if line.choices:
        problems.add(f"{prefix}.choices", "only menus take choices")
    options = _picked_options(article, line.option_ids, f"{prefix}.option_ids", problems)
    unit = article.price_cents + sum(o.price_delta_cents for o in options)
    return PricedLine(
        kind="article", item_id=article.id, name=article.name, quantity=line.quantity, unit_price_cents=unit,
        options=[PricedOption(id=o.id, name=o.name, price_delta_cents=o.price_delta_cents) for o in options],
        total_cents=unit * line.quantity,
    )


def _picked_options(article: Article, option_ids: list[UUID], field: str, problems: Problems) -> list[Option]:
    """The options picked, each known and available, each group's count within its bounds."""
    found: dict[UUID, tuple[OptionGroup, Option]] = {o.id: (g, o) for g in article.option_groups for o in g.options}
    before = len(problems.errors)
    if len(set(option_ids)) != len(option_ids):
        problems.add(field, "an option is picked twice")
    for option_id in option_ids:
        if option_id not in found:
            problems.add(field, f"{option_id} is not an option of this article")
        elif not found[option_id][1].available:
            problems.add(field, f'"{found[option_id][1].name}" is not available')
    if len(problems.errors) > before:
        return []
    for group in article.option_groups:
        count = sum(1 for option_id in option_ids if found[option_id][0].id == group.id)
        if not group.min_choices <= count <= group.max_choices:
            problems.add(field, f'pick {group.min_choices} to {group.max_choices} of "{group.name}"')
    return [found[option_id][1] for option_id in option_ids]


def _menu_line(
    line: CartLine, menu: Menu, prefix: str, articles: dict[UUID, Article], problems: Problems
) -> PricedLine:
    if line.option_ids:
        problems.add(f"{prefix}.option_ids", "menus take no options")
    picked = _choices_by_slot(line.choices, menu, f"{prefix}.choices", problems)
    choices: list[PricedChoice] = []
    for slot in menu.slots:
        field = f"{prefix}.choices.{slot.id}"
        choices += _slot_choices(slot, picked.get(slot.id, []), field, articles, problems)
    return PricedLine(
        kind="menu", item_id=menu.id, name=menu.name, quantity=line.quantity, unit_price_cents=menu.price_cents,
        choices=choices, total_cents=menu.price_cents * line.quantity,
    )


def _choices_by_slot(choices: dict[str, list[UUID]], menu: Menu, field: str, problems: Problems) -> dict:
    """The choices keyed by slot UUID; keys that name no slot of the menu are recorded."""
    slot_ids = {slot.id for slot in menu.slots}
    picked: dict[UUID, list[UUID]] = {}
    for key, article_ids in choices.items():
        try:
            slot_id = UUID(key)
        except ValueError:
            slot_id = None
        if slot_id not in slot_ids:
            problems.add(field, f"{key} is not a slot of this menu")
        else:
            picked[slot_id] = article_ids
    return picked


def _slot_choices(
    slot: MenuSlot, article_ids: list[UUID], field: str, articles: dict[UUID, Article], problems: Problems
) -> list[PricedChoice]:
    if not slot.min_choices <= len(article_ids) <= slot.max_choices:
        problems.add(field, f'pick {slot.min_choices} to {slot.max_choices} for "{slot.name}"')
    if len(set(article_ids)) != len(article_ids):
        problems.add(field, "an article is picked twice")
    picked = []
    for article_id in article_ids:
        article = articles.get(article_id)
        if article_id not in slot.article_ids or article is None:
            problems.add(field, f'{article_id} is not offered for "{slot.name}"')
        elif not article.available:
            problems.add(field, f'"{article.name}" is not available')
        else:
            picked.append(PricedChoice(slot_id=slot.id, slot_name=slot.name, article_id=article.id, name=article.name))
    return picked
