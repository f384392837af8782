"""A courier's answer to a delivery offer, within its time limit."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from server.demo.sim.handover import job_of

if TYPE_CHECKING:
    from server.demo.sim.courier import Courier

GONE = frozenset({"offer-gone", "no-offer"})   # the offer expired or went elsewhere meanwhile


async def answer_offer(courier: Courier, payload: dict) -> None:
    """Think a moment, then take the delivery, or say no: busy with another, or not tempted."""
    offer = payload.get("data") or {}
    courier.stats.count("offers")
    think = min(courier.options.paced(courier.rng.uniform(2, 10)), offer.get("timeout_s", 30) / 2)
    await asyncio.sleep(think)
    busy = bool(courier.jobs) and not offer.get("batched")
    if courier.stopping or busy or (courier.rng.random() < courier.options.decline_rate
                                    and courier.world.may_decline(offer["delivery_id"])):
        await courier.live.call("offer.decline", {"delivery_id": offer["delivery_id"]}, benign=GONE)
        courier.stats.count("offers_declined")
        return
    ack = await courier.live.call("offer.accept", {"delivery_id": offer["delivery_id"]}, benign=GONE)
    if ack is not None:
        courier.stats.count("offers_accepted")
        courier.jobs[offer["delivery_id"]] = job_of(ack["delivery"])
        courier.changed.set()
