"""Demo restaurants, articles and menus made through the catalogue's own use cases."""
from __future__ import annotations

import asyncio
import uuid

import msgspec

from domain.geo import Position
from domain.hours import WeeklyHours
from domain.restaurants import RestaurantInput
from server.catalogue.articles import create_article
from server.catalogue.menus import create_menu
from server.catalogue.restaurants import create_restaurant
from server.context import Context
from server.demo import menus
from server.demo.places import RestaurantSpec

CONCURRENCY = 6


class Made(msgspec.Struct):
    restaurants: int = 0
    articles: int = 0
    menus: int = 0


def restaurant_input(spec: RestaurantSpec) -> RestaurantInput:
    return RestaurantInput(
        name=spec.name, description=spec.description, cuisines=spec.tags, address=spec.address,
        position=Position(lat=spec.lat, lng=spec.lng), hours=msgspec.convert({"days": spec.hours}, WeeklyHours),
        delivery_radius_m=spec.delivery_radius_m, avg_prep_minutes=spec.avg_prep_minutes, is_open=spec.is_open)


async def ensure_restaurants(ctx: Context, specs: list[RestaurantSpec], owners: dict[str, uuid.UUID]) -> Made:
    """Each restaurant found by its owner and name, or opened; then its missing articles and menus."""
    rows = await ctx.db.fetch("SELECT id, owner_id, name FROM restaurants WHERE owner_id = ANY($1::uuid[])"
                              " AND deleted_at IS NULL", list(owners.values()))
    existing = {(row["owner_id"], row["name"]): row["id"] for row in rows}
    made, gate = Made(), asyncio.Semaphore(CONCURRENCY)

    async def one(spec: RestaurantSpec) -> None:
        async with gate:
            owner_id = owners[spec.owner_email]
            restaurant_id = existing.get((owner_id, spec.name))
            if restaurant_id is None:
                restaurant_id = (await create_restaurant(ctx, owner_id, restaurant_input(spec))).id
                made.restaurants += 1
            await _fill_menu(ctx, spec, owner_id, restaurant_id, made)

    await asyncio.gather(*(one(spec) for spec in specs))
    return made


async def _names(ctx: Context, table: str, restaurant_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = await ctx.db.fetch(f"SELECT id, name FROM {table} WHERE restaurant_id = $1 AND deleted_at IS NULL",
                              restaurant_id)
    return {row["name"]: row["id"] for row in rows}


async def _fill_menu(ctx: Context, spec: RestaurantSpec, owner_id: uuid.UUID, restaurant_id: uuid.UUID,
                     made: Made) -> None:
    """Articles first (in the data's order, which is the menu's order), then menus naming them."""
    articles = await _names(ctx, "articles", restaurant_id)
    for data in menus.articles(spec.cuisine):
        if data.name not in articles:
            articles[data.name] = (await create_article(ctx, owner_id, restaurant_id, data)).id
            made.articles += 1
    offered = await _names(ctx, "menus", restaurant_id)
    for data in menus.menus(spec.cuisine, articles):
        if data.name not in offered:
            await create_menu(ctx, owner_id, restaurant_id, data)
            made.menus += 1
