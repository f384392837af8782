"""The `publish-component` sub-command of python -m server."""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from domain.errors import DomainError
from server.cli import command
from server.components.bundled import BUNDLED_DIR, publish_folder
from server.context import build_context
from server.db.pool import create_pool
from server.redis_client import create_redis
from server.settings import Settings


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folders", nargs="*", type=Path,
                        help=f"component source folders with a package.json (default: every folder"
                             f" of {BUNDLED_DIR.relative_to(BUNDLED_DIR.parents[1])})")


@command("publish-component", "pack and publish component source folders to the registry", _arguments)
def publish_component(args: argparse.Namespace, settings: Settings) -> int:
    folders = args.folders or sorted(p for p in BUNDLED_DIR.iterdir() if (p / "package.json").is_file())
    try:
        for line in asyncio.run(_publish(settings, folders)):
            print(line)
    except DomainError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    return 0


async def _publish(settings: Settings, folders: list[Path]) -> list[str]:
    pool, redis = await create_pool(settings.database_url), create_redis(settings.redis_url)
    try:
        ctx = build_context(pool, redis, settings)
        lines = []
        for folder in folders:
            version, new = await publish_folder(ctx, folder)
            lines.append(f"{'published' if new else 'already published'} {version.name}@{version.version}")
        return lines
    finally:
        await pool.close()
        await redis.aclose()
