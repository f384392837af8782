"""GPS intake: a fix is checked, kept, buffered for the track, and shown to the orders carried.

Fixes are handled in batches: those that arrive within BATCH_WINDOW_S of the first, or while
the previous batch is with Redis, go together, in one script that keeps them and publishes
the positions. Each round trip costs the node more than the work on a few fixes, so the short
wait cuts what a fix costs by a fifth; a courier sends one every few seconds, so nobody sees
it. One batch at a time per node, in arrival order, so each fix of a courier is checked
against what the one before left (the rate limit is read-modify-write) without a lock per
courier. Any node can take a courier's next fix: the state lives in Redis. The node judges a
courier it saved before on the state it saved, and reads only the others' (one round trip);
Redis keeps a fix only if the courier's revision is still the one it was judged on, so a
change made meanwhile (an assignment, going offline, a fix taken by another node) sends the
fix back to be judged again on what Redis holds.
"""
from __future__ import annotations

import asyncio
import itertools
import uuid
from datetime import UTC, datetime

from domain.errors import Conflict, Invalid, RateLimited
from domain.eta import eta_seconds, recent_speed
from domain.gps import AcceptedFix, FixRefusal, FixVerdict, GpsFix, check_fix
from server.catalogue.clock import now as clock
from server.context import Context
from server.couriers import live_store
from server.couriers.live_store import CourierState, FixSave, Leg, TrailPoint
from server.couriers.restore import forgotten, restored
from server.couriers.tracks import track_buffer
from server.couriers.views import EtaView, Location
from server.live.access import room
from server.live.publish import live_message

BATCH_MOST = 500          # fixes per round trip: a bigger backlog waits for the next one
BATCH_WINDOW_S = 0.020    # how long the first fix of a batch waits for others
MOST_SEEN = 50_000        # couriers whose last saved state the node keeps
# ...and all of them are read again this often: a writer that does not replace `rev` (a node
# of the release before, during a rolling deploy) is seen within that time.
SEEN_FOR_S = 30.0
ATTEMPTS = 3              # judgements of a fix whose courier changes under it, before giving up
Pending = tuple[uuid.UUID, GpsFix, asyncio.Future]


