"""/api/v1/restaurants/{id}/articles and /menus: a restaurant's catalogue."""
from __future__ import annotations

from aiohttp import web

from domain.catalogue_input import ArticleInput, ArticlePatch, MenuInput, MenuPatch
from domain.roles import Role
from server.catalogue import articles, menus
from server.catalogue.views import ArticleView, MenuView, Page
from server.keys import CONTEXT
from web.api.catalogue_paths import PageQuery, path_id
from web.auth import principal_of, public, requires
from web.decode import query_as, read_json
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()
TAGS = ("catalogue",)
ARTICLES = "/api/v1/restaurants/{id}/articles"
MENUS = "/api/v1/restaurants/{id}/menus"


@routes.get(ARTICLES)
@endpoint("A restaurant's articles, sold-out ones included", tags=TAGS, query=PageQuery,
          response=Page[ArticleView], errors=(404, 422))
@public
async def list_articles(request: web.Request) -> web.Response:
    page = query_as(request, PageQuery)
    return json_response(await articles.list_articles(
        request.app[CONTEXT], path_id(request), page.cursor, page.limit))


@routes.post(ARTICLES)
@endpoint("Add an article", tags=TAGS, body=ArticleInput, response=ArticleView, status=201,
          errors=(401, 403, 404, 409, 422))
@requires(Role.restaurateur)
async def create_article(request: web.Request) -> web.Response:
    restaurant_id, data = path_id(request), await read_json(request, ArticleInput)
    view = await articles.create_article(request.app[CONTEXT], principal_of(request).user_id,
                                         restaurant_id, data)
    return json_response(view, status=201)


@routes.patch(ARTICLES + "/{item_id}")
@endpoint("Change an article; {\"available\": false} marks it sold out", tags=TAGS, body=ArticlePatch,
          response=ArticleView, errors=(401, 403, 404, 422))
@requires(Role.restaurateur)
async def patch_article(request: web.Request) -> web.Response:
    ids, data = (path_id(request), path_id(request, "item_id")), await read_json(request, ArticlePatch)
    return json_response(await articles.update_article(
        request.app[CONTEXT], principal_of(request).user_id, *ids, data))


@routes.delete(ARTICLES + "/{item_id}")
@endpoint("Remove an article (refused while a menu offers it)", tags=TAGS, status=204,
          errors=(401, 403, 404, 409))
@requires(Role.restaurateur)
async def delete_article(request: web.Request) -> web.Response:
    await articles.delete_article(request.app[CONTEXT], principal_of(request).user_id,
                                  path_id(request), path_id(request, "item_id"))
    return web.Response(status=204)


@routes.get(MENUS)
@endpoint("A restaurant's menus", tags=TAGS, query=PageQuery, response=Page[MenuView], errors=(404, 422))
@public
async def list_menus(request: web.Request) -> web.Response:
    page = query_as(request, PageQuery)
    return json_response(await menus.list_menus(request.app[CONTEXT], path_id(request), page.cursor, page.limit))


@routes.post(MENUS)
@endpoint("Add a menu made of the restaurant's articles", tags=TAGS, body=MenuInput, response=MenuView,
          status=201, errors=(401, 403, 404, 409, 422))
@requires(Role.restaurateur)
async def create_menu(request: web.Request) -> web.Response:
    restaurant_id, data = path_id(request), await read_json(request, MenuInput)
    view = await menus.create_menu(request.app[CONTEXT], principal_of(request).user_id, restaurant_id, data)
    return json_response(view, status=201)


@routes.patch(MENUS + "/{item_id}")
@endpoint("Change a menu", tags=TAGS, body=MenuPatch, response=MenuView, errors=(401, 403, 404, 422))
@requires(Role.restaurateur)
async def patch_menu(request: web.Request) -> web.Response:
    ids, data = (path_id(request), path_id(request, "item_id")), await read_json(request, MenuPatch)
    return json_response(await menus.update_menu(request.app[CONTEXT], principal_of(request).user_id, *ids, data))


@routes.delete(MENUS + "/{item_id}")
@endpoint("Remove a menu", tags=TAGS, status=204, errors=(401, 403, 404))
@requires(Role.restaurateur)
async def delete_menu(request: web.Request) -> web.Response:
    await menus.delete_menu(request.app[CONTEXT], principal_of(request).user_id,
                            path_id(request), path_id(request, "item_id"))
    return web.Response(status=204)
