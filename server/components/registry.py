"""The component registry: tech staff publish and remove versions, developers browse them."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
import msgspec

from domain.components import version_key
from domain.errors import Conflict, Invalid, NotFound
from server.catalogue.clock import now
from server.components import queries
from server.components.tarballs import read_package
from server.context import Context


class ComponentVersion(msgspec.Struct, kw_only=True):
    name: str
    version: str
    description: str
    size_bytes: int
    shasum: str
    integrity: str
    published_at: datetime


class Component(msgspec.Struct, kw_only=True):
    """A component and its published versions, oldest first; `latest` is the highest."""

    name: str
    description: str
    latest: str
    versions: list[ComponentVersion]


def _version(row: asyncpg.Record) -> ComponentVersion:
    return ComponentVersion(name=row["name"], version=row["version"], description=row["description"],
                            size_bytes=row["size_bytes"], shasum=row["shasum"],
                            integrity=row["integrity"], published_at=row["published_at"])


def _components(rows: list[asyncpg.Record]) -> list[Component]:
    grouped: dict[str, list[ComponentVersion]] = {}
    for row in rows:
        grouped.setdefault(row["name"], []).append(_version(row))
    shown = []
    for name, versions in grouped.items():
        latest = max(versions, key=lambda v: version_key(v.version))
        shown.append(Component(name=name, description=latest.description, latest=latest.version,
                               versions=versions))
    return shown


async def publish(ctx: Context, user_id: uuid.UUID, data: bytes, name: str | None = None,
                  version: str | None = None) -> ComponentVersion:
    """Check the tarball, then store it; a published (or removed) version is never replaced."""
    package = read_package(data)
    for field, said, found in (("name", name, package.name), ("version", version, package.version)):
        if said and said != found:
            raise Invalid(f"the {field} given ({said}) is not package.json's ({found})",
                          errors=[{"field": field, "message": f"package.json says {found}"}])
    async with ctx.db.acquire() as conn:
        row = await queries.insert_version(conn, package, user_id)
    if row is None:
        raise Conflict(f"{package.name}@{package.version} exists already; publish a new version",
                       code="version-exists")
    return _version(row)


async def list_components(ctx: Context) -> list[Component]:
    async with ctx.db.acquire() as conn:
        return _components(await queries.live_versions(conn))


async def get_component(ctx: Context, name: str) -> Component:
    async with ctx.db.acquire() as conn:
        found = _components(await queries.live_versions(conn, name))
    if not found:
        raise NotFound("no such component")
    return found[0]


async def remove(ctx: Context, name: str, version: str | None = None) -> None:
    async with ctx.db.acquire() as conn:
        if not await queries.remove(conn, name, version, now(ctx)):
            raise NotFound("no such component" if version is None else "no such version")
