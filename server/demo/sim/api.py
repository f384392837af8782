"""One bot's REST client: signs in, refreshes its token, and counts what goes wrong."""
from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import aiohttp

from server.demo.sim.stats import Stats

REFRESH_MARGIN_S = 60
MAX_LOGIN_WAIT_S = 60


class ApiError(Exception):
    """An answer the bot did not expect; `kind` is how it is counted."""

    def __init__(self, kind: str, status: int = 0, code: str | None = None) -> None:
        super().__init__(kind)
        self.kind, self.status, self.code = kind, status, code


class Api:
    """Talks to /api/v1 as one signed-in person."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, stats: Stats, email: str,
                 password: str) -> None:
        self.session, self.base_url, self.stats = session, base_url.rstrip("/"), stats
        self.email, self._password = email, password
        self._access, self._refresh, self._expires = "", "", 0.0
        self._renewing = asyncio.Lock()

    async def login(self) -> None:
        """Sign in; a sign-in limit is waited out (briefly), as a patient person would."""
        waited = 0.0
        while True:
            status, body, headers = await self._send("POST", "/auth/login", "POST /auth/login",
                                                     {"email": self.email, "password": self._password})
            if status == 429 and waited < MAX_LOGIN_WAIT_S:
                pause = min(float(headers.get("Retry-After", "5")), MAX_LOGIN_WAIT_S - waited)
                self.stats.note("sign-in limited, waited")
                await asyncio.sleep(max(pause, 1.0))
                waited += max(pause, 1.0)
                continue
            self._keep(self._checked("POST /auth/login", status, body, (200,)))
            return

    async def token(self) -> str:
        """A valid access token, refreshed when it is about to expire."""
        if time.monotonic() > self._expires - REFRESH_MARGIN_S:
            async with self._renewing:
                if time.monotonic() > self._expires - REFRESH_MARGIN_S:
                    status, body, _ = await self._send("POST", "/auth/refresh", "POST /auth/refresh",
                                                       {"refresh_token": self._refresh})
                    self._keep(self._checked("POST /auth/refresh", status, body, (200,)))
        return self._access

    async def call(self, method: str, path: str, body: Any = None, *, label: str, ok: tuple[int, ...] = (200, 201),
                   benign: frozenset[str] = frozenset(), idempotent: bool = False) -> Any:
        """The decoded answer; ApiError otherwise (counted as an error unless its code is benign)."""
        headers = {"Authorization": f"Bearer {await self.token()}"}
        if idempotent:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        status, answer, _ = await self._send(method, path, label, body, headers)
        return self._checked(label, status, answer, ok, benign)

    async def timed_call(self, what: str, method: str, path: str, body: Any = None, **kwargs) -> Any:
        """call(), with its latency kept as a sample named `what`."""
        started = time.perf_counter()
        answer = await self.call(method, path, body, **kwargs)
        self.stats.sample(what, (time.perf_counter() - started) * 1000)
        return answer

    def _keep(self, tokens: dict) -> None:
        self._access, self._refresh = tokens["access_token"], tokens["refresh_token"]
        self._expires = time.monotonic() + float(tokens.get("expires_in", 900))

    def _checked(self, label: str, status: int, body: Any, ok: tuple[int, ...],
                 benign: frozenset[str] = frozenset()) -> Any:
        if status in ok:
            return body
        code = _problem_code(body)
        kind = f"{label} -> {status} {code or ''}".rstrip()
        if code in benign:
            self.stats.note(kind)
        else:
            self.stats.error(kind)
        raise ApiError(kind, status, code)

    async def _send(self, method: str, path: str, label: str, body: Any = None,
                    headers: dict | None = None) -> tuple[int, Any, Any]:
        try:
            async with self.session.request(method, self.base_url + "/api/v1" + path, json=body,
                                            headers=headers) as response:
                answer = await response.json(content_type=None) if response.status != 204 else None
                return response.status, answer, response.headers
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            kind = f"{label} -> network {type(exc).__name__}"
            self.stats.error(kind)
            raise ApiError(kind) from None


def _problem_code(body: Any) -> str | None:
    """The problem's code: the last part of its `type` URI (e.g. .../problems/offer-gone)."""
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return None
    return body["type"].rstrip("/").rpartition("/")[2] or None
