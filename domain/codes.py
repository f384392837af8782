"""Pick-up and delivery codes: drawing, storing, checking, locking and QR codes."""
from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
import uuid
from typing import Protocol

import msgspec
import segno

from domain.errors import Conflict, Invalid

CODE_DIGITS = 6
MAX_ATTEMPTS = 5
QR_SCHEME = "cesieats"
_CODE = re.compile(r"[0-9]{6}")  # ASCII only: str.isdigit() would take "٣" or "³"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_MAX_QR_TEXT = 100


class CodeKind(enum.StrEnum):
    """Which hand-over a code confirms: restaurant to courier, or courier to customer."""

    pickup = "pickup"
    delivery = "delivery"


_KINDS = frozenset(CodeKind)


class RandomSource(Protocol):
    def randbelow(self, n: int) -> int: ...


class QrPayload(msgspec.Struct, frozen=True):
    """What a scanned code says."""

    kind: CodeKind
    order_id: uuid.UUID
    code: str


class CodeAttempts(msgspec.Struct, frozen=True):
    """Wrong tries so far against one code; at MAX_ATTEMPTS the code is locked."""

    failures: int = 0

    @property
    def locked(self) -> bool:
        return self.failures >= MAX_ATTEMPTS

    @property
    def remaining(self) -> int:
        return max(0, MAX_ATTEMPTS - self.failures)

    def attempt(self, given: str, stored_hash: str, pepper: bytes | str) -> tuple[bool, CodeAttempts]:
        """Check `given`; return whether it matched and the attempts to store next."""
        if self.locked:
            # Six digits fall to guessing: a locked code stays locked whatever is typed.
            raise Conflict("too many wrong codes; ask for help", code="code-locked")
        if check_code(given, stored_hash, pepper):
            return True, self
        return False, CodeAttempts(self.failures + 1)


def new_code(rng: RandomSource = secrets) -> str:
    """Six uniformly drawn digits, leading zeros kept."""
    return f"{rng.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(code: str, pepper: bytes | str) -> str:
    """HMAC-SHA256 of the code under the server's secret: the stored form of a code."""
    key = pepper.encode() if isinstance(pepper, str) else pepper
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def check_code(given: str, stored_hash: str, pepper: bytes | str) -> bool:
    """Whether `given` (spaces allowed, as read aloud in groups) is the stored code."""
    candidate = "".join(given.split())
    # Malformed input is hashed too, so the answer takes the same time either way.
    return hmac.compare_digest(hash_code(candidate, pepper), stored_hash)


def qr_payload(kind: CodeKind, order_id: uuid.UUID, code: str) -> str:
    """The text a QR code carries, e.g. "cesieats:delivery:<order uuid>:<code>"."""
    if not _CODE.fullmatch(code):
        raise Invalid(errors=[{"field": "code", "message": "must be 6 digits"}])
    return f"{QR_SCHEME}:{CodeKind(kind)}:{uuid.UUID(str(order_id))}:{code}"


def parse_qr_payload(text: str) -> QrPayload:
    """Read a scanned text; anything but a payload made by `qr_payload` is refused."""
    parts = text.split(":") if len(text) <= _MAX_QR_TEXT else []
    if len(parts) != 4 or parts[0] != QR_SCHEME or parts[1] not in _KINDS:
        raise _bad_qr()
    if not _UUID.fullmatch(parts[2]) or not _CODE.fullmatch(parts[3]):
        raise _bad_qr()
    return QrPayload(CodeKind(parts[1]), uuid.UUID(parts[2]), parts[3])


def qr_svg(payload: str) -> str:
    """The payload as an inline SVG QR code (no XML prolog, ready to put in a page)."""
    return segno.make_qr(payload, error="m").svg_inline(scale=4)


def _bad_qr() -> Invalid:
    return Invalid("this is not a CESI EATS code", errors=[{"field": "qr", "message": "is not a CESI EATS code"}])
