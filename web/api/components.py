"""/api/v1/components: tech staff publish and remove versions; developers browse and download.

A scoped name goes in one path segment with its slash encoded: `@cesi-eats%2Forder-tracker`.
"""
from __future__ import annotations

from aiohttp import web

from domain.api_keys import Scope
from domain.components import tarball_name
from domain.roles import Role
from server.components import registry
from server.components.downloads import DownloadPage, Downloader, download, list_downloads
from server.components.registry import Component, ComponentVersion
from server.keys import CONTEXT
from web.api.catalogue_paths import PageQuery
from web.auth import principal_of, requires
from web.decode import query_as
from web.platform import caller_key
from web.problem import json_response
from web.spec import endpoint
from web.component_uploads import read_tarball

routes = web.RouteTableDef()
TAGS = ("components",)
READERS = (Role.developer, Role.tech)
READ = Scope.components_read


@routes.post("/api/v1/components")
@endpoint("Publish a component version", tags=TAGS, response=ComponentVersion, status=201,
          errors=(401, 403, 409, 413, 422),
          description="The body is the tarball (`application/gzip`), or a multipart form with the"
                      " file in `tarball` and optionally `name` and `version`, which must match"
                      " its package.json. A gzip'd tar of at most 5 MB, plain files under one top"
                      " folder; a published version is never replaced.")
@requires(Role.tech)
async def publish(request: web.Request) -> web.Response:
    data, said = await read_tarball(request)
    published = await registry.publish(request.app[CONTEXT], principal_of(request).user_id, data,
                                       said.get("name"), said.get("version"))
    return json_response(published, status=201)


@routes.get("/api/v1/components")
@endpoint("Published components", tags=TAGS, response=list[Component], errors=(401, 403))
@requires(*READERS, scope=READ)
async def index(request: web.Request) -> web.Response:
    return json_response(await registry.list_components(request.app[CONTEXT]))


@routes.get("/api/v1/components/{name}")
@endpoint("A component and its versions", tags=TAGS, response=Component, errors=(401, 403, 404))
@requires(*READERS, scope=READ)
async def show(request: web.Request) -> web.Response:
    return json_response(await registry.get_component(request.app[CONTEXT], request.match_info["name"]))


@routes.delete("/api/v1/components/{name}")
@endpoint("Remove every version of a component", tags=TAGS, status=204, errors=(401, 403, 404),
          description="Its version numbers stay taken: npm clients remember them.")
@requires(Role.tech)
async def remove(request: web.Request) -> web.Response:
    await registry.remove(request.app[CONTEXT], request.match_info["name"])
    return web.Response(status=204)


@routes.delete("/api/v1/components/{name}/{version}")
@endpoint("Remove one version of a component", tags=TAGS, status=204, errors=(401, 403, 404))
@requires(Role.tech)
async def remove_version(request: web.Request) -> web.Response:
    await registry.remove(request.app[CONTEXT], request.match_info["name"], request.match_info["version"])
    return web.Response(status=204)


@routes.get("/api/v1/components/{name}/{version}/download")
@endpoint("Download a version's tarball (application/gzip); the download is logged", tags=TAGS,
          errors=(401, 403, 404))
@requires(*READERS, scope=READ)
async def fetch(request: web.Request) -> web.Response:
    tarball = await download(request.app[CONTEXT], request.match_info["name"],
                             request.match_info["version"], downloader(request, "api"))
    filename = tarball_name(tarball.name, tarball.version)
    return web.Response(body=tarball.data, content_type="application/gzip", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "ETag": f'"{tarball.shasum}"'})


@routes.get("/api/v1/admin/component-downloads")
@endpoint("Component downloads, newest first", tags=("admin",), query=PageQuery,
          response=DownloadPage, errors=(401, 403, 422))
@requires(Role.tech)
async def downloads(request: web.Request) -> web.Response:
    query = query_as(request, PageQuery)
    return json_response(await list_downloads(request.app[CONTEXT], query.cursor, min(query.limit, 200)))


def downloader(request: web.Request, via: str) -> Downloader:
    key = caller_key(request)
    return Downloader(user_id=principal_of(request).user_id, api_key_id=key.key_id if key else None,
                      via=via, ip=request.remote, user_agent=request.headers.get("User-Agent"))

