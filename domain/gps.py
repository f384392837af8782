"""Courier GPS fixes: what a fix looks like and which fixes are believed."""
from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from domain.geo import Latitude, Longitude, Position, fast_distance_m

Heading = Annotated[float, msgspec.Meta(ge=0.0, le=360.0, description="Degrees clockwise from north.")]
Speed = Annotated[float, msgspec.Meta(ge=0.0, le=70.0, description="Metres per second.")]
Accuracy = Annotated[float, msgspec.Meta(ge=0.0, le=5000.0, description="Metres (68 % radius).")]
# A float field also takes JSON integers, so devices may send whole or fractional ms.
UnixMillis = Annotated[float, msgspec.Meta(gt=0.0, description="Unix time in milliseconds.")]

MAX_AHEAD_MS = 30_000          # device clocks drift; more than this is a wrong clock
MAX_AGE_MS = 5 * 60_000        # older fixes say nothing about where the courier is now
MAX_SPEED_MPS = 60.0           # 216 km/h: faster is a glitch, not a courier
BURST = 5.0                    # fixes a courier may send at once...
REFILL_PER_S = 5.0             # ...and 5 per second on average


class GpsFix(msgspec.Struct, frozen=True):
    """One position report from a courier's device, as decoded from the socket or REST."""

    lat: Latitude
    lng: Longitude
    ts: UnixMillis
    heading: Heading | None = None
    speed: Speed | None = None
    accuracy: Accuracy | None = None

    @property
    def position(self) -> Position:
        """The fix's point."""
        return Position(self.lat, self.lng)


class AcceptedFix(msgspec.Struct, frozen=True):
    """The last believed fix of a courier and the state of their rate limit."""

    lat: float
    lng: float
    ts: float
    accuracy: float | None
    tokens: float
    refilled_ms: float


class FixRefusal(enum.StrEnum):
    """Why a fix was not believed."""

    too_frequent = "too-frequent"
    future = "future-timestamp"
    stale = "stale-timestamp"
    out_of_order = "out-of-order"
    implausible_speed = "implausible-speed"


class FixVerdict(msgspec.Struct, frozen=True):
    """The answer for one fix; `state` is what to keep for the next call (None: nothing yet)."""

    accepted: bool
    reason: FixRefusal | None
    state: AcceptedFix | None


def check_fix(fix: GpsFix, previous: AcceptedFix | None, now_ms: float) -> FixVerdict:
    """Accept or refuse `fix` given the courier's last accepted fix and the server clock."""
    tokens = _tokens(previous, now_ms)
    if tokens < 1.0:
        return _refuse(FixRefusal.too_frequent, previous, tokens, now_ms)
    tokens -= 1.0  # refused fixes pay too, or a flood of bad fixes would be free
    reason = _timing_problem(fix, previous, now_ms) or _speed_problem(fix, previous)
    if reason is not None:
        return _refuse(reason, previous, tokens, now_ms)
    state = AcceptedFix(fix.lat, fix.lng, fix.ts, fix.accuracy, tokens, now_ms)
    return FixVerdict(True, None, state)


def _tokens(previous: AcceptedFix | None, now_ms: float) -> float:
    """Tokens in the courier's bucket at `now_ms`."""
    if previous is None:
        return BURST
    elapsed = max(0.0, now_ms - previous.refilled_ms)
    return min(BURST, previous.tokens + elapsed * REFILL_PER_S / 1000.0)


def _timing_problem(fix: GpsFix, previous: AcceptedFix | None, now_ms: float) -> FixRefusal | None:
    """A reason to refuse the fix's timestamp, if any."""
    if fix.ts > now_ms + MAX_AHEAD_MS:
        return FixRefusal.future
    if fix.ts < now_ms - MAX_AGE_MS:
        return FixRefusal.stale
    if previous is not None and fix.ts <= previous.ts:
        return FixRefusal.out_of_order
    return None


def _speed_problem(fix: GpsFix, previous: AcceptedFix | None) -> FixRefusal | None:
    """Refuse a jump faster than any courier, unless both fixes' error radii explain it."""
    if previous is None:
        return None
    moved = fast_distance_m(previous, fix)  # both have the lat and lng a Position has
    slack = (previous.accuracy or 0.0) + (fix.accuracy or 0.0)
    seconds = (fix.ts - previous.ts) / 1000.0
    if moved - slack > MAX_SPEED_MPS * seconds:
        return FixRefusal.implausible_speed
    return None


def _refuse(reason: FixRefusal, previous: AcceptedFix | None, tokens: float, now_ms: float) -> FixVerdict:
    """A refusal that keeps the last accepted fix and records the bucket's new level."""
    if previous is None:
        return FixVerdict(False, reason, None)
    return FixVerdict(False, reason, msgspec.structs.replace(previous, tokens=tokens, refilled_ms=now_ms))
