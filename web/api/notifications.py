"""/api/v1/me/notifications: the signed-in person's notification centre."""
from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from aiohttp import web

from domain.errors import NotFound
from server.keys import CONTEXT
from server.notifications.service import Notification, NotificationPage, list_notifications, mark_read
from web.auth import principal_of, requires
from web.decode import query_as
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()
TAGS = ("me",)


class NotificationQuery(msgspec.Struct, forbid_unknown_fields=True):
    cursor: str | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 20


@routes.get("/api/v1/me/notifications")
@endpoint("Your notifications", tags=TAGS, query=NotificationQuery, response=NotificationPage,
          errors=(401, 422), description="Newest first, with the number still unread. New ones"
                                         " also arrive live as the socket event `notification`.")
@requires()
async def get_notifications(request: web.Request) -> web.Response:
    query = query_as(request, NotificationQuery)
    page = await list_notifications(request.app[CONTEXT], principal_of(request).user_id,
                                    query.cursor, query.limit)
    return json_response(page)


@routes.post("/api/v1/me/notifications/{id}/read")
@endpoint("Mark a notification as read", tags=TAGS, response=Notification, errors=(401, 404))
@requires()
async def read_notification(request: web.Request) -> web.Response:
    try:
        notification_id = uuid.UUID(request.match_info["id"])
    except ValueError:
        raise NotFound("no such notification") from None
    note = await mark_read(request.app[CONTEXT], principal_of(request).user_id, notification_id)
    return json_response(note)
