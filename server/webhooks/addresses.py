"""Where a webhook may point: public addresses only, checked at creation and on every send.

At send time the addresses DNS gives are checked by the resolver the HTTP client connects
with, so the connection goes to an address that was checked: a name that answers a public
address to one look-up and a private one to the next (DNS rebinding) gains nothing.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from yarl import URL

from domain.errors import Invalid
from server.settings import Settings

_LOOKUP_TIMEOUT_S = 5.0


class BlockedAddress(OSError):
    """The target is (or resolves to) an address webhooks may not reach."""


def private_allowed(settings: Settings) -> bool:
    """WEBHOOKS_ALLOW_PRIVATE, by default true only where the receivers are local (dev, test)."""
    if settings.webhooks_allow_private is not None:
        return settings.webhooks_allow_private
    return settings.env in ("development", "test")


def is_public(address: str) -> bool:
    """Whether an IP is a global unicast address (not private, loopback, link-local, ...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified
                                 or ip.is_loopback or ip.is_link_local or ip.is_private)


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def parse_url(raw: str, settings: Settings) -> URL:
    """An absolute http(s) URL with a host and no credentials; https only in production."""
    try:
        url = URL(raw.strip())
    except (ValueError, TypeError):
        url = None
    schemes = ("https",) if settings.is_production else ("http", "https")
    if url is None or not url.is_absolute() or url.scheme not in schemes or not url.host:
        raise _refused(f"must be an absolute {' or '.join(schemes)} URL")
    if url.user or url.password:
        raise _refused("must not carry a user name or password")
    return url


async def check_url(raw: str, settings: Settings) -> str:
    """The URL, refused with a 422 when it points at a non-public address (unless allowed).

    A name that does not resolve now is accepted: it is checked again at every send.
    """
    url = parse_url(raw, settings)
    if private_allowed(settings):
        return str(url)
    if (literal := _literal(url.host)) is not None:
        addresses = [literal]
    else:
        addresses = await _lookup(url.host, url.port or 443)
    if any(not is_public(a) for a in addresses):
        raise _refused("points to a private, loopback, link-local or reserved address")
    return str(url)


def check_literal(url: URL) -> None:
    """At send time: an IP written in the URL never reaches the resolver, so check it here."""
    literal = _literal(url.host or "")
    if literal is not None and not is_public(literal):
        raise BlockedAddress(f"{literal} is not a public address")


async def _lookup(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), _LOOKUP_TIMEOUT_S)
    except (OSError, asyncio.TimeoutError):
        return []
    return [info[4][0] for info in infos]


def _refused(message: str) -> Invalid:
    return Invalid(f"the webhook URL {message}", errors=[{"field": "url", "message": message}])


class CheckedResolver(AbstractResolver):
    """Resolves like the default resolver, then refuses any answer that is not public."""

    def __init__(self, inner: AbstractResolver | None = None) -> None:
        self._inner = inner or DefaultResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        blocked = [a["host"] for a in answers if not is_public(a["host"])]
        if blocked:
            raise BlockedAddress(f"{host} resolves to {blocked[0]}, not a public address")
        return answers

    async def close(self) -> None:
        await self._inner.close()
