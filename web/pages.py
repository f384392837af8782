"""HTML pages: the template engine set-up and the public pages."""
from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from web import i18n

routes = web.RouteTableDef()
TEMPLATES_DIR = Path(__file__).parent / "templates"


def setup_templates(app: web.Application) -> None:
    """Jinja2 with autoescape and gettext bound to the request's language.

    No context processors: their middleware would run on every request, API calls
    included; the language middleware (web.i18n) hands pages their `lang` and `languages`.
    """
    env = aiohttp_jinja2.setup(
        app, loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        extensions=["jinja2.ext.i18n"], autoescape=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)


@routes.get("/", name="home")
@aiohttp_jinja2.template("home.html")
async def home(request: web.Request) -> dict:
    return {}