class FixIntake:
    """The node's queue of fixes and the one task that takes them to Redis, batch after batch."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.orders_channel = ctx.key("room", room("order", ""))  # + an order's id: its room's channel
        self.waiting: list[Pending] = []
        # Online couriers' states as this node last saved them: the next fix is judged on that,
        # and Redis keeps it only if the revision still matches, so no read before each batch.
        self.seen: dict[uuid.UUID, CourierState] = {}
        self.seen_since = 0.0  # the loop's time when `seen` was last emptied
        # One connection held for the batches, which never overlap: a pool's checkout and
        # return would cost more than a small batch's own work.
        self.redis = ctx.redis.client()
        self._task: asyncio.Task | None = None
        self._counters: dict[str, object] = {}

    def submit(self, courier_id: uuid.UUID, fix: GpsFix) -> asyncio.Future:
        """A future for the fix's verdict; its batch starts BATCH_WINDOW_S after the first fix."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.waiting.append((courier_id, fix, future))
        if self._task is None:
            self._task = loop.create_task(self._drain(), name="gps-intake")
        return future

    async def _drain(self) -> None:
        try:
            await asyncio.sleep(BATCH_WINDOW_S)
            while self.waiting:
                batch, self.waiting = self.waiting[:BATCH_MOST], self.waiting[BATCH_MOST:]
                try:
                    await self._handle(batch)
                except Exception as exc:  # Redis away: each fix of the batch is answered with it
                    for courier_id, _, future in batch:
                        self.seen.pop(courier_id, None)  # judged, maybe changed, never saved
                        _answer(future, error=exc)
        finally:
            self._task = None

    async def close(self) -> None:
        """At shutdown, once the last batch is answered: the held connection goes back."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        await self.redis.aclose()

    async def _handle(self, batch: list[Pending], attempt: int = 1) -> None:
        ctx, seen = self.ctx, self.seen
        if (now := asyncio.get_running_loop().time()) - self.seen_since > SEEN_FOR_S:
            seen.clear()
            self.seen_since = now
        unseen = [courier_id for courier_id in dict.fromkeys(courier_id for courier_id, _, _ in batch)
                  if courier_id not in seen]
        loaded = dict(zip(unseen, await live_store.load_many(ctx, unseen, self.redis))) if unseen else {}
        at = clock(ctx)
        now_ms = at.timestamp() * 1000
        saves: list[FixSave] = []
        judged: list[tuple[Pending, FixVerdict, tuple | None, CourierState]] = []
        for pending in batch:
            courier_id, fix, future = pending
            state = loaded.get(courier_id) or seen[courier_id]
            if courier_id in loaded and forgotten(state):
                try:
                    state = loaded[courier_id] = await restored(ctx, courier_id, state)
                except Exception as exc:
                    _answer(future, error=exc)
                    continue
            if not state.online:  # only a state just read can say so: the node keeps online ones
                _answer(future, error=Conflict("go online before sending your position", code="offline"))
                continue
            verdict = check_fix(fix, state.fix, now_ms)
            if verdict.state is None:  # a first fix refused: no fix kept yet, so a state just read
                self._count(verdict)
                _answer(future, verdict)
                continue
            judged_on, state.rev = state.rev, live_store.revision()
            state.fix, messages, trail, row = verdict.state, [], None, None
            if verdict.accepted:
                point = TrailPoint(fix.lat, fix.lng, fix.ts)
                trail = state.trail = [*state.trail[-live_store.TRAIL + 1:], point]
                messages = _shown(self.orders_channel, state, fix, at)
                row = (courier_id, datetime.fromtimestamp(fix.ts / 1000, UTC), fix.lat, fix.lng,
                       fix.heading, fix.speed, fix.accuracy, at)
            saves.append(FixSave(courier_id, verdict.state, trail, messages, judged_on, state.rev))
            judged.append((pending, verdict, row, state))
        kept = await live_store.save_fixes(ctx, saves, self.redis)
        buffer = track_buffer(ctx)
        again: set[uuid.UUID] = set()  # couriers whose fixes are judged again on a fresh state
        for ((courier_id, _, future), verdict, row, state), saved in zip(judged, kept):
            if not saved:  # changed since it was judged (on any node): judged again on what Redis holds
                again.add(courier_id)
                continue
            self._keep(courier_id, state)
            if row is not None:
                buffer.add(row)
            self._count(verdict)
            _answer(future, verdict)
        if again:
            for courier_id in again:
                seen.pop(courier_id, None)
            await self._again([pending for pending in batch if pending[0] in again], attempt)

    async def _again(self, batch: list[Pending], attempt: int) -> None:
        if attempt < ATTEMPTS:
            return await self._handle(batch, attempt + 1)
        for _, _, future in batch:  # the courier's state kept changing under each try
            _answer(future, error=Conflict("your position crossed another change; send it again",
                                           code="busy"))

    def _keep(self, courier_id: uuid.UUID, state: CourierState) -> None:
        """The state just saved, to judge the courier's next fix on without reading it back."""
        seen = self.seen
        if courier_id not in seen:
            if len(seen) >= MOST_SEEN:  # the longest-kept quarter goes
                for stale in list(itertools.islice(seen, MOST_SEEN // 4)):
                    del seen[stale]
            seen[courier_id] = state

    def _count(self, verdict: FixVerdict) -> None:
        """Into cesi_gps_fixes, the label's child looked up once per outcome."""
        outcome = "accepted" if verdict.accepted else str(verdict.reason)
        counter = self._counters.get(outcome)
        if counter is None:
            metrics = self.ctx.extras.get("metrics")
            if metrics is None:
                return
            counter = self._counters[outcome] = metrics.gps_fixes.labels(outcome=outcome)
        counter.inc()


def _answer(future: asyncio.Future, verdict: FixVerdict | None = None, *,
            error: Exception | None = None) -> None:
    """Unless its sender stopped waiting (a request cancelled): then nobody is left to tell."""
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(verdict)


def _shown(orders_channel: str, state: CourierState, fix: GpsFix, at: datetime) -> list[tuple[str, bytes]]:
    """The courier.location message for the room of each order the courier carries."""
    return [(orders_channel + live_store.id_text(leg.order_id),
             live_message("courier.location", location_of(leg, state, at, heading=fix.heading), at=at))
            for leg in state.legs]


def intake_of(ctx: Context) -> FixIntake:
    intake = ctx.extras.get("gps_intake")
    if intake is None:
        intake = ctx.extras["gps_intake"] = FixIntake(ctx)
    return intake


async def receive_fix(ctx: Context, courier_id: uuid.UUID, fix: GpsFix) -> FixVerdict:
    """Check one fix against the courier's last believed one; a refusal changes nothing but the rate."""
    return await intake_of(ctx).submit(courier_id, fix)


def refusal_error(verdict: FixVerdict) -> Exception:
    """The problem a refused fix answers with: 429 for too many, 422 for an unbelievable one."""
    reason = verdict.reason or FixRefusal.implausible_speed
    if reason == FixRefusal.too_frequent:
        return RateLimited("too many positions; send one every few seconds")
    return Invalid(f"this position was not believed: {reason}", code=str(reason),
                   errors=[{"field": "ts" if "timestamp" in reason or reason == "out-of-order" else "lat",
                            "message": str(reason)}])


def location_of(leg: Leg, state: CourierState, at: datetime, *, heading: float | None = None) -> Location:
    """Where the courier is for this order, and when they should reach the restaurant and the door."""
    fix: AcceptedFix = state.fix
    eta = None
    if leg.dropoff is not None:
        speed = recent_speed(state.trail)
        found = eta_seconds(fix, leg.pickup, leg.dropoff, state.vehicle,  # the fix has a Position's lat, lng
                            now=at, speed_mps=speed, ready_at=leg.ready_at, picked_up=leg.picked_up)
        eta = EtaView(to_restaurant_s=found.to_restaurant_s, to_customer_s=found.to_customer_s,
                      arrives_at=found.arrives_at)
    return Location(order_id=leg.order_id, delivery_id=leg.delivery_id, lat=fix.lat, lng=fix.lng,
                    at=datetime.fromtimestamp(fix.ts / 1000, UTC), accuracy=fix.accuracy, heading=heading,
                    phase="to_customer" if leg.picked_up else "to_restaurant", eta=eta)
