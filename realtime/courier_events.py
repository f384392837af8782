"""Couriers' client -> server events: availability, gps, offer.accept, offer.decline."""
from __future__ import annotations

import uuid
from typing import Any

import msgspec

from domain.accounts import Principal
from domain.errors import Forbidden, Invalid
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


def _courier(principal: Principal) -> None:
    if principal.role != Role.courier:
        raise Forbidden("only couriers send this", code="role-not-allowed")


def _decode(payload: Any, kind: type):
    try:
        return msgspec.convert(payload, kind)
    except msgspec.ValidationError as exc:
        field = str(exc).rpartition("$.")[2].rstrip("`") if "$." in str(exc) else "(body)"
        raise Invalid("the event has invalid fields",
                      errors=[{"field": field, "message": str(exc)}]) from None


@on("gps")
async def gps(live: Live, sid: str, principal: Principal, payload: Any) -> dict:
    """A position; refused ones answer with the reason and change nothing but the rate."""
    _courier(principal)
    verdict = await receive_fix(live.ctx, principal.user_id, _decode(payload, GpsFix))
    if not verdict.accepted:
        raise refusal_error(verdict)
    return {}


@on("availability")
async def availability(live: Live, sid: str, principal: Principal, payload: Any) -> dict:
    _courier(principal)
    state = await set_availability(live.ctx, principal, _decode(payload, _Availability).online)
    return {"online": state.online, "free": state.free}


@on("offer.accept")
async def offer_accept(live: Live, sid: str, principal: Principal, payload: Any) -> dict:
    _courier(principal)
    view = await accept(live.ctx, principal, _decode(payload, _OfferAnswer).delivery_id)
    return {"delivery": msgspec.to_builtins(view)}


@on("offer.decline")
async def offer_decline(live: Live, sid: str, principal: Principal, payload: Any) -> dict:
    _courier(principal)
    await decline(live.ctx, principal, _decode(payload, _OfferAnswer).delivery_id)
    return {}
