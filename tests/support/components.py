"""Component tarballs made in memory, good or bad, and publishing them as tech staff."""
from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

from server.components.bundled import BUNDLED_DIR
from server.components.tarballs import pack

TRACKER = "@cesi-eats/order-tracker"
TRACKER_PATH = "@cesi-eats%2Forder-tracker"
TRACKER_DIR: Path = BUNDLED_DIR / "order-tracker"


def tarball(files: dict[str, bytes | str], *, links: dict[str, str] | None = None) -> bytes:
    """A gzip'd tar of these files (paths as given) and symbolic links."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as zipped, tarfile.open(fileobj=zipped, mode="w") as archive:
        for name, content in files.items():
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            archive.addfile(info)
    return buffer.getvalue()


def package(name: str = "widget", version: str = "1.0.0", **extra: bytes | str) -> bytes:
    manifest = json.dumps({"name": name, "version": version, "description": "Un widget"})
    return tarball({"package/package.json": manifest, "package/index.js": "export default 1;\n", **extra})


def tracker_tarball() -> bytes:
    return pack(TRACKER_DIR)


async def publish(client, tech, data: bytes):
    return await client.post("/api/v1/components", data=data, headers={
        **tech.headers, "Content-Type": "application/gzip"})
