"""Component tarballs: checked before anything is stored, and built from a source folder.

A tarball must be a real gzip'd tar, small, with plain files and folders under one top
folder (npm uses `package/`), no path that climbs out or starts at the root, and a
package.json naming a valid name and version.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path, PurePosixPath

import msgspec

from domain.components import check_name, check_version
from domain.errors import Invalid, PayloadTooLarge

MAX_TARBALL_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024   # a small gzip can unpack to a lot: bounded too
MAX_ENTRIES = 1000
MAX_MANIFEST_BYTES = 256 * 1024
# npm's own fixed date for packed files, so packing the same folder twice gives the same bytes
_PACK_MTIME = 499162500


class Package(msgspec.Struct, frozen=True):
    name: str
    version: str
    description: str
    manifest: dict
    tarball: bytes
    shasum: str
    integrity: str


def _bad(message: str) -> Invalid:
    return Invalid(f"the tarball is refused: {message}", errors=[{"field": "tarball", "message": message}])


def read_package(data: bytes) -> Package:
    """The package inside a tarball, or Invalid / PayloadTooLarge saying why not."""
    if len(data) > MAX_TARBALL_BYTES:
        raise PayloadTooLarge(f"a component tarball may be at most {MAX_TARBALL_BYTES // 1024 // 1024} MB")
    if data[:2] != b"\x1f\x8b":
        raise _bad("not a gzip file")
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            manifest = _manifest(archive)
    except (tarfile.TarError, EOFError, OSError, gzip.BadGzipFile):
        raise _bad("not a readable gzip'd tar archive") from None
    name = check_name(manifest.get("name"))
    version = check_version(manifest.get("version"))
    description = manifest.get("description")
    return Package(name=name, version=version, manifest=manifest, tarball=data,
                   description=description[:500] if isinstance(description, str) else "",
                   shasum=hashlib.sha1(data).hexdigest(),
                   integrity="sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode())


def _manifest(archive: tarfile.TarFile) -> dict:
    """Check every member, then read <top>/package.json."""
    members, unpacked, tops = [], 0, set()
    for member in archive:
        members.append(member)
        if len(members) > MAX_ENTRIES:
            raise _bad(f"more than {MAX_ENTRIES} entries")
        if not (member.isfile() or member.isdir()):
            raise _bad(f"{member.name!r} is not a plain file or folder")
        parts = _safe_parts(member.name)
        tops.add(parts[0])
        unpacked += member.size
        if unpacked > MAX_UNPACKED_BYTES:
            raise _bad("unpacks to more than 20 MB")
    if len(tops) != 1:
        raise _bad("its files must sit under one top folder, such as package/")
    wanted = f"{tops.pop()}/package.json"
    found = next((m for m in members if m.isfile() and str(PurePosixPath(m.name)) == wanted), None)
    if found is None or found.size > MAX_MANIFEST_BYTES:
        raise _bad("no package.json in its top folder")
    try:
        manifest = json.loads(archive.extractfile(found).read())
    except ValueError:
        raise _bad("package.json is not valid JSON") from None
    if not isinstance(manifest, dict):
        raise _bad("package.json is not a JSON object")
    return manifest


def _safe_parts(name: str) -> tuple[str, ...]:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        raise _bad(f"unsafe path {name!r}")
    parts = tuple(p for p in PurePosixPath(name).parts if p != ".")
    if not parts or ".." in parts or ":" in parts[0]:
        raise _bad(f"unsafe path {name!r}")
    return parts


def pack(folder: Path) -> bytes:
    """A folder as npm would pack it: files under package/, fixed dates and modes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as zipped, \
            tarfile.open(fileobj=zipped, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            info = tarfile.TarInfo("package/" + path.relative_to(folder).as_posix())
            info.size, info.mtime, info.mode = len(data), _PACK_MTIME, 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
