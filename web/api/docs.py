"""/api/v1/openapi.json (the contract, generated) and /api/docs (a page that reads it)."""
from __future__ import annotations

import aiohttp_jinja2
import msgspec
from aiohttp import web

from web.auth import public
from web.openapi import build_document
from web.spec import endpoint

routes = web.RouteTableDef()
# filled on first request: the routes are fixed once the app runs
DOCUMENT = web.AppKey("openapi_document", dict)


@routes.get("/api/v1/openapi.json")
@endpoint("This API's OpenAPI 3.1 document", tags=("meta",), response=dict)
@public
async def openapi_document(request: web.Request) -> web.Response:
    cache = request.app[DOCUMENT]
    if "body" not in cache:
        cache["body"] = msgspec.json.encode(build_document(request.app))
    return web.Response(body=cache["body"], content_type="application/json",
                        headers={"Cache-Control": "public, max-age=300"})


@routes.get("/api/docs")
@aiohttp_jinja2.template("api_docs.html")
async def docs_page(request: web.Request) -> dict:
    return {}
