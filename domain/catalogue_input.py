"""What clients send to create or change articles and menus, decoded straight by the edges."""
from __future__ import annotations

import uuid
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from domain.catalogue import (
    Article, ArticleCategory, Menu, MenuSlot, Option, OptionGroup, validate_article, validate_menu,
)

Name = Annotated[str, Meta(min_length=1, max_length=120, description="trimmed, 1 to 120 characters")]
Description = Annotated[str, Meta(max_length=2000)]
Cents = Annotated[int, Meta(ge=0, le=1_000_000, description="integer cents")]
MinChoices = Annotated[int, Meta(ge=0, le=100)]
MaxChoices = Annotated[int, Meta(ge=1, le=100)]
Allergen = Annotated[str, Meta(min_length=1, max_length=60)]


class OptionInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An option; give its id to keep it across edits, omit it for a new option."""

    id: UUID | None = None
    name: Name
    price_delta_cents: Cents = 0
    available: bool = True


class OptionGroupInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    name: Name
    min_choices: MinChoices = 0
    max_choices: MaxChoices = 1
    options: Annotated[list[OptionInput], Meta(min_length=1, max_length=50)]


class ArticleInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    description: Description = ""
    category: ArticleCategory = ArticleCategory.dish
    price_cents: Cents
    allergens: Annotated[list[Allergen], Meta(max_length=20)] = []
    option_groups: Annotated[list[OptionGroupInput], Meta(max_length=20)] = []
    available: bool = True


class ArticlePatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: only the fields sent are changed; option_groups replaces them all."""

    name: Name | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    category: ArticleCategory | UnsetType = UNSET
    price_cents: Cents | UnsetType = UNSET
    allergens: Annotated[list[Allergen], Meta(max_length=20)] | UnsetType = UNSET
    option_groups: Annotated[list[OptionGroupInput], Meta(max_length=20)] | UnsetType = UNSET
    available: bool | UnsetType = UNSET


class MenuSlotInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    name: Name
    min_choices: MinChoices = 1
    max_choices: MaxChoices = 1
    article_ids: Annotated[list[UUID], Meta(min_length=1, max_length=100)]


class MenuInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    description: Description = ""
    price_cents: Cents
    slots: Annotated[list[MenuSlotInput], Meta(min_length=1, max_length=10)]
    available: bool = True


class MenuPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: only the fields sent are changed; slots replaces them all."""

    name: Name | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    price_cents: Cents | UnsetType = UNSET
    slots: Annotated[list[MenuSlotInput], Meta(min_length=1, max_length=10)] | UnsetType = UNSET
    available: bool | UnsetType = UNSET


def article_from_input(data: ArticleInput, article_id: UUID) -> Article:
    """Build and validate a new article; options without an id get a fresh one."""
    fields = _sent(data)
    fields["option_groups"] = [_group(g) for g in data.option_groups]
    return validate_article(Article(id=article_id, **fields))


def patch_article(article: Article, patch: ArticlePatch) -> Article:
    """Return the article with the sent fields changed, validated."""
    fields = _sent(patch)
    if "option_groups" in fields:
        fields["option_groups"] = [_group(g) for g in patch.option_groups]
    return validate_article(msgspec.structs.replace(article, **fields))


def menu_from_input(data: MenuInput, menu_id: UUID, articles_by_id: dict[UUID, Article]) -> Menu:
    """Build and validate a new menu whose slots may only hold the given articles."""
    fields = _sent(data)
    fields["slots"] = [_slot(s) for s in data.slots]
    return validate_menu(Menu(id=menu_id, **fields), articles_by_id)


def patch_menu(menu: Menu, patch: MenuPatch, articles_by_id: dict[UUID, Article]) -> Menu:
    """Return the menu with the sent fields changed, validated."""
    fields = _sent(patch)
    if "slots" in fields:
        fields["slots"] = [_slot(s) for s in patch.slots]
    return validate_menu(msgspec.structs.replace(menu, **fields), articles_by_id)


def _sent(data: msgspec.Struct) -> dict:
    values = {name: getattr(data, name) for name in data.__struct_fields__}
    return {name: value for name, value in values.items() if value is not UNSET}


def _group(data: OptionGroupInput) -> OptionGroup:
    options = [
        Option(id=o.id or uuid.uuid4(), name=o.name, price_delta_cents=o.price_delta_cents, available=o.available)
        for o in data.options
    ]
    return OptionGroup(
        id=data.id or uuid.uuid4(), name=data.name,
        min_choices=data.min_choices, max_choices=data.max_choices, options=options,
    )


def _slot(data: MenuSlotInput) -> MenuSlot:
    return MenuSlot(
        id=data.id or uuid.uuid4(), name=data.name, min_choices=data.min_choices,
        max_choices=data.max_choices, article_ids=list(data.article_ids),
    )
