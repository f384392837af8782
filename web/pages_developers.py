"""The developer portal: API keys now, webhooks beside them later."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from domain.api_keys import SCOPE_DESCRIPTIONS
from domain.webhooks import WebhookEvent

routes = web.RouteTableDef()


@routes.get("/developers", name="developers")
@aiohttp_jinja2.template("developers.html")
async def developers(request: web.Request) -> dict:
    # the page is a shell: the browser fetches the keys with the person's own token
    return {"scopes": list(SCOPE_DESCRIPTIONS.items()),
            "webhook_events": [str(event) for event in WebhookEvent]}
