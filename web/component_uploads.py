"""Reading a component upload: a raw gzip body or a multipart form, bounded while it is read."""
from __future__ import annotations

from aiohttp import BodyPartReader, web

from domain.errors import Invalid, PayloadTooLarge
from server.components.tarballs import MAX_TARBALL_BYTES

_RAW_TYPES = frozenset({"application/gzip", "application/x-gzip", "application/octet-stream",
                        "application/x-tar", "application/x-compressed"})
_CHUNK = 64 * 1024


async def read_tarball(request: web.Request) -> tuple[bytes, dict[str, str]]:
    """(tarball bytes, the form's name and version if given); refused past the size limit."""
    if request.content_type == "multipart/form-data":
        return await _from_form(request)
    if request.content_type in _RAW_TYPES:
        return await _bounded(request.content.read), {}
    raise Invalid("send the tarball as application/gzip or in a multipart form field `tarball`",
                  errors=[{"field": "tarball", "message": "is required"}])


async def _from_form(request: web.Request) -> tuple[bytes, dict[str, str]]:
    data, said = None, {}
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "tarball":
            data = await _bounded(part.read_chunk)
        elif part.name in ("name", "version"):
            said[part.name] = (await part.read_chunk(1024)).decode("utf-8", "replace").strip()
    if data is None:
        raise Invalid("the form has no `tarball` file", errors=[{"field": "tarball", "message": "is required"}])
    return data, {k: v for k, v in said.items() if v}


async def _bounded(read) -> bytes:
    chunks, size = [], 0
    while chunk := await read(_CHUNK):
        size += len(chunk)
        if size > MAX_TARBALL_BYTES:
            raise PayloadTooLarge(f"a component tarball may be at most {MAX_TARBALL_BYTES // 1024 // 1024} MB")
        chunks.append(chunk)
    return b"".join(chunks)
