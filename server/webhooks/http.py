"""The HTTP side of a delivery: one POST, bounded in time and in what is read back."""
from __future__ import annotations

import asyncio
import time

import aiohttp
import msgspec
from yarl import URL

from server.settings import Settings
from server.webhooks.addresses import BlockedAddress, CheckedResolver, check_literal, private_allowed

EXCERPT_BYTES = 1024
USER_AGENT = "CESI-EATS-Webhooks/1"


class Answer(msgspec.Struct, frozen=True):
    """How one try went: a status, or the error that stopped it."""

    status_code: int | None
    error: str | None
    duration_ms: int
    excerpt: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def client_session(settings: Settings) -> aiohttp.ClientSession:
    """A session whose every connection goes to an address the resolver checked."""
    resolver = None if private_allowed(settings) else CheckedResolver()
    connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False, limit=100,
                                     limit_per_host=10)
    return aiohttp.ClientSession(connector=connector, trust_env=False,
                                 timeout=aiohttp.ClientTimeout(total=settings.webhook_timeout_s),
                                 headers={"User-Agent": USER_AGENT})


async def post(session: aiohttp.ClientSession, settings: Settings, url: str, body: bytes,
               headers: dict[str, str]) -> Answer:
    """POST the body; never raises for the receiver's faults, which become the answer's error."""
    started = time.perf_counter()
    status, excerpt, error = None, None, None
    try:
        if not private_allowed(settings):
            check_literal(URL(url))
        async with session.post(url, data=body, allow_redirects=False,
                                headers={"Content-Type": "application/json", **headers}) as response:
            status = response.status
            raw = await response.content.read(EXCERPT_BYTES)
            excerpt = raw.decode("utf-8", errors="replace")
    except asyncio.TimeoutError:
        error = f"no answer within {settings.webhook_timeout_s} s"
    except BlockedAddress as exc:
        error = f"refused: {exc}"
    except aiohttp.ClientConnectorError as exc:
        error = _connect_error(exc)
    except (aiohttp.ClientError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    return Answer(status, error, round((time.perf_counter() - started) * 1000), excerpt)


def _connect_error(exc: aiohttp.ClientConnectorError) -> str:
    cause = exc.os_error
    while cause is not None and not isinstance(cause, BlockedAddress):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, BlockedAddress):
        return f"refused: {cause}"
    return f"cannot connect: {exc.os_error or exc}"[:300]
