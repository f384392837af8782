"""/api/v1/restaurants: discovery, a restaurant's settings, its customer menu, an owner's list."""
from __future__ import annotations

from aiohttp import web

from domain.restaurants import RestaurantInput, RestaurantPatch
from domain.roles import Role
from server.catalogue import restaurants
from server.catalogue.cached_reads import menu_page_json, nearby_json, restaurant_json
from server.catalogue.nearby import NearbyQuery
from server.catalogue.views import MenuPage, NearbyRestaurant, Page, RestaurantView
from server.keys import CONTEXT
from web.api.catalogue_paths import PageQuery, path_id
from web.auth import principal_of, public, requires
from web.decode import query_as, read_json
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()
TAGS = ("restaurants",)


@routes.get("/api/v1/restaurants")
@endpoint("Restaurants delivering to a position, nearest first", tags=TAGS, query=NearbyQuery,
          response=Page[NearbyRestaurant], errors=(422,),
          description="Only restaurants whose delivery radius covers (lat, lng); q matches words"
                      " of a name, cuisine or dish; cuisine is one tag.")
@public
async def find(request: web.Request) -> web.Response:
    return _json(await nearby_json(request.app[CONTEXT], query_as(request, NearbyQuery)))


@routes.post("/api/v1/restaurants")
@endpoint("Open a restaurant", tags=TAGS, body=RestaurantInput, response=RestaurantView,
          status=201, errors=(401, 403, 422))
@requires(Role.restaurateur)
async def create(request: web.Request) -> web.Response:
    data = await read_json(request, RestaurantInput)
    view = await restaurants.create_restaurant(request.app[CONTEXT], principal_of(request).user_id, data)
    return json_response(view, status=201, headers={"Location": f"/api/v1/restaurants/{view.id}"})


@routes.get("/api/v1/restaurants/mine")
@endpoint("Your restaurants", tags=TAGS, query=PageQuery, response=Page[RestaurantView],
          errors=(401, 403, 422))
@requires(Role.restaurateur)
async def mine(request: web.Request) -> web.Response:
    page = query_as(request, PageQuery)
    return json_response(await restaurants.restaurants_of(
        request.app[CONTEXT], principal_of(request).user_id, page.cursor, page.limit))


@routes.get("/api/v1/restaurants/{id}")
@endpoint("A restaurant", tags=TAGS, response=RestaurantView, errors=(404,))
@public
async def get(request: web.Request) -> web.Response:
    return _json(await restaurant_json(request.app[CONTEXT], path_id(request)))


@routes.patch("/api/v1/restaurants/{id}")
@endpoint("Change your restaurant", tags=TAGS, body=RestaurantPatch, response=RestaurantView,
          errors=(401, 403, 404, 422))
@requires(Role.restaurateur)
async def patch(request: web.Request) -> web.Response:
    restaurant_id = path_id(request)
    data = await read_json(request, RestaurantPatch)
    return json_response(await restaurants.update_restaurant(
        request.app[CONTEXT], principal_of(request).user_id, restaurant_id, data))


@routes.delete("/api/v1/restaurants/{id}")
@endpoint("Close your restaurant for good", tags=TAGS, status=204, errors=(401, 403, 404))
@requires(Role.restaurateur)
async def delete(request: web.Request) -> web.Response:
    await restaurants.delete_restaurant(request.app[CONTEXT], principal_of(request).user_id, path_id(request))
    return web.Response(status=204)


@routes.get("/api/v1/restaurants/{id}/menu")
@endpoint("Everything a customer's restaurant page shows", tags=TAGS, response=MenuPage, errors=(404,))
@public
async def menu(request: web.Request) -> web.Response:
    return _json(await menu_page_json(request.app[CONTEXT], path_id(request)))


def _json(body: bytes) -> web.Response:
    """An answer the catalogue cache encoded already."""
    return web.Response(body=body, content_type="application/json")
