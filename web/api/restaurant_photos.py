"""PUT a restaurant's or an article's photo: multipart or the raw picture as the body."""
from __future__ import annotations

from typing import Awaitable, Callable

from aiohttp import web

from domain.errors import Invalid, PayloadTooLarge
from domain.roles import Role
from server.catalogue.images import MAX_BYTES
from server.catalogue.photos import replace_photo
from server.catalogue.views import PhotoUrls
from server.keys import CONTEXT
from web.api.catalogue_paths import path_id
from web.auth import principal_of, requires
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()
TAGS = ("catalogue",)
_MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file
_ABOUT = ("JPEG, PNG or WebP (recognised from the bytes), at most 5 MB; sent as the body"
          " or as the first file of a multipart form. Stored as WebP thumbnails.")


@routes.put("/api/v1/restaurants/{id}/photo")
@endpoint("Replace your restaurant's photo", tags=TAGS, response=PhotoUrls,
          errors=(401, 403, 404, 413, 422), description=_ABOUT)
@requires(Role.restaurateur)
async def restaurant_photo(request: web.Request) -> web.Response:
    restaurant_id = path_id(request)
    data = await read_upload(request)
    return json_response(await replace_photo(
        request.app[CONTEXT], principal_of(request).user_id, restaurant_id, None, data))


@routes.put("/api/v1/restaurants/{id}/articles/{item_id}/photo")
@endpoint("Replace an article's photo", tags=TAGS, response=PhotoUrls,
          errors=(401, 403, 404, 413, 422), description=_ABOUT)
@requires(Role.restaurateur)
async def article_photo(request: web.Request) -> web.Response:
    restaurant_id, article_id = path_id(request), path_id(request, "item_id")
    data = await read_upload(request)
    return json_response(await replace_photo(
        request.app[CONTEXT], principal_of(request).user_id, restaurant_id, article_id, data))


async def read_upload(request: web.Request, limit: int = MAX_BYTES) -> bytes:
    """The uploaded bytes, streamed so that more than `limit` is never held in memory."""
    if (request.content_length or 0) > limit + _MULTIPART_SLACK:
        raise _too_large(limit)
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if part.filename is not None:
                return await _read_limited(part.read_chunk, limit)
        raise Invalid("the form holds no file", errors=[{"field": "photo", "message": "is required"}])
    return await _read_limited(request.content.read, limit)


async def _read_limited(read: Callable[[int], Awaitable[bytes]], limit: int) -> bytes:
    chunks, size = [], 0
    while chunk := await read(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    if not size:
        raise Invalid("the picture is empty", errors=[{"field": "photo", "message": "is required"}])
    return b"".join(chunks)


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"a photo is at most {limit // (1024 * 1024)} MB")
