"""After Redis came back: what the node's sockets could have missed while it was away."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from realtime.live import Live
from server.auth.revocation import current_token_version
from server.live.kpi import STAFF_ROOMS, kpi_payload, kpi_snapshot
from server.live.publish import LivePayload

log = logging.getLogger(__name__)


async def recheck_people(live: Live) -> None:
    """A suspension or an erasure announced meanwhile never reached us: ask again, per person."""
    ctx, verdicts = live.ctx, {}
    for sid, principal in list(live.principals.items()):
        user_id = principal.user_id
        if user_id not in verdicts:
            verdicts[user_id] = await current_token_version(
                ctx.db, ctx.redis, ctx.settings.redis_prefix, user_id, ctx.settings.access_token_ttl_s)
        if verdicts[user_id] is None:
            live.spawn(live.sio.disconnect(sid))


async def refresh_kpi(live: Live) -> None:
    """Staff here get today's figures again: KPI pushes may have been lost meanwhile."""
    staff = [sid for room in STAFF_ROOMS for sid in live.manager.members(room)]
    if not staff:
        return
    async with live.ctx.db.acquire() as conn:
        payload = kpi_payload(await kpi_snapshot(conn))
    for sid in staff:
        live.send(sid, "kpi", payload)


# Rooms' messages sent meanwhile (a kitchen's new orders, notifications, offers) are lost;
# only streams were replayed, so clients reload what they hold as after a reconnection.
RESUMED = "live.resumed"


async def tell_resumed(live: Live) -> None:
    """Every socket here hears `live.resumed` (seq 0) once Redis is back."""
    payload = LivePayload(0, RESUMED, {}, datetime.now(timezone.utc))
    for sid in list(live.principals):
        live.send(sid, RESUMED, payload)
