"""Client -> server events: each answered with an ack {ok, error?}, whatever the client sent."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

import msgspec

from domain.accounts import Principal
from domain.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, RateLimited
from domain.roles import Role
from realtime.live import Live

log = logging.getLogger(__name__)
Handler = Callable[[Live, str, Principal, Any], Awaitable[dict | None]]
Direct = tuple[msgspec.json.Decoder, Callable]  # what the engine decodes and runs a typed event with
# Event name -> handler(live, sid, principal, payload); features add theirs with @on(name).
EVENTS: dict[str, Handler] = {}


class Rules(msgspec.Struct, frozen=True):
    """What an event's handler may assume: its payload's type, and who may send it (None: any)."""

    payload: type | None = None
    roles: frozenset[Role] | None = None


# Event name -> its Rules, for those registered with any.
RULES: dict[str, Rules] = {}
_CODES = {Invalid: "invalid", NotFound: "not-found", Forbidden: "forbidden",
          Conflict: "conflict", RateLimited: "rate-limited"}


def on(name: str, payload: type | None = None, roles: tuple[Role, ...] | None = None,
       ) -> Callable[[Handler], Handler]:
    """Register a client event; the handler returns extra ack fields or raises a DomainError.

    With `roles`, anyone else gets a `role-not-allowed` ack. With `payload`, the handler gets
    the event's argument as that type (a struct), and an argument that is not one gets an
    `invalid` ack naming the field.
    """
    def register(handler: Handler) -> Handler:
        EVENTS[name] = handler
        RULES[name] = Rules(payload, frozenset(roles) if roles is not None else None)
        return handler
    return register


def payload_as(payload: Any, kind: type) -> Any:
    """An event's argument as `kind`, or Invalid naming the first field that is wrong."""
    try:
        return msgspec.convert(payload, kind)
    except msgspec.ValidationError as exc:
        field = str(exc).rpartition("$.")[2].rstrip("`") if "$." in str(exc) else "(body)"
        raise Invalid("the event has invalid fields",
                      errors=[{"field": field, "message": str(exc)}]) from None


def error_ack(exc: DomainError) -> dict:
    code = exc.code or next((c for kind, c in _CODES.items() if isinstance(exc, kind)), "error")
    ack = {"ok": False, "error": code, "detail": exc.detail}
    if exc.errors:
        ack["errors"] = exc.errors
    return ack


def guarded(live: Live, name: str, handler: Handler, rules: Rules = Rules()):
    """Bad input, a refusal or a bug becomes an error ack; the socket stays usable.

    The runner takes the payload as sent (converted to the rules' type here), or with
    `decoded` as the engine already decoded it into that type.
    """
    kind, roles = rules.payload, rules.roles

    async def run(sid: str, payload: Any, decoded: bool = False) -> dict:
        live.stats.event(name)
        principal = live.principals.get(sid)
        if principal is None:
            return {"ok": False, "error": "not-connected", "detail": "connect first"}
        try:
            if roles is not None and principal.role not in roles:
                raise Forbidden("your role does not send this", code="role-not-allowed")
            if kind is not None and not decoded:
                payload = payload_as(payload, kind)
            extra = await handler(live, sid, principal, payload)
        except DomainError as exc:
            return error_ack(exc)
        except Exception:
            log.exception("socket event failed", extra={"event": name})
            return {"ok": False, "error": "internal", "detail": "something went wrong on our side"}
        return {"ok": True, **(extra or {})}
    return run


def bind_events(live: Live) -> None:
    """One catch-all: handlers are looked up when an event comes, so import order never matters.

    Events registered with a payload type are also offered to the engine, which decodes
    their text packets straight into that type and answers them without python-socketio's
    generic event path; anything it cannot decode comes here as usual.
    """
    # event -> (its handler, the guarded runner, and for a typed event what the engine needs)
    wrapped: dict[str, tuple[Handler, Callable, Direct | None]] = {}

    def runner_of(event: str) -> tuple[Handler, Callable, Direct | None] | None:
        handler = EVENTS.get(event)
        if handler is None:
            return None
        known = wrapped.get(event)
        if known is None or known[0] is not handler:
            rules = RULES.get(event, Rules())
            run = guarded(live, event, handler, rules)
            kind = rules.payload
            direct = (msgspec.json.Decoder(tuple[str, kind]), run) if kind is not None else None
            known = wrapped[event] = (handler, run, direct)
        return known

    async def dispatch(event: str, sid: str, *args) -> dict:
        known = runner_of(event)
        if known is None:
            live.stats.event("unknown")
            return {"ok": False, "error": "unknown-event", "detail": f"no such event: {event!r}"}
        return await known[1](sid, args[0] if len(args) == 1 else list(args))

    def typed(event: str) -> Direct | None:
        known = runner_of(event)
        return known and known[2]

    live.sio.on("*", dispatch)
    live.sio.typed_event = typed
