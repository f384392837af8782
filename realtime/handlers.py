"""Client -> server events: each answered with an ack {ok, error?}, whatever the client sent."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from domain.accounts import Principal
from domain.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, RateLimited
from realtime.live import Live

log = logging.getLogger(__name__)
Handler = Callable[[Live, str, Principal, Any], Awaitable[dict | None]]
# Event name -> handler(live, sid, principal, payload); features add theirs with @on(name).
EVENTS: dict[str, Handler] = {}
_CODES = {Invalid: "invalid", NotFound: "not-found", Forbidden: "forbidden",
          Conflict: "conflict", RateLimited: "rate-limited"}


def on(name: str) -> Callable[[Handler], Handler]:
    """Register a client event; the handler returns extra ack fields or raises a DomainError."""
    def register(handler: Handler) -> Handler:
        EVENTS[name] = handler
        return handler
    return register


def error_ack(exc: DomainError) -> dict:
    code = exc.code or next((c for kind, c in _CODES.items() if isinstance(exc, kind)), "error")
    ack = {"ok": False, "error": code, "detail": exc.detail}
    if exc.errors:
        ack["errors"] = exc.errors
    return ack


def guarded(live: Live, name: str, handler: Handler):
    """Bad input, a refusal or a bug becomes an error ack; the socket stays usable."""
    async def run(sid: str, *args) -> dict:
        principal = live.principals.get(sid)
        if principal is None:
            return {"ok": False, "error": "not-connected", "detail": "connect first"}
        try:
            extra = await handler(live, sid, principal, args[0] if len(args) == 1 else list(args))
        except DomainError as exc:
            return error_ack(exc)
        except Exception:
            log.exception("socket event failed", extra={"event": name})
            return {"ok": False, "error": "internal", "detail": "something went wrong on our side"}
        return {"ok": True, **(extra or {})}
    return run


def bind_events(live: Live) -> None:
    """One catch-all: handlers are looked up when an event comes, so import order never matters."""
    wrapped: dict[str, tuple[Handler, Callable]] = {}  # event -> (handler, its guarded runner)

    async def dispatch(event: str, sid: str, *args) -> dict:
        handler = EVENTS.get(event)
        live.stats.event(event if handler is not None else "unknown")
        if handler is None:
            return {"ok": False, "error": "unknown-event", "detail": f"no such event: {event!r}"}
        known = wrapped.get(event)
        if known is None or known[0] is not handler:
            known = wrapped[event] = (handler, guarded(live, event, handler))
        return await known[1](sid, *args)
    live.sio.on("*", dispatch)
