"""A developer's webhook endpoints: created with a secret shown once, changed, rotated, removed."""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from msgspec import UNSET

from domain.errors import Conflict, NotFound
from domain.webhooks import MAX_ENDPOINTS, WebhookInput, WebhookPatch
from server.accounts.erasure import ERASERS
from server.catalogue.clock import now
from server.context import Context
from server.webhooks import endpoint_queries as queries
from server.webhooks.addresses import check_url
from server.webhooks.sealing import new_secret, seal
from server.webhooks.views import WebhookView, webhook_view

# After a rotation both secrets sign every delivery for this long, so receivers can switch.
ROTATION_GRACE = timedelta(hours=24)
GONE = "no such webhook endpoint"


async def create_endpoint(ctx: Context, user_id: uuid.UUID, data: WebhookInput) -> WebhookView:
    url = await check_url(data.url, ctx.settings)
    endpoint_id, secret = uuid.uuid4(), new_secret()
    events = sorted({str(e) for e in data.events})
    async with ctx.db.acquire() as conn, conn.transaction():
        await queries.lock_owner(conn, user_id)
        if await queries.count_for(conn, user_id) >= MAX_ENDPOINTS:
            raise Conflict(f"at most {MAX_ENDPOINTS} webhook endpoints; delete one first",
                           code="too-many-webhooks")
        row = await queries.insert(conn, endpoint_id, user_id, url, data.description.strip(),
                                   events, seal(ctx.settings, endpoint_id, secret))
    return webhook_view(row, secret)


async def list_endpoints(ctx: Context, user_id: uuid.UUID) -> list[WebhookView]:
    async with ctx.db.acquire() as conn:
        return [webhook_view(row) for row in await queries.list_for(conn, user_id)]


async def get_endpoint(ctx: Context, user_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookView:
    async with ctx.db.acquire() as conn:
        row = await queries.owned(conn, endpoint_id, user_id)
    if row is None:
        raise NotFound(GONE)
    return webhook_view(row)


async def update_endpoint(ctx: Context, user_id: uuid.UUID, endpoint_id: uuid.UUID,
                          patch: WebhookPatch) -> WebhookView:
    changes = await _changes(ctx, patch)
    secret = new_secret() if patch.rotate_secret else UNSET
    at = now(ctx)
    async with ctx.db.acquire() as conn, conn.transaction():
        row = await queries.owned(conn, endpoint_id, user_id, lock=True)
        if row is None:
            raise NotFound(GONE)
        if secret is not UNSET:
            current = await queries.signing(conn, endpoint_id)
            changes.update(secret=seal(ctx.settings, endpoint_id, secret),
                           previous_secret=current["secret"], previous_until=at + ROTATION_GRACE)
        row = await queries.update(conn, endpoint_id, changes, at)
    return webhook_view(row, secret)


async def _changes(ctx: Context, patch: WebhookPatch) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if patch.url is not UNSET:
        changes["url"] = await check_url(patch.url, ctx.settings)
    if patch.events is not UNSET:
        changes["events"] = sorted({str(e) for e in patch.events})
    if patch.description is not UNSET:
        changes["description"] = patch.description.strip()
    if patch.active is not UNSET:
        changes["active"] = patch.active
    return changes


async def delete_endpoint(ctx: Context, user_id: uuid.UUID, endpoint_id: uuid.UUID) -> None:
    """Its deliveries and their log go with it."""
    async with ctx.db.acquire() as conn:
        if not await queries.delete(conn, endpoint_id, user_id):
            raise NotFound(GONE)


async def erase_endpoints(conn, user_id: uuid.UUID) -> None:
    """An erased developer's endpoints go, with the events their log still holds."""
    await queries.delete_all_of(conn, user_id)


if erase_endpoints not in ERASERS:
    ERASERS.append(erase_endpoints)
