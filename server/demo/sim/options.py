"""What a simulation run is asked to do."""
from __future__ import annotations

import msgspec

from server.demo.seed import DEMO_PASSWORD


class SimOptions(msgspec.Struct, kw_only=True):
    """Scale, rates and pace; delays are real-life ones divided by `pace`."""

    base_url: str = "http://127.0.0.1:8080"
    customers: int = 40
    restaurants: int = 12
    couriers: int = 25
    rate: float = 4.0            # orders a minute, over all customers (Poisson arrivals)
    duration: float = 0.0        # seconds of new orders; 0: until Ctrl-C
    drain: float = 600.0         # seconds to let orders in flight finish after that
    seed: int = 1
    password: str = DEMO_PASSWORD
    pace: float = 1.0            # kitchens and customers act this many times faster than in life
    speed: float = 1.0           # couriers ride this many times faster than in town (capped)
    fix_interval: float = 3.0    # seconds between two GPS fixes
    refuse_rate: float = 0.05
    decline_rate: float = 0.15
    cancel_rate: float = 0.02
    max_trip_km: float | None = None  # customers order no farther than this (default: the radius)
    report: str | None = None    # write the summary as JSON here too
    progress_every: float = 2.0

    def paced(self, seconds: float) -> float:
        return seconds / self.pace
