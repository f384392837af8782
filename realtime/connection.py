"""Connect with `auth: {token}`: refused with a reason, or placed in the person's rooms."""
from __future__ import annotations

import logging

from socketio.exceptions import ConnectionRefusedError

from domain.errors import DomainError
from domain.roles import STAFF
from realtime.live import Live
from realtime.log_throttle import Throttle
from server.auth.principal import principal_from_token
from server.live.access import rooms_for
from server.live.kpi import kpi_payload, kpi_snapshot

log = logging.getLogger(__name__)
_admission_failures = Throttle(every_s=10.0)


def bind_connection(live: Live) -> None:
    """Register the connect and disconnect handlers on the node's Socket.IO server."""

    async def connect(sid: str, environ: dict, auth=None) -> None:
        await admit(live, sid, auth)

    async def disconnect(sid: str, reason=None) -> None:
        if live.principals.pop(sid, None) is not None:
            live.stats.disconnect()
        live.streams.forget(sid)

    live.sio.on("connect", connect)
    live.sio.on("disconnect", disconnect)


def refuse(code: str, detail: str, **extra) -> ConnectionRefusedError:
    """The client's connect_error carries message=code and data={detail, ...}."""
    return ConnectionRefusedError(code, {"detail": detail, **extra})


async def admit(live: Live, sid: str, auth) -> None:
    token = auth.get("token") if isinstance(auth, dict) else None
    if not isinstance(token, str) or not token:
        live.stats.connect("no-credentials")
        raise refuse("no-credentials", "connect with auth: {token: <access token>}")
    try:
        principal = await principal_from_token(live.ctx, token)
        rooms = await rooms_for(live.ctx.db, principal)
    except DomainError as exc:
        live.stats.connect(exc.code or "unauthenticated")
        raise refuse(exc.code or "unauthenticated", exc.detail, **exc.extra) from None
    except Exception:
        # a store that is down or swamped: the client is told to come back, never left hanging
        if _admission_failures.due():
            log.exception("a connection could not be admitted")
        live.stats.connect("unavailable")
        raise refuse("unavailable", "the service is busy; try again in a moment", retry=True) from None
    live.principals[sid] = principal
    live.stats.connect("ok")
    for room in rooms:
        await live.sio.enter_room(sid, room)
    if principal.role in STAFF:
        live.spawn(_first_kpi(live, sid))


async def _first_kpi(live: Live, sid: str) -> None:
    """Staff see today's figures at once, not at the next order event."""
    try:
        async with live.ctx.db.acquire() as conn:
            kpi = await kpi_snapshot(conn)
    except Exception:
        log.exception("kpi snapshot failed")
        return
    live.send(sid, "kpi", kpi_payload(kpi))
