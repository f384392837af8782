"""What a simulation run is asked to do."""
from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from server.demo.seed import DEMO_PASSWORD

Count = Annotated[int, Meta(ge=0, le=10_000)]
Share = Annotated[float, Meta(ge=0, le=1)]
Positive = Annotated[float, Meta(gt=0)]


class SimOptions(msgspec.Struct, kw_only=True):
    """Scale, rates and pace; delays are real-life ones divided by `pace`."""

    base_url: str = "http://127.0.0.1:8080"
    customers: Count = 40
    restaurants: Count = 12
    couriers: Count = 25
    rate: Annotated[float, Meta(ge=0)] = 4.0   # orders a minute, over all customers (Poisson arrivals)
    duration: Annotated[float, Meta(ge=0)] = 0.0  # seconds of new orders; 0: until Ctrl-C
    drain: Annotated[float, Meta(ge=0)] = 600.0   # seconds to let orders in flight finish after that
    seed: int = 1
    password: str = DEMO_PASSWORD
    pace: Positive = 1.0           # kitchens and customers act this many times faster than in life
    speed: Positive = 1.0          # couriers ride this many times faster than in town (capped)
    fix_interval: Annotated[float, Meta(ge=0.25)] = 3.0  # seconds between GPS fixes (the server takes 5 a second)
    refuse_rate: Share = 0.05
    decline_rate: Share = 0.15
    cancel_rate: Share = 0.02
    max_trip_km: Positive | None = None  # customers order no farther than this (default: the radius)
    report: str | None = None      # write the summary as JSON here too
    progress_every: Positive = 2.0

    def paced(self, seconds: float) -> float:
        return seconds / self.pace
