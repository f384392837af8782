"""Couriers' client -> server events: availability, gps, offer.accept, offer.decline."""
from __future__ import annotations

import uuid

import msgspec

from domain.accounts import Principal
from domain.gps import GpsFix
from domain.roles import Role
from realtime.handlers import on
from realtime.live import Live
from server.couriers.availability import set_availability
from server.couriers.intake import receive_fix, refusal_error
from server.couriers.offers import accept, decline


class _Availability(msgspec.Struct, forbid_unknown_fields=True):
    online: bool


class _OfferAnswer(msgspec.Struct):
    delivery_id: uuid.UUID


COURIERS = (Role.courier,)


@on("gps", payload=GpsFix, roles=COURIERS)
async def gps(live: Live, sid: str, principal: Principal, fix: GpsFix) -> dict:
    """A position; refused ones answer with the reason and change nothing but the rate."""
    verdict = await receive_fix(live.ctx, principal.user_id, fix)
    if not verdict.accepted:
        raise refusal_error(verdict)
    return {}


@on("availability", payload=_Availability, roles=COURIERS)
async def availability(live: Live, sid: str, principal: Principal, ask: _Availability) -> dict:
    state = await set_availability(live.ctx, principal, ask.online)
    return {"online": state.online, "free": state.free}


@on("offer.accept", payload=_OfferAnswer, roles=COURIERS)
async def offer_accept(live: Live, sid: str, principal: Principal, answer: _OfferAnswer) -> dict:
    view = await accept(live.ctx, principal, answer.delivery_id)
    return {"delivery": msgspec.to_builtins(view)}


@on("offer.decline", payload=_OfferAnswer, roles=COURIERS)
async def offer_decline(live: Live, sid: str, principal: Principal, answer: _OfferAnswer) -> dict:
    await decline(live.ctx, principal, answer.delivery_id)
    return {}
