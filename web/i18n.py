"""French first, English second: gettext catalogs (.po, read with Babel) per request."""
from __future__ import annotations

import contextvars
from pathlib import Path

from aiohttp import web
from babel.messages.pofile import read_po

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LOCALES_DIR = Path(__file__).parent / "locales"
_current = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)
LANG = web.RequestKey("lang", str)


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


def choose_language(request: web.Request) -> str:
    """?lang= first, then the cookie, then Accept-Language, then French."""
    for candidate in (request.query.get("lang"), request.cookies.get("lang")):
        if candidate in LANGUAGES:
            return candidate
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


@web.middleware
async def language(request: web.Request, handler):
    """Set the request's language; an explicit ?lang= is remembered in a cookie."""
    chosen = choose_language(request)
    request[LANG] = chosen
    token = _current.set(chosen)
    try:
        response = await handler(request)
    finally:
        _current.reset(token)
    if request.query.get("lang") in LANGUAGES and hasattr(response, "set_cookie"):
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax", path="/")
    return response
