"""The npm registry's view of the components: packuments, and where each tarball is."""
from __future__ import annotations

from typing import Any

from domain.components import tarball_name, version_key
from domain.errors import NotFound
from server.components import queries
from server.context import Context


def tarball_path(name: str, version: str) -> str:
    """npm's layout, relative to the registry's root: `<name>/-/<basename>-<version>.tgz`."""
    return f"{name}/-/{tarball_name(name, version)}"


def parse_path(path: str) -> tuple[str, str | None]:
    """(package name, version) for a tarball path, (name, None) for a packument."""
    name, sep, file = path.partition("/-/")
    if not sep:
        return path, None
    stem = tarball_name(name, "")[:-len(".tgz")]  # "<basename>-"
    if not (file.startswith(stem) and file.endswith(".tgz")):
        raise NotFound("no such tarball")
    return name, file[len(stem):-len(".tgz")]


async def packument(ctx: Context, name: str, registry_url: str) -> dict[str, Any]:
    """The document `npm install` reads: every published version with its dist."""
    async with ctx.db.acquire() as conn:
        rows = await queries.live_versions(conn, name)
    if not rows:
        raise NotFound("no such package")
    versions, times = {}, {}
    for row in rows:
        version = row["version"]
        versions[version] = {
            **row["manifest"], "name": name, "version": version, "_id": f"{name}@{version}",
            "dist": {"tarball": f"{registry_url}/{tarball_path(name, version)}",
                     "shasum": row["shasum"], "integrity": row["integrity"]}}
        times[version] = row["published_at"].isoformat()
    latest = max(versions, key=version_key)
    return {"_id": name, "name": name, "description": versions[latest].get("description", ""),
            "dist-tags": {"latest": latest}, "versions": versions,
            "time": {"created": min(times.values()), "modified": max(times.values()), **times}}
