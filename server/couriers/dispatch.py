"""Dispatch: a delivery opens when the restaurant accepts, then goes to one courier at a time.

Each step runs inside a transaction holding the delivery's row lock; what must reach people
(the offer, alerts) is returned as follow-ups for the caller to run after the commit.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Awaitable, Callable

import asyncpg

from domain.delivery import Delivery
from domain.dispatch import rank_candidates, search_step
from domain.earnings import pay_for_distance_cents
from domain.geo import Position, distance_m, fast_distance_m
from server.catalogue.clock import now as clock
from server.context import Context
from server.couriers import alerts, candidates, codes, offer_claims, queries
from server.couriers.journal import record_event
from server.couriers.views import Offer, place_of_restaurant
from server.events import publish
from server.live.access import room
from server.live.publish import push

log = logging.getLogger(__name__)
Later = Callable[[], Awaitable[None]]
RETRY_S = 10   # how soon a search that found nobody looks again


async def open_delivery(conn: asyncpg.Connection, ctx: Context, order: asyncpg.Record) -> Later | None:
    """The orders' ON_ACCEPTED hook: the delivery and its codes, in the accepting transaction."""
    if await queries.by_order(conn, order["id"]) is not None:
        return None
    spot = await conn.fetchrow("SELECT lat, lng FROM restaurants WHERE id = $1", order["restaurant_id"])
    at = clock(ctx)
    delivery, event = Delivery.open(uuid.uuid4(), order["id"], at=at)
    await queries.insert(conn, _new_row(ctx, delivery.id, order, Position(lat=spot["lat"], lng=spot["lng"]),
                                        delivery.seq, at))
    stored = await record_event(conn, event, order["restaurant_id"])

    async def after_commit() -> None:
        await publish(ctx, [stored])
        await dispatch_now(ctx, delivery.id)
    return after_commit


def _new_row(ctx: Context, delivery_id: uuid.UUID, order: asyncpg.Record, pickup: Position, seq: int,
             at: datetime) -> dict:
    """The columns of a new delivery: where from and to, the pay, the codes' nonce and hashes."""
    trip = order["distance_m"]
    if order["delivery_lat"] is not None:
        trip = round(distance_m(pickup, Position(lat=order["delivery_lat"], lng=order["delivery_lng"])))
    nonce = codes.new_nonce()
    pickup_hash, delivery_hash = codes.stored_hashes(ctx.settings, nonce)
    return {"id": delivery_id, "order_id": order["id"], "restaurant_id": order["restaurant_id"], "seq": seq,
            "at": at, "pickup_lat": pickup.lat, "pickup_lng": pickup.lng, "dropoff_lat": order["delivery_lat"],
            "dropoff_lng": order["delivery_lng"], "distance_m": trip, "pay_cents": pay_for_distance_cents(trip),
            "code_nonce": nonce, "pickup_code_hash": pickup_hash, "delivery_code_hash": delivery_hash}


async def dispatch_now(ctx: Context, delivery_id: uuid.UUID) -> None:
    """Offer a delivery that is waiting for nobody in particular (the worker retries on failure)."""
    async with ctx.db.acquire() as conn:
        async with conn.transaction():
            row = await queries.by_id(conn, delivery_id, lock=True)
            if row is None or row["status"] != "searching" or row["offered_to"] is not None:
                return
            later = await offer_next(conn, ctx, row)
    await run_later(later)


async def offer_next(conn: asyncpg.Connection, ctx: Context, row: asyncpg.Record) -> list[Later]:
    """Offer to the best courier who has not declined, widening the search; alert once at the widest."""
    if row["order_status"] in ("cancelled", "refused"):
        return []  # the offer timer cancels the delivery itself
    at = clock(ctx)
    timeout = ctx.settings.courier_offer_timeout_s
    batch = await candidates.batch_courier(conn, ctx, row)
    if batch is not None and await offer_claims.take(ctx, batch[0], row["id"], timeout):
        fix = batch[1].fix
        position = Position(lat=fix.lat, lng=fix.lng) if fix else candidates.pickup_of(row)
        return await _offer(conn, ctx, row, batch[0], position, row["search_round"], batched=True)
    found = await candidates.free_nearby(ctx, row, at)
    round_no = row["search_round"]
    while True:
        step = search_step(round_no)
        for ranked in rank_candidates(candidates.pickup_of(row), found, step.radius_m):
            courier_id = ranked.candidate.courier_id
            if await offer_claims.take(ctx, courier_id, row["id"], timeout):
                return await _offer(conn, ctx, row, courier_id, ranked.candidate.position, round_no)
        if step.alert_staff:
            return await _nobody(conn, ctx, row, round_no, at)
        round_no += 1


async def _nobody(conn: asyncpg.Connection, ctx: Context, row: asyncpg.Record, round_no: int,
                  at: datetime) -> list[Later]:
    """Nobody at the widest radius: look again soon, and alert staff the first time."""
    await queries.set_offer(conn, row["id"], None, None, at + timedelta(seconds=RETRY_S), round_no,
                            row["pay_cents"], row["batched"])
    count_offer(ctx, "nobody")
    if row["staff_alerted_at"] is None:
        return await alerts.nobody_found(conn, ctx, row, at)
    return []


async def _offer(conn: asyncpg.Connection, ctx: Context, row: asyncpg.Record, courier_id: uuid.UUID,
                 position: Position, round_no: int, *, batched: bool = False) -> list[Later]:
    at = clock(ctx)
    timeout = ctx.settings.courier_offer_timeout_s
    expires_at = at + timedelta(seconds=timeout)
    pay = pay_for_distance_cents(row["distance_m"], batched=batched)
    await queries.set_offer(conn, row["id"], courier_id, expires_at, expires_at, round_no, pay, batched)
    offer = offer_of(row, position, pay=pay, batched=batched, expires_at=expires_at, timeout_s=timeout)
    count_offer(ctx, "offered")

    async def send() -> None:
        await push(ctx, room("user", courier_id), "delivery.offer", offer, at=at)
    return [send]


def offer_of(row: asyncpg.Record, position: Position | None, *, pay: int, batched: bool,
             expires_at: datetime, timeout_s: int) -> Offer:
    """The offer as the courier sees it: no customer address before they take it."""
    distance = fast_distance_m(position, candidates.pickup_of(row)) if position else 0
    return Offer(delivery_id=row["id"], order_id=row["order_id"], restaurant=place_of_restaurant(row),
                 distance_to_restaurant_m=round(distance), trip_m=row["distance_m"], pay_cents=pay,
                 batched=batched, expires_at=expires_at, timeout_s=timeout_s)


async def run_later(later: list[Later]) -> None:
    """Follow-ups after a commit; a failure is logged: the timers recover what matters."""
    for step in later:
        try:
            await step()
        except Exception:
            log.exception("dispatch follow-up failed")


def count_offer(ctx: Context, outcome: str) -> None:
    metrics = ctx.extras.get("metrics")
    if metrics is not None:
        metrics.dispatch_offers.labels(outcome=outcome).inc()
