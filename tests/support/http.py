"""A tiny synchronous HTTP client for tests that drive real processes."""
from __future__ import annotations

import json
import uuid
import urllib.error
import urllib.request


def call(method: str, url: str, body: object = None, token: str | None = None,
         headers: dict | None = None) -> tuple[int, object]:
    """Send JSON, return (status, decoded JSON or text); HTTP errors are returned, not raised."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, _decode(response.read(), response.headers.get_content_type())
    except urllib.error.HTTPError as exc:
        return exc.code, _decode(exc.read(), exc.headers.get_content_type())


def _decode(raw: bytes, content_type: str) -> object:
    if not raw:
        return None
    return json.loads(raw) if "json" in content_type else raw.decode()


SIGN_UP_PASSWORD = "correct horse battery"


def sign_up(base: str, role: str) -> dict:
    """Register a new person of this role on a live server and sign in: e-mail and tokens."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.fr"
    status, body = call("POST", base + "/api/v1/auth/register", {
        "email": email, "password": SIGN_UP_PASSWORD, "name": f"E2E {role}", "role": role})
    assert status == 201, body
    status, tokens = call("POST", base + "/api/v1/auth/login",
                          {"email": email, "password": SIGN_UP_PASSWORD})
    assert status == 200, tokens
    return {"email": email, **tokens}
