"""Going online and offline: the courier enters or leaves the pool of couriers offers go to."""
from __future__ import annotations

from domain.accounts import Principal
from domain.errors import Conflict
from domain.eta import Vehicle
from server.catalogue.clock import now as clock
from server.context import Context
from server.couriers import live_store, queries
from server.couriers.offers import decline_pending
from server.couriers.views import Availability


async def vehicle_of(ctx: Context, principal: Principal) -> Vehicle:
    """The vehicle in the courier's profile; a bike when they have not said."""
    raw = await ctx.db.fetchval("SELECT profile->>'vehicle' FROM users WHERE id = $1", principal.user_id)
    try:
        return Vehicle(raw) if raw else Vehicle.bike
    except ValueError:
        return Vehicle.bike


async def set_availability(ctx: Context, principal: Principal, online: bool) -> Availability:
    """Online: in the pool from the first position on. Offline: out of it, the pending offer declined."""
    if online:
        await live_store.go_online(ctx, principal.user_id, await vehicle_of(ctx, principal),
                                   clock(ctx).timestamp() * 1000)
    else:
        held = await ctx.db.fetchval(
            "SELECT count(*) FROM deliveries WHERE courier_id = $1 AND status = ANY($2::text[])",
            principal.user_id, list(queries.ACTIVE))
        if held:
            raise Conflict("finish the delivery in hand before going offline", code="delivery-in-hand")
        await live_store.go_offline(ctx, principal.user_id)
        await decline_pending(ctx, principal)
    return await availability(ctx, principal)


async def availability(ctx: Context, principal: Principal) -> Availability:
    state = await live_store.load(ctx, principal.user_id)
    return Availability(online=state.online, free=await live_store.is_free(ctx, principal.user_id),
                        has_position=state.fix is not None)
