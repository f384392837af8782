"""problem+json bodies (RFC 9457) and JSON responses encoded by msgspec."""
from __future__ import annotations

from http import HTTPStatus
from typing import Any

import msgspec
from aiohttp import web

PROBLEM_TYPE = "https://cesi-eats.example/problems/"
_encoder = msgspec.json.Encoder()


def json_response(data: Any, *, status: int = 200, headers: dict | None = None) -> web.Response:
    """Encode once with msgspec; accepts Structs, dicts, lists."""
    return web.Response(
        body=_encoder.encode(data), status=status, headers=headers,
        content_type="application/json",
    )


def problem_response(
    status: int, detail: str, *, title: str | None = None, code: str = "",
    errors: list[dict] | None = None, headers: dict | None = None, request_id: str = "",
    extra: dict | None = None,
) -> web.Response:
    """A problem+json answer; `code` names the problem type, default from the status."""
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + (code or phrase.lower().replace(" ", "-")),
        "title": title or phrase,
        "status": status,
        "detail": detail,
    }
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    return web.Response(
        body=_encoder.encode(body), status=status, headers=headers,
        content_type="application/problem+json",
    )
