"""A delivery's two codes: derived from a random nonce and the secret key, kept only as hashes.

The holder of a code must be able to see it again (the customer reloads the order page),
yet a copy of the database alone must not reveal it: the code is drawn from an HMAC of the
delivery's nonce under a key derived from SECRET_KEY, and only its peppered hash is stored.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

import asyncpg
import msgspec

from domain.codes import CodeAttempts, CodeKind, hash_code, new_code, parse_qr_payload, qr_payload, qr_svg
from domain.errors import Invalid
from server.settings import Settings

NONCE_BYTES = 16


class CodeView(msgspec.Struct):
    """A code as its holder sees it: digits to read out and a QR code to show."""

    kind: CodeKind
    code: str
    qr_payload: str
    qr_svg: str


class CodeInput(msgspec.Struct, forbid_unknown_fields=True):
    """The code typed (`code`, spaces allowed) or the text of the scanned QR code (`qr`)."""

    code: str | None = None
    qr: str | None = None


class _Drawn:
    """A random source whose draws are fixed by the nonce: the same code every time it is asked."""

    def __init__(self, key: bytes, nonce: bytes, kind: CodeKind) -> None:
        self._digest = hmac.new(key, nonce + b":" + str(kind).encode(), hashlib.sha256).digest()

    def randbelow(self, n: int) -> int:
        # 256 bits reduced modulo 10**6: the bias is below 2**-230, far beyond guessing.
        return int.from_bytes(self._digest, "big") % n


def _key(settings: Settings, purpose: bytes) -> bytes:
    return hmac.new(settings.secret_key.encode(), b"cesieats:codes:" + purpose, hashlib.sha256).digest()


def pepper(settings: Settings) -> bytes:
    return _key(settings, b"pepper")


def new_nonce() -> bytes:
    return secrets.token_bytes(NONCE_BYTES)


def code_for(settings: Settings, nonce: bytes, kind: CodeKind) -> str:
    return new_code(_Drawn(_key(settings, b"draw"), bytes(nonce), kind))


def stored_hashes(settings: Settings, nonce: bytes) -> tuple[str, str]:
    """(pickup hash, delivery hash) of the codes this nonce gives."""
    return tuple(hash_code(code_for(settings, nonce, kind), pepper(settings))  # type: ignore[return-value]
                 for kind in (CodeKind.pickup, CodeKind.delivery))


def view(settings: Settings, row: asyncpg.Record, kind: CodeKind) -> CodeView:
    code = code_for(settings, row["code_nonce"], kind)
    payload = qr_payload(kind, row["order_id"], code)
    return CodeView(kind=kind, code=" ".join((code[:3], code[3:])), qr_payload=payload, qr_svg=qr_svg(payload))


def given_code(data: CodeInput, kind: CodeKind, order_id: uuid.UUID) -> str:
    """The code to check out of what was typed or scanned; a QR code of another order is refused."""
    if data.qr:
        scanned = parse_qr_payload(data.qr.strip())
        if scanned.kind != kind or scanned.order_id != order_id:
            raise Invalid("this QR code is not this delivery's " + str(kind) + " code",
                          errors=[{"field": "qr", "message": "belongs to another code"}], code="wrong-qr")
        return scanned.code
    if data.code and data.code.strip():
        return data.code
    raise Invalid("type the code or scan it", errors=[{"field": "code", "message": "is required"}])


def attempt(settings: Settings, row: asyncpg.Record, kind: CodeKind, given: str) -> tuple[bool, int]:
    """(whether it matched, wrong tries now); Conflict code-locked once too many were wrong."""
    column = "pickup" if kind == CodeKind.pickup else "delivery"
    tries = CodeAttempts(row[f"{column}_failures"])
    matched, after = tries.attempt(given, row[f"{column}_code_hash"], pepper(settings))
    return matched, after.failures
