"""Accounts and access tokens for our side's sockets, made through the node's own API.

Accounts persist in the benchmark database; each one's latest refresh token is kept in a
cache file outside the repository, so later runs only rotate it (no argon2 work). Access tokens
with time left are used again (the node's secret is kept beside them). A first run
registers and signs in, from many loopback source addresses: sign-ins are limited
per address, as a crowd of real clients would come from many.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.bench.harness import log

PASSWORD = "bench-password-not-secret"
MIN_LEFT_S = 20 * 60  # an access token kept for a run must outlive it
PER_ADDRESS = 40  # two sign-ins each at most: below the per-address burst
CACHE = Path(os.environ.get("BENCH_CACHE_DIR", Path(tempfile.gettempdir()) / "cesi-eats-bench"))


def email(role: str, index: int, tag: str = "") -> str:
    return f"bench-{tag}{role}-{index}@bench.example.com"


class TokenSource:
    """Access tokens for `count` accounts of one role, against one node's base URL."""

    def __init__(self, base_url: str, database: str, concurrency: int = 32) -> None:
        self.base_url = base_url
        self.cache_path = CACHE / f"{database}-refresh-tokens.json"
        # address -> {refresh, access, exp}: an access token with time left is used again
        self.cache: dict[str, dict] = json.loads(self.cache_path.read_text()) if self.cache_path.exists() else {}
        self.limit = asyncio.Semaphore(concurrency)
        self.counts = {"reused": 0, "refreshed": 0, "signed_in": 0, "registered": 0}
        self.sign_ins = 0
        # a fresh stretch of addresses each run: earlier runs' limits may still hold
        self.first_slot = random.randrange(50000)

    async def tokens(self, role: str, count: int, tag: str = "") -> list[dict]:
        """Accounts bench-<tag><role>-0 ... -<count - 1>, in that order; `tag` keeps sets apart."""
        emails = [email(role, i, tag) for i in range(count)]
        plain = aiohttp.ClientSession(self.base_url, connector=aiohttp.TCPConnector(limit=64))
        addresses: dict[int, aiohttp.ClientSession] = {}
        try:
            return await asyncio.gather(*(self._one(plain, addresses, role, i, e) for i, e in enumerate(emails)))
        finally:
            await plain.close()
            for session in list(addresses.values()):
                await session.close()
            self._save()

    def _from_address(self, addresses: dict) -> aiohttp.ClientSession:
        slot = self.first_slot + self.sign_ins // PER_ADDRESS
        self.sign_ins += 1
        if slot not in addresses:
            local = (f"127.{10 + slot // 62500}.{slot // 250 % 250}.{1 + slot % 250}", 0)
            addresses[slot] = aiohttp.ClientSession(
                self.base_url, connector=aiohttp.TCPConnector(limit=8, local_addr=local))
        return addresses[slot]

    async def _one(self, plain, addresses, role: str, index: int, address: str) -> dict:
        kept = self.cache.get(address)
        if isinstance(kept, dict) and kept.get("exp", 0) > time.time() + MIN_LEFT_S:
            self.counts["reused"] += 1
            return {"role": role, "email": address, "token": kept["access"]}
        async with self.limit:
            if kept:
                refresh = kept["refresh"] if isinstance(kept, dict) else kept
                async with plain.post("/api/v1/auth/refresh", json={"refresh_token": refresh}) as r:
                    if r.status == 200:
                        self.counts["refreshed"] += 1
                        return self._keep(role, address, await r.json())
            pair = await self._sign_in(self._from_address(addresses), address)
            if pair is None:
                async with plain.post("/api/v1/auth/register", json={
                        "email": address, "password": PASSWORD, "name": f"Bench {role} {index}",
                        "role": role}) as r:
                    if r.status not in (201, 409):
                        raise RuntimeError(f"register {address}: {r.status} {await r.text()}")
                    self.counts["registered"] += r.status == 201
                pair = await self._sign_in(self._from_address(addresses), address)
            if pair is None:
                raise RuntimeError(f"cannot sign in {address}")
            self.counts["signed_in"] += 1
            return self._keep(role, address, pair)

    async def _sign_in(self, session: aiohttp.ClientSession, address: str) -> dict | None:
        async with session.post("/api/v1/auth/login", json={"email": address, "password": PASSWORD}) as r:
            if r.status == 401:
                return None
            if r.status != 200:
                raise RuntimeError(f"login {address}: {r.status} {await r.text()}")
            return await r.json()

    def _keep(self, role: str, address: str, pair: dict) -> dict:
        self.cache[address] = {"refresh": pair["refresh_token"], "access": pair["access_token"],
                               "exp": time.time() + pair["expires_in"]}
        return {"role": role, "email": address, "token": pair["access_token"]}

    def _save(self) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self.cache_path.write_text(json.dumps(self.cache))
        log(f"accounts: {self.counts}")
