"""GET /photos/<id>-<size>.webp: processed photos, cached for good (a new upload is a new id)."""
from __future__ import annotations

import uuid

from aiohttp import web

from domain.errors import NotFound
from server.catalogue.photos import photo_dir, photo_path
from server.keys import CONTEXT

routes = web.RouteTableDef()
CACHE = "public, max-age=31536000, immutable"


@routes.get(r"/photos/{id:[0-9a-f-]{36}}-{size:thumb|large}.webp")
async def photo(request: web.Request) -> web.StreamResponse:
    try:
        photo_id = uuid.UUID(request.match_info["id"])
    except ValueError:
        raise NotFound("no such photo") from None
    path = photo_path(photo_dir(request.app[CONTEXT]), photo_id, request.match_info["size"])
    if not path.is_file():
        raise NotFound("no such photo")
    # FileResponse adds ETag and Last-Modified and answers If-None-Match with 304
    return web.FileResponse(path, headers={"Cache-Control": CACHE, "Content-Type": "image/webp",
                                           "X-Content-Type-Options": "nosniff"})
