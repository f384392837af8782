"""Publishing a component from its source folder (the ones this repository ships in
static/components/), as the registry's own packing of it."""
from __future__ import annotations

import uuid
from pathlib import Path

from domain.errors import Conflict
from server.components import queries
from server.components.registry import ComponentVersion, get_component, publish
from server.components.tarballs import pack, read_package
from server.context import Context

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "static" / "components"


async def publish_folder(ctx: Context, folder: Path, by: uuid.UUID | None = None) -> tuple[ComponentVersion, bool]:
    """(the version, whether it is new); publishing the same folder again changes nothing."""
    data = pack(folder)
    try:
        return await publish(ctx, by, data), True
    except Conflict:
        package = read_package(data)
        async with ctx.db.acquire() as conn:
            stored = await queries.tarball(conn, package.name, package.version)
        if stored is None or stored["shasum"] != package.shasum:
            raise
        versions = (await get_component(ctx, package.name)).versions
        return next(v for v in versions if v.version == package.version), False
