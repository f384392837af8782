"""/npm/: the component registry as the npm client sees it (read-only).

npm authenticates with a token from .npmrc, sent as `Authorization: Bearer <token>`:
an API key with the components:read scope (or a developer's or tech person's access token).
Every tarball fetched is logged like a download from the API.
"""
from __future__ import annotations

from aiohttp import web

from domain.api_keys import Scope, parse_key
from domain.accounts import Principal
from domain.errors import DomainError, Forbidden, Unauthenticated
from server.auth.principal import principal_from_token
from server.components.downloads import Downloader, download
from server.components.npm import packument, parse_path
from server.keys import CONTEXT
from web.auth import PRINCIPAL, public
from web.platform import caller_key, key_caller
from web.problem import json_response

routes = web.RouteTableDef()
READERS = frozenset({"developer", "tech"})
_REALM = {"WWW-Authenticate": 'Bearer realm="CESI EATS npm registry"'}


@routes.get("/npm/{path:.+}")
@public  # the handler asks for npm's token itself, to answer in npm's own error format
async def npm(request: web.Request) -> web.StreamResponse:
    try:
        principal = await _caller(request)
        name, version = parse_path(request.match_info["path"])
        if version is None:
            document = await packument(request.app[CONTEXT], name, _registry_url(request))
            return json_response(document)
        return await _tarball(request, principal, name, version)
    except DomainError as error:
        headers = _REALM if error.status == 401 else None
        return json_response({"error": error.detail}, status=error.status, headers=headers)


async def _tarball(request: web.Request, principal: Principal, name: str, version: str) -> web.Response:
    key = caller_key(request)
    who = Downloader(user_id=principal.user_id, api_key_id=key.key_id if key else None, via="npm",
                     ip=request.remote, user_agent=request.headers.get("User-Agent"))
    tarball = await download(request.app[CONTEXT], name, version, who)
    return web.Response(body=tarball.data, content_type="application/octet-stream",
                        headers={"ETag": f'"{tarball.shasum}"'})


async def _caller(request: web.Request) -> Principal:
    """The token's owner, if a developer or tech person, and a key if it has components:read."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else request.headers.get("X-API-Key")
    if not token:
        raise Unauthenticated("this registry needs a token: an API key with components:read in"
                              " .npmrc (_authToken)")
    if parse_key(token):
        principal = (await key_caller(request, token)).principal
        if Scope.components_read not in principal.scopes:
            raise Forbidden("this API key lacks the scope components:read")
    else:
        principal = await principal_from_token(request.app[CONTEXT], token)
    if principal.role not in READERS:
        raise Forbidden("components are for developers")
    request[PRINCIPAL] = principal
    return principal


def _registry_url(request: web.Request) -> str:
    """Tarball URLs point back here, on the host the client reached."""
    return f"{request.scheme}://{request.host}/npm"
