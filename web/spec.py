"""What each API handler accepts and answers, declared once; the OpenAPI document reads it."""
from __future__ import annotations

from typing import Any, Callable

import msgspec


class EndpointSpec(msgspec.Struct, frozen=True):
    summary: str
    tags: tuple[str, ...] = ()
    body: Any = None          # msgspec type decoded from the JSON body
    query: Any = None         # msgspec Struct decoded from the query string
    response: Any = None      # type of the JSON answer; None means no body
    status: int = 200
    errors: tuple[int, ...] = ()
    description: str = ""


def endpoint(summary: str, **details: Any) -> Callable:
    """Attach an EndpointSpec to a handler (order among decorators does not matter)."""
    spec = EndpointSpec(summary, **details)

    def attach(handler: Callable) -> Callable:
        handler.spec = spec
        return handler
    return attach
