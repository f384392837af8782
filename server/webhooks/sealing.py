"""Endpoint secrets: made here, shown once, kept encrypted under a key derived from SECRET_KEY.

AES-256-GCM with the endpoint's id as associated data, so a sealed secret copied onto
another endpoint's row does not open. Changing SECRET_KEY makes the stored secrets
unreadable: rotate every endpoint's secret after such a change.
"""
from __future__ import annotations

import os
import secrets
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from server.settings import Settings

PREFIX = "whsec_"
_NONCE = 12
_INFO = b"cesi-eats webhook endpoint secrets v1"


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def _cipher(settings: Settings) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        settings.secret_key.encode())
    return AESGCM(key)


def seal(settings: Settings, endpoint_id: uuid.UUID, secret: str) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + _cipher(settings).encrypt(nonce, secret.encode(), endpoint_id.bytes)


def unseal(settings: Settings, endpoint_id: uuid.UUID, sealed: bytes) -> str:
    """The secret; ValueError when it was sealed under another key or for another endpoint."""
    try:
        return _cipher(settings).decrypt(sealed[:_NONCE], sealed[_NONCE:], endpoint_id.bytes).decode()
    except InvalidTag:
        raise ValueError("this secret cannot be opened with the current SECRET_KEY") from None
