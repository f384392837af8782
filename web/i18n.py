"""French first, English second: gettext catalogs (.po, read with Babel) per request."""
from __future__ import annotations

import contextvars
import warnings
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web
from babel.messages.pofile import read_po

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LOCALES_DIR = Path(__file__).parent / "locales"
_current = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)
LANG = web.RequestKey("lang", str)
# aiohttp_jinja2 reads a page's extra context under its own plain-string request key
warnings.filterwarnings("ignore", category=web.NotAppKeyWarning, module=__name__)


def _load_catalogs() -> dict[str, dict[str, str]]:
    catalogs: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        path = LOCALES_DIR / f"{language}.po"
        if not path.exists():
            catalogs[language] = {}
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        catalogs[language] = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    return catalogs


_CATALOGS = _load_catalogs()


def gettext(message: str) -> str:
    """Translate into the current request's language; unknown messages pass through."""
    return _CATALOGS.get(_current.get(), {}).get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def translate(message: str, language: str) -> str:
    """Translate for someone other than the current request (e.g. a notification)."""
    return _CATALOGS.get(language, {}).get(message, message)


def current_language() -> str:
    return _current.get()


def _asked_in_query(request: web.Request) -> str | None:
    if not request.query_string:  # nothing to parse; otherwise parsed once, for the handler too
        return None
    candidate = request.query.get("lang")
    return candidate if candidate in LANGUAGES else None


def _from_cookie(request: web.Request) -> str | None:
    if "Cookie" not in request.headers:  # no cookie parser made for nothing
        return None
    candidate = request.cookies.get("lang")
    return candidate if candidate in LANGUAGES else None


# Accept-Language values seen, with the language each gives: browsers send few distinct ones.
_ACCEPTED: dict[str, str] = {}
_ACCEPTED_KEPT = 512


def _accepted(header: str) -> str:
    chosen = _ACCEPTED.get(header)
    if chosen is None:
        chosen = _first_known(header)
        if len(_ACCEPTED) < _ACCEPTED_KEPT:
            _ACCEPTED[header] = chosen
    return chosen


def _first_known(header: str) -> str:
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


@web.middleware
async def language(request: web.Request, handler):
    """Set the request's language, for gettext and the page templates: ?lang= first
    (remembered in a cookie), then the cookie, then Accept-Language, then French."""
    asked = _asked_in_query(request)
    chosen = asked or _from_cookie(request) or _accepted(request.headers.get("Accept-Language", ""))
    request[LANG] = chosen
    # what every page template shows: rendering merges it into the page's own context
    request[aiohttp_jinja2.REQUEST_CONTEXT_KEY] = {"lang": chosen, "languages": LANGUAGES}
    token = _current.set(chosen)
    try:
        response = await handler(request)
    finally:
        _current.reset(token)
    if asked and hasattr(response, "set_cookie"):
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax", path="/")
    return response
