"""Sending deliveries: claim what is due, sign, POST, log the attempt, retry or give up.

At least once: a delivery is claimed with a lease (its next_attempt_at pushed past the
attempt's timeout) and only settled once the answer is logged, so a worker killed during
the POST leaves it to come due again. In order per order: a delivery is only claimed when
nothing earlier for the same order and endpoint is still pending.
"""
from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timedelta

import aiohttp
import msgspec

from domain.webhooks import EVENT_ID_HEADER, RETRY_WINDOW_S, SIGNATURE_HEADER, retry_delay, signature_header
from server.catalogue.clock import now
from server.context import Context
from server.notifications.messages import register_kind
from server.notifications.service import notify, push_notifications
from server.webhooks import delivery_queries as queries, endpoint_queries
from server.webhooks.http import Answer, post
from server.webhooks.sealing import unseal
from server.webhooks.views import event_uuid

log = logging.getLogger(__name__)
LEASE_MARGIN_S = 5  # past the timeout, for the answer to be logged
RETRY_WINDOW = timedelta(seconds=RETRY_WINDOW_S)
register_kind("webhook.failing",
              fr=("Webhook en échec", "Les envois vers {url} échouent depuis 24 heures : un événement"
                  " a été abandonné. Vérifiez votre point de réception."),
              en=("Webhook failing", "Deliveries to {url} have failed for 24 hours: an event was"
                  " given up. Check your receiving endpoint."))


class Claim(msgspec.Struct, frozen=True):
    """One attempt about to be made, with what signing and sending it needs."""

    delivery_id: uuid.UUID
    attempt_id: int
    attempts: int
    created_at: datetime
    endpoint_id: uuid.UUID
    url: str
    secrets: list[str]
    headers: dict[str, str]
    body: bytes


async def claim(ctx: Context, limit: int) -> list[Claim]:
    at = now(ctx)
    lease = at + timedelta(seconds=ctx.settings.webhook_timeout_s + LEASE_MARGIN_S)
    claims = []
    async with ctx.db.acquire() as conn, conn.transaction():
        for row in await queries.claim_due(conn, at, lease, limit):
            endpoint = await endpoint_queries.signing(conn, row["endpoint_id"])
            attempt_id = await queries.start_attempt(conn, row["id"], at)
            claims.append(Claim(
                delivery_id=row["id"], attempt_id=attempt_id, attempts=row["attempts"],
                created_at=row["created_at"], endpoint_id=endpoint["id"], url=endpoint["url"],
                secrets=_secrets(ctx, endpoint, at), body=row["body"],
                headers={EVENT_ID_HEADER: str(event_uuid(row["event_id"])),
                         "CesiEats-Delivery-Id": str(row["id"])}))
    return claims


def _secrets(ctx: Context, endpoint, at: datetime) -> list[str]:
    """The current secret, then the previous one while its grace period runs."""
    sealed = [endpoint["secret"]]
    if endpoint["previous_secret"] is not None and endpoint["previous_until"] > at:
        sealed.append(endpoint["previous_secret"])
    return [unseal(ctx.settings, endpoint["id"], s) for s in sealed]


async def deliver(ctx: Context, session: aiohttp.ClientSession, job: Claim) -> Answer:
    """Sign with a fresh timestamp, POST, and record how it went."""
    stamp = int(time.time())
    headers = {**job.headers, SIGNATURE_HEADER: signature_header(job.secrets, stamp, job.body)}
    answer = await post(session, ctx.settings, job.url, job.body, headers)
    await record(ctx, job, answer)
    return answer


async def record(ctx: Context, job: Claim, answer: Answer) -> None:
    at = now(ctx)
    if answer.ok:
        status, next_at = "delivered", None
    elif at - job.created_at >= RETRY_WINDOW:
        status, next_at = "given_up", None
    else:
        status, next_at = "pending", at + timedelta(seconds=retry_delay(job.attempts))
    notes = []
    async with ctx.db.acquire() as conn, conn.transaction():
        await queries.finish_attempt(conn, job.attempt_id, at, answer.status_code, answer.error,
                                     answer.duration_ms, answer.excerpt, next_at)
        if not await queries.settle(conn, job.delivery_id, job.attempts, status, at, next_at):
            return  # taken over after its lease ran out: the newer attempt decides
        if answer.ok:
            await endpoint_queries.clear_failing(conn, job.endpoint_id)
        elif status == "given_up" and await endpoint_queries.mark_failing(conn, job.endpoint_id, at):
            notes.append(await _tell_owner(conn, job))
    _count(ctx, status if status != "pending" else "failed", answer)
    await push_notifications(ctx, notes)


async def _tell_owner(conn, job: Claim):
    endpoint = await endpoint_queries.signing(conn, job.endpoint_id)
    log.warning("webhook endpoint failing", extra={"endpoint_id": str(job.endpoint_id)})
    return await notify(conn, endpoint["user_id"], "webhook.failing", {"url": job.url},
                        {"endpoint_id": str(job.endpoint_id)})


def _count(ctx: Context, outcome: str, answer: Answer) -> None:
    metrics = ctx.extras.get("metrics")
    if metrics is not None:
        metrics.webhook_deliveries.labels(outcome=outcome).inc()
        metrics.webhook_latency.observe(answer.duration_ms / 1000)
