"""What restaurants, articles and menus look like from outside."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Generic, TypeVar

import msgspec

from domain.catalogue import ArticleCategory, OptionGroup
from domain.geo import Position
from domain.hours import WeeklyHours

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    """One page of a list; pass next_cursor back as ?cursor= for the next one (null: the end)."""

    items: list[T]
    next_cursor: str | None = None


class PhotoUrls(msgspec.Struct):
    id: uuid.UUID
    thumb: str
    large: str


def photo_urls(photo_id: uuid.UUID | None) -> PhotoUrls | None:
    if photo_id is None:
        return None
    return PhotoUrls(id=photo_id, thumb=f"/photos/{photo_id}-thumb.webp",
                     large=f"/photos/{photo_id}-large.webp")


class RestaurantView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    description: str
    cuisines: list[str]
    address: str
    position: Position
    hours: WeeklyHours
    closures: list[date]
    timezone: str
    delivery_radius_m: int
    avg_prep_minutes: int
    is_open: bool
    open_now: bool
    next_opening_at: datetime | None
    photo: PhotoUrls | None
    created_at: datetime
    updated_at: datetime


class NearbyRestaurant(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    description: str
    cuisines: list[str]
    address: str
    position: Position
    distance_m: int
    delivery_radius_m: int
    avg_prep_minutes: int
    open_now: bool
    next_opening_at: datetime | None
    photo: PhotoUrls | None


class ArticleView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    category: ArticleCategory
    name: str
    description: str
    price_cents: int
    allergens: list[str]
    option_groups: list[OptionGroup]
    available: bool
    position: int
    photo: PhotoUrls | None


class SlotChoice(msgspec.Struct, kw_only=True):
    article_id: uuid.UUID
    name: str
    available: bool


class SlotView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    min_choices: int
    max_choices: int
    article_ids: list[uuid.UUID]
    choices: list[SlotChoice]


class MenuView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    description: str
    price_cents: int
    slots: list[SlotView]
    available: bool
    position: int


class CategoryView(msgspec.Struct, kw_only=True):
    category: ArticleCategory
    articles: list[ArticleView]


class MenuPage(msgspec.Struct, kw_only=True):
    """Everything a customer's restaurant page shows, in one answer."""

    restaurant: RestaurantView
    categories: list[CategoryView]
    menus: list[MenuView]
    open_now: bool
    next_opening_at: datetime | None
