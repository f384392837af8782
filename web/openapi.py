"""The OpenAPI 3.1 document, generated from the routes' EndpointSpec and their msgspec types."""
from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any, Iterator

import msgspec
from aiohttp import web

from domain.api_keys import SCOPE_DESCRIPTIONS
from web.openapi_parts import (HEADERS, PROBLEM_REF, SECURITY_SCHEMES, TAGS, Problem,
                               error_response, parameters, rate_limit_headers, security)

BASE = "/api/v1"
REF = "#/components/schemas/{name}"
_PARAM = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def api_operations(app: web.Application) -> Iterator[tuple[str, str, Any]]:
    """(method, path under /api/v1 in OpenAPI form, handler) for every API route."""
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or ""
        if path.startswith(BASE + "/") and route.method not in ("HEAD", "OPTIONS", "*"):
            yield route.method, _PARAM.sub(r"{\1}", path[len(BASE):]), route.handler


def build_document(app: web.Application) -> dict:
    operations = [op for op in api_operations(app) if hasattr(op[2], "spec")]
    types = [Problem] + [t for _, _, h in operations
                         for t in (h.spec.body, h.spec.response, h.spec.query) if t is not None]
    schemas, components = msgspec.json.schema_components(types, ref_template=REF)
    schema_of = {t: s for t, s in zip(types, schemas)}
    paths: dict[str, dict] = {}
    for method, path, handler in operations:
        paths.setdefault(path, {})[method.lower()] = _operation(
            method, path, handler, schema_of, components)
    used_tags = sorted({tag for item in paths.values() for op in item.values() for tag in op["tags"]})
    return {
        "openapi": "3.1.0",
        "info": {"title": "CESI EATS API", "version": "1.0.0", "description": _INTRO},
        "servers": [{"url": BASE}],
        "tags": [{"name": t, **({"description": TAGS[t]} if t in TAGS else {})} for t in used_tags],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": components, "headers": HEADERS,
                       "securitySchemes": SECURITY_SCHEMES},
    }


def _operation(method: str, path: str, handler: Any, schema_of: dict, components: dict) -> dict:
    spec = handler.spec
    roles = getattr(handler, "admitted_roles", None)
    scope = getattr(handler, "required_scope", None)
    idempotent = getattr(handler, "idempotent", False)
    op: dict[str, Any] = {
        "operationId": f"{method.lower()}_{handler.__module__.rsplit('.', 1)[-1]}_{handler.__name__}",
        "summary": spec.summary, "description": _describe(spec, roles, scope, handler),
        "tags": list(spec.tags) or ["other"],
        "parameters": parameters(path, spec.query and components.get(spec.query.__name__),
                                 idempotent),
        "security": security(roles, scope, getattr(handler, "keys_only", False)),
    }
    if roles is not None and not getattr(handler, "keys_only", False):
        op["x-roles"] = sorted(roles)
        if scope:
            op["x-scope"] = str(scope)
    if spec.body is not None:
        op["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": schema_of[spec.body]}}}
    op["responses"] = _responses(spec, schema_of, guarded=roles is not None,
                                 idempotent=idempotent, has_path_params="{" in path)
    return op


def _responses(spec, schema_of: dict, *, guarded: bool, idempotent: bool,
               has_path_params: bool) -> dict:
    success: dict[str, Any] = {"description": HTTPStatus(spec.status).phrase}
    if spec.response is not None:
        success["content"] = {"application/json": {"schema": schema_of[spec.response]}}
    if guarded:
        success["headers"] = rate_limit_headers()
    codes = set(spec.errors) | {400}
    if guarded:
        codes |= {401, 403, 429}
    if spec.body is not None:
        codes |= {413, 422}
    if spec.query is not None:
        codes.add(422)
    if idempotent:
        codes |= {409, 422}
    if has_path_params:
        codes.add(404)
    responses = {str(spec.status): success}
    responses.update({str(code): error_response(code, guarded) for code in sorted(codes)})
    return responses


def _describe(spec, roles, scope, handler) -> str:
    lines = [spec.description] if spec.description else []
    if getattr(handler, "keys_only", False):
        lines.append("Callable with an API key only (`X-API-Key`), whatever its scopes.")
    elif roles is None:
        lines.append("Open to anyone; no credentials needed.")
    else:
        lines.append("Roles: " + ", ".join(f"`{r}`" for r in sorted(roles)) + ".")
        lines.append(f"API keys need the scope `{scope}`." if scope
                     else "People only: API keys are refused.")
    if getattr(handler, "idempotent", False):
        lines.append("Send an `Idempotency-Key` to make retries safe: the same key and body"
                     " get the first answer again for 24 hours.")
    return "\n\n".join(lines)


_INTRO = (
    "The CESI EATS REST API. JSON in and out; errors are `application/problem+json` ("
    + PROBLEM_REF.rsplit("/", 1)[-1] + "). People authenticate with `Authorization: Bearer"
    " <access token>` (from `POST /auth/login`); third parties with `X-API-Key: ce_live_...`,"
    " created in the developer portal with scopes:\n\n"
    + "\n".join(f"- `{s}`: {d}" for s, d in SCOPE_DESCRIPTIONS.items())
    + "\n\nAuthenticated answers carry `RateLimit-Limit`, `RateLimit-Remaining` and"
    " `RateLimit-Reset`; past the limit the answer is 429 with `Retry-After`."
)
