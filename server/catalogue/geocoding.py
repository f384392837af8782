"""Address to position through the geopy geocoder named by the GEOCODER setting, if any."""
from __future__ import annotations

import asyncio
import logging

from geopy.exc import GeopyError
from geopy.geocoders import get_geocoder_for_service

from domain.errors import Invalid
from domain.geo import Position
from server.context import Context

log = logging.getLogger(__name__)
TIMEOUT_S = 5.0
USER_AGENT = "cesi-eats"
_GEOCODER = "geocoder"


def _refuse(message: str, detail: str) -> Invalid:
    return Invalid(detail, errors=[{"field": "position", "message": message}])


async def locate(ctx: Context, address: str) -> Position:
    """The position of an address, or Invalid asking for coordinates when it cannot be found."""
    name = ctx.settings.geocoder
    if not address:
        raise _refuse("is required", "give the position {lat, lng} or an address")
    if not name:
        raise _refuse("is required: no geocoder is configured to find it from the address",
                      "give the position {lat, lng} of the address")
    geocoder = ctx.extras.get(_GEOCODER)
    if geocoder is None:
        geocoder = ctx.extras[_GEOCODER] = get_geocoder_for_service(name)(user_agent=USER_AGENT)
    try:
        found = await asyncio.wait_for(
            asyncio.to_thread(geocoder.geocode, address, timeout=TIMEOUT_S), TIMEOUT_S + 1)
    except (asyncio.TimeoutError, GeopyError, OSError) as exc:
        log.warning("geocoding failed: %s", type(exc).__name__)
        raise _refuse("could not be found from the address right now",
                      "the address could not be located; give the position {lat, lng}") from None
    if found is None:
        raise Invalid("the address was not found; check it or give the position {lat, lng}",
                      errors=[{"field": "address", "message": "was not found"}])
    return Position(lat=found.latitude, lng=found.longitude)
