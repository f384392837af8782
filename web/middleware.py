"""Request id, one access-log line per request, and the one error middleware."""
from __future__ import annotations

import logging
import random
import re
import time

import aiohttp_jinja2
from aiohttp import web

from domain.errors import DomainError, RateLimited
from web.problem import problem_response

log = logging.getLogger(__name__)
access_log = logging.getLogger("cesi.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_ID = web.RequestKey("request_id", str)
# Request ids must be unique, not unguessable: a seeded generator, not a system call each.
_ids = random.Random()


def is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/")


@web.middleware
async def request_context(request: web.Request, handler):
    """Give each request an id (kept from X-Request-Id when sane) and log it once."""
    incoming = request.headers.get("X-Request-Id")
    request_id = incoming if incoming and _SAFE_ID.match(incoming) else f"{_ids.getrandbits(64):016x}"
    request[REQUEST_ID] = request_id
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers["X-Request-Id"] = request_id
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        if access_log.isEnabledFor(logging.INFO):
            _log_access(request, status, started, request_id)


def _log_access(request: web.Request, status: int, started: float, request_id: str) -> None:
    """The access line, without logging's search of the call stack for where it was logged."""
    access_log.handle(access_log.makeRecord(
        access_log.name, logging.INFO, __file__, 0, "request", (), None, extra={
            "method": request.method, "path": request.path, "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "request_id": request_id,
        }))


@web.middleware
async def errors(request: web.Request, handler):
    """Expected errors become problem+json or a page; unexpected ones never leak."""
    try:
        return await handler(request)
    except DomainError as exc:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return _error(request, exc.status, exc.detail, exc.title, exc.code, exc.errors, headers,
                      exc.extra)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        detail = exc.text if exc.text and not exc.text.startswith(str(exc.status)) else exc.reason
        return _error(request, exc.status, detail, exc.reason, "", [], _kept_headers(exc))
    except Exception:
        log.exception("unhandled error", extra={"request_id": request.get(REQUEST_ID)})
        return _error(request, 500, "Something went wrong on our side; it has been logged.",
                      "Internal server error", "internal", [], None)


def _kept_headers(exc: web.HTTPException) -> dict[str, str]:
    return {k: v for k, v in exc.headers.items() if k in ("Allow", "Retry-After", "WWW-Authenticate")}


def _error(request, status, detail, title, code, errors, headers, extra=None) -> web.StreamResponse:
    if is_api(request) or "text/html" not in request.headers.get("Accept", "text/html"):
        return problem_response(status, detail, title=title, code=code, errors=errors,
                                headers=headers, request_id=request.get(REQUEST_ID, ""), extra=extra)
    context = {"status": status, "title": title, "detail": detail,
               "request_id": request.get(REQUEST_ID, "")}
    response = aiohttp_jinja2.render_template("error.html", request, context, status=status)
    response.headers.update(headers or {})
    return response
