"""What an order change leaves to do once its transaction has committed."""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from server.context import Context
from server.events import Event, publish
from server.notifications.service import Notification, push_notifications
from server.orders import queries
from server.payments.service import capture_order, release_order

log = logging.getLogger(__name__)
AfterCommit = Callable[[], Awaitable[None]]


@dataclass(slots=True)
class Outcome:
    """Events to publish, people to tell, money to move, and hooks' follow-ups, after commit."""

    order_id: uuid.UUID
    payment_id: uuid.UUID
    events: list[Event] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    money: str | None = None  # "release" (void or refund) or "capture"
    then: list[AfterCommit] = field(default_factory=list)

    async def after_commit(self, ctx: Context) -> None:
        """Never raises: everything here is either in the outbox or retried by the worker."""
        await publish(ctx, self.events)
        await _logged(push_notifications(ctx, self.notifications), "notification push")
        if self.money:
            await _logged(settle(ctx, self.order_id, self.payment_id, self.money), "payment " + self.money)
        for follow_up in self.then:
            await _logged(follow_up(), "after-commit hook")


async def settle(ctx: Context, order_id: uuid.UUID, payment_id: uuid.UUID, money: str) -> bool:
    """Release (void or refund) or capture the hold, and note it on the order once done."""
    if money == "release":
        done, column = await release_order(ctx, payment_id) is not None, "released_at"
    else:
        done, column = await capture_order(ctx, payment_id), "captured_at"
    if done:
        async with ctx.db.acquire() as conn:
            await queries.mark_money_moved(conn, order_id, column)
    return done


async def _logged(step: Awaitable, what: str) -> None:
    try:
        await step
    except Exception:
        log.exception("%s failed after commit; the worker will retry what it must", what)
