"""/api/v1/courier/...: going online, the REST fallback for positions, earnings, the offer."""
from __future__ import annotations

import msgspec
from aiohttp import web

from domain.errors import NotFound
from domain.gps import GpsFix
from domain.roles import Role
from server.couriers.availability import availability, set_availability
from server.couriers.intake import receive_fix, refusal_error
from server.couriers.offers import current_offer
from server.couriers.reading import earnings
from server.couriers.views import Availability, Earnings, Offer
from server.keys import CONTEXT
from web.auth import principal_of, requires
from web.decode import read_json
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()
TAGS = ("couriers",)


class AvailabilityInput(msgspec.Struct, forbid_unknown_fields=True):
    online: bool


class FixAnswer(msgspec.Struct):
    accepted: bool


@routes.get("/api/v1/courier/availability")
@endpoint("Whether you are online and free for offers", tags=TAGS, response=Availability, errors=(401, 403))
@requires(Role.courier)
async def get_availability(request: web.Request) -> web.Response:
    return json_response(await availability(request.app[CONTEXT], principal_of(request)))


@routes.put("/api/v1/courier/availability")
@endpoint("Go online or offline", tags=TAGS, body=AvailabilityInput, response=Availability,
          errors=(401, 403, 409, 422),
          description="Online couriers receive offers once their first position has arrived."
                      " 409 when going offline with a delivery in hand. Also the socket event"
                      " `availability {online}`.")
@requires(Role.courier)
async def put_availability(request: web.Request) -> web.Response:
    data = await read_json(request, AvailabilityInput)
    return json_response(await set_availability(request.app[CONTEXT], principal_of(request), data.online))


@routes.post("/api/v1/courier/location")
@endpoint("Send your position (when the socket is not available)", tags=TAGS, body=GpsFix,
          response=FixAnswer, errors=(401, 403, 409, 422, 429),
          description="The same checks as the socket event `gps`: coordinates in range, a sane"
                      " timestamp (Unix ms), a possible speed and at most a few per second.")
@requires(Role.courier)
async def post_location(request: web.Request) -> web.Response:
    fix = await read_json(request, GpsFix)
    verdict = await receive_fix(request.app[CONTEXT], principal_of(request).user_id, fix)
    if not verdict.accepted:
        raise refusal_error(verdict)
    return json_response(FixAnswer(accepted=True))


@routes.get("/api/v1/courier/earnings")
@endpoint("Your earnings: per delivery, totals per day and per week", tags=TAGS, response=Earnings,
          errors=(401, 403))
@requires(Role.courier)
async def get_earnings(request: web.Request) -> web.Response:
    return json_response(await earnings(request.app[CONTEXT], principal_of(request).user_id))


@routes.get("/api/v1/courier/offer")
@endpoint("The delivery offered to you now, if any", tags=TAGS, response=Offer, errors=(401, 403, 404),
          description="Offers arrive live as `delivery.offer`; this is for a reconnecting app.")
@requires(Role.courier)
async def get_offer(request: web.Request) -> web.Response:
    offer = await current_offer(request.app[CONTEXT], principal_of(request))
    if offer is None:
        raise NotFound("no offer for you right now", code="no-offer")
    return json_response(offer)
