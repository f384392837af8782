"""Decode request bodies and queries into msgspec Structs, or fail with a 4xx."""
from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec
from aiohttp import web

from domain.errors import Invalid, PayloadTooLarge

T = TypeVar("T")
_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
# "Object missing required field `name`" names the field in the message, not the path
_NAMED_FIELD = re.compile(r"(?:unknown|required) field `(?P<field>[^`]+)`")


def validation_errors(exc: msgspec.ValidationError | msgspec.DecodeError) -> list[dict]:
    """msgspec's message as `[{field, message}]`, field as a dotted path."""
    match = _AT.match(str(exc))
    path = (match.group("path") or "").lstrip(".").replace("[", ".").replace("]", "")
    message = match.group("message")
    named = _NAMED_FIELD.search(message)
    if named:
        path = f"{path}.{named.group('field')}" if path else named.group("field")
    return [{"field": path or "(body)", "message": message}]


def decode_as(raw: bytes | str, kind: type[T]) -> T:
    """Decode JSON into `kind` or raise Invalid with field problems."""
    try:
        return msgspec.json.decode(raw, type=kind)
    except msgspec.ValidationError as exc:
        raise Invalid("the request body has invalid fields", errors=validation_errors(exc)) from None
    except msgspec.DecodeError as exc:
        raise Invalid("the request body is not valid JSON", errors=validation_errors(exc)) from None


async def read_json(request: web.Request, kind: type[T]) -> T:
    """Read and decode the body; the app's client_max_size bounds what is read."""
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise PayloadTooLarge(exc.text or "the request body is too large") from None
    if not raw:
        raise Invalid("a JSON body is required")
    return decode_as(raw, kind)


def query_as(request: web.Request, kind: type[T]) -> T:
    """Convert query parameters into `kind`, numbers and booleans parsed from strings."""
    params: dict[str, Any] = dict(request.query)
    try:
        return msgspec.convert(params, type=kind, strict=False)
    except msgspec.ValidationError as exc:
        raise Invalid("the query has invalid parameters", errors=validation_errors(exc)) from None
