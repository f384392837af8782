"""Pieces of the OpenAPI document every operation shares: problems, security, headers."""
from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

import msgspec

from domain.api_keys import SCOPE_DESCRIPTIONS

PROBLEM_REF = "#/components/schemas/Problem"
_PARAM = re.compile(r"\{(\w+)\}")


class FieldError(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct):
    """An error, as RFC 9457 problem details; `type` ends with a stable code."""

    type: str
    title: str
    status: int
    detail: str
    request_id: str | None = None
    errors: list[FieldError] | None = None


TAGS = {
    "auth": "Accounts and sessions: register, sign in, refresh, sign out.",
    "me": "The signed-in person's own account.",
    "api-keys": "A developer's API keys.",
    "meta": "This document.",
    "admin": "Staff tools: accounts, logs, figures.",
    "restaurants": "Restaurants, their menus and articles.",
    "catalogue": "Restaurants' articles and menus.",
    "orders": "Orders, from the cart to the door.",
    "deliveries": "Couriers' deliveries.",
    "webhooks": "Webhook subscriptions and their delivery log.",
    "components": "Reusable components published on the platform.",
}

SECURITY_SCHEMES = {
    "BearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                   "description": "An access token from `POST /auth/login`, for people."},
    "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                   "description": "A developer's key (`ce_live_...`); it acts with its owner's"
                   " rights and only its scopes:\n\n" + "\n".join(
                       f"- `{s}`: {d}" for s, d in SCOPE_DESCRIPTIONS.items())},
}

_HEADER_DOCS = {
    "RateLimit-Limit": "Requests allowed in a window.",
    "RateLimit-Remaining": "Requests left right now.",
    "RateLimit-Reset": "Seconds until the whole budget is back.",
}


HEADERS = {name: {"description": text, "schema": {"type": "integer", "minimum": 0}}
           for name, text in _HEADER_DOCS.items()}
HEADERS["Retry-After"] = {"description": "Seconds to wait before trying again.",
                          "schema": {"type": "integer", "minimum": 1}}


def rate_limit_headers() -> dict:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in _HEADER_DOCS}


def error_response(code: int, guarded: bool) -> dict:
    response: dict[str, Any] = {
        "description": HTTPStatus(code).phrase,
        "content": {"application/problem+json": {"schema": {"$ref": PROBLEM_REF}}},
    }
    if code == 429:
        response["headers"] = {"Retry-After": {"$ref": "#/components/headers/Retry-After"}}
        if guarded:
            response["headers"].update(rate_limit_headers())
    return response


def security(roles, scope, keys_only: bool) -> list[dict]:
    """Who may call: nobody needs to (public), a person, and an API key with its scope."""
    if keys_only:
        return [{"ApiKeyAuth": []}]
    if roles is None:
        return []
    return [{"BearerAuth": []}] + ([{"ApiKeyAuth": [str(scope)]}] if scope else [])


def parameters(path: str, query_schema: dict | None, idempotent: bool) -> list[dict]:
    """Path parameters, the query Struct's fields, and Idempotency-Key where it applies."""
    found = [{"name": name, "in": "path", "required": True, "schema": _path_schema(name)}
             for name in _PARAM.findall(path)]
    for name, schema in ((query_schema or {}).get("properties") or {}).items():
        found.append({"name": name, "in": "query",
                      "required": name in query_schema.get("required", []),
                      "schema": _without_null(schema)})
    if idempotent:
        found.append({"name": "Idempotency-Key", "in": "header", "required": False,
                      "description": "Any unique string (a UUID is best); 24 hours.",
                      "schema": {"type": "string", "minLength": 1, "maxLength": 255,
                                 "pattern": "^[!-~]+$"}})
    return found


def _path_schema(name: str) -> dict:
    return {"type": "string", "format": "uuid"} if name == "id" or name.endswith("_id") else {
        "type": "string"}


def _without_null(schema: dict) -> dict:
    """A query string cannot say null: an absent parameter is how it is left out."""
    schema = {k: v for k, v in schema.items() if not (k == "default" and v is None)}
    options = schema.get("anyOf")
    if options:
        kept = [o for o in options if o != {"type": "null"}]
        schema.pop("anyOf")
        schema.update(kept[0] if len(kept) == 1 else {"anyOf": kept})
    return schema
