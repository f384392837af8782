"""The processes of a fault test: `serve` nodes and `worker`s on the private stores."""
from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from tests.support.live import ServerProcess, free_port
from tests.support.stores_private import PrivatePostgres, PrivateRedis


class Node:
    """A `python -m server serve` process and its base URL."""

    def __init__(self, process: ServerProcess, url: str, name: str) -> None:
        self.process, self.url, self.name = process, url, name


class Stack:
    """Starts processes against the test's database and prefix; ends them all at close()."""

    def __init__(self, env: dict[str, str], postgres: PrivatePostgres, redis: PrivateRedis,
                 folder: Path) -> None:
        self.env, self.postgres, self.redis, self.folder = env, postgres, redis, folder
        self.processes: list[ServerProcess] = []
        self.sessions: list[aiohttp.ClientSession] = []
        self.closers: list = []

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    async def node(self, name: str = "a", **settings: str) -> Node:
        port = free_port()
        env = {**self.env, "HOST": "127.0.0.1", "PORT": str(port), "NODE_ID": f"node-{name}",
               **settings}
        process = self._track(ServerProcess(["serve", "--no-migrate"], env))
        await asyncio.to_thread(process.wait_for, "listening")
        return Node(process, f"http://127.0.0.1:{port}", name)

    async def worker(self, **settings: str) -> ServerProcess:
        process = self._track(ServerProcess(["worker"], {**self.env, **settings}))
        await asyncio.to_thread(process.wait_for, "worker running")
        return process

    def _track(self, process: ServerProcess) -> ServerProcess:
        self.processes.append(process)
        return process

    def api(self, url: str) -> aiohttp.ClientSession:
        """An HTTP client on one base URL, shaped like the factories' test client."""
        session = aiohttp.ClientSession(base_url=url, timeout=aiohttp.ClientTimeout(total=30))
        self.sessions.append(session)
        return session

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        """A query on a connection of its own, so it works across a Postgres restart."""
        conn = await asyncpg.connect(self.database_url, timeout=5)
        try:
            return await conn.fetch(query, *args)
        finally:
            await conn.close()

    async def fetchval(self, query: str, *args: Any) -> Any:
        rows = await self.fetch(query, *args)
        return rows[0][0] if rows else None

    async def close(self) -> None:
        for close in reversed(self.closers):
            try:
                await close()
            except Exception:  # a socket already gone is fine at teardown
                pass
        for session in self.sessions:
            await session.close()
        for process in self.processes:  # SIGINT: no drain grace at the end of a test
            if process.process.poll() is None:
                process.process.send_signal(signal.SIGINT)
        await asyncio.gather(*(asyncio.to_thread(_ended, p) for p in self.processes))


def _ended(process: ServerProcess, timeout: float = 15) -> None:
    try:
        process.process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.process.kill()
        process.process.wait()


async def eventually(check, what: str, timeout: float = 20.0, every: float = 0.1):
    """Await `check()` until it returns something truthy (returned), or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        found = await check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} within {timeout}s")
        await asyncio.sleep(every)

