"""Photo use cases: a restaurant's or an article's picture replaced by a new upload."""
from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

from domain.errors import NotFound
from server.catalogue import item_queries as items
from server.catalogue import queries
from server.catalogue.images import SIZES, Processed, process
from server.catalogue.ownership import locked_restaurant
from server.catalogue.versions import changed
from server.catalogue.views import PhotoUrls, photo_urls
from server.context import Context


def photo_dir(ctx: Context) -> Path:
    return ctx.settings.data_dir / "photos"


def photo_path(folder: Path, photo_id: uuid.UUID, size: str) -> Path:
    return folder / f"{photo_id}-{size}.webp"


async def replace_photo(ctx: Context, owner_id: uuid.UUID, restaurant_id: uuid.UUID,
                        article_id: uuid.UUID | None, data: bytes) -> PhotoUrls:
    """Store the upload as the restaurant's photo, or the article's when article_id is given."""
    async with ctx.db.acquire() as conn:  # refuse strangers before spending CPU on their bytes
        await _target(conn, owner_id, restaurant_id, article_id)
    processed = await asyncio.to_thread(process, data)
    photo_id = uuid.uuid4()
    folder = photo_dir(ctx)
    await asyncio.to_thread(_write, folder, photo_id, processed)
    try:
        old = await _attach(ctx, owner_id, restaurant_id, article_id, photo_id, processed, len(data))
    except BaseException:
        await asyncio.to_thread(_remove, folder, photo_id)
        raise
    await changed(ctx, restaurant_id, discovery=article_id is None)  # searches show the restaurant's
    if old is not None:
        await asyncio.to_thread(_remove, folder, old)
    return photo_urls(photo_id)


async def _attach(ctx: Context, owner_id, restaurant_id, article_id, photo_id: uuid.UUID,
                  processed: Processed, size: int) -> uuid.UUID | None:
    """Point the row at the new photo; returns the photo it replaced."""
    async with ctx.db.acquire() as conn, conn.transaction():
        old = await _target(conn, owner_id, restaurant_id, article_id)
        await queries.insert_photo(conn, photo_id, restaurant_id, owner_id,
                                   processed.width, processed.height, size)
        if article_id is None:
            await queries.set_restaurant_photo(conn, restaurant_id, photo_id)
        else:
            await items.set_article_photo(conn, article_id, photo_id)
        if old is not None:
            await queries.delete_photo(conn, old)
    return old


async def _target(conn, owner_id, restaurant_id, article_id) -> uuid.UUID | None:
    """Check ownership and return the current photo id of the restaurant or article."""
    restaurant = await locked_restaurant(conn, restaurant_id, owner_id)
    if article_id is None:
        return restaurant["photo_id"]
    article = await items.article_by_id(conn, restaurant_id, article_id, lock=True)
    if article is None:
        raise NotFound("no such article")
    return article["photo_id"]


def _write(folder: Path, photo_id: uuid.UUID, processed: Processed) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for size, content in processed.files.items():
        final = photo_path(folder, photo_id, size)
        partial = final.with_suffix(".part")
        partial.write_bytes(content)
        os.replace(partial, final)  # a reader never sees half a file


def _remove(folder: Path, photo_id: uuid.UUID) -> None:
    for size in SIZES:
        photo_path(folder, photo_id, size).unlink(missing_ok=True)
