"""The tech staff's component page: publish, remove, and the download log.

A shell like the other staff pages: its script calls the tech-only API with the person's token.
"""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from web.i18n import gettext as _

routes = web.RouteTableDef()
_TEXTS = {
    "signIn": "Sign in with a staff account to see this page.",
    "techOnly": "This page is for the technical staff.",
    "published": "Published", "removed": "Removed", "noComponents": "No component published yet.",
    "noDownloads": "No component downloads yet.", "confirmVersion": "Remove this version?",
    "confirmAll": "Remove every version of this component? Their numbers stay taken.",
    "removeVersion": "Remove", "removeAll": "Remove all", "download": "Download",
    "pickFile": "Choose a .tgz file.",
}


@routes.get("/staff/components")
@aiohttp_jinja2.template("staff/components.html")
async def components_page(request: web.Request) -> dict:
    return {"messages": {key: _(text) for key, text in _TEXTS.items()}}
