"""Short-lived signed access tokens (JWT) and opaque refresh tokens stored hashed."""
from __future__ import annotations

import hashlib
import secrets
import time
import uuid

import jwt

from domain.errors import Unauthenticated
from domain.roles import Role
from server.settings import Settings

ALGORITHM = "HS256"
ISSUER = "cesi-eats"


def issue_access_token(settings: Settings, user_id: uuid.UUID, role: Role, token_version: int) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id), "role": str(role), "tv": token_version, "typ": "access",
        "iss": ISSUER, "iat": now, "exp": now + settings.access_token_ttl_s,
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_access_token(settings: Settings, token: str) -> dict:
    """The token's claims, or Unauthenticated saying whether it expired or is invalid."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["sub", "role", "tv", "exp", "iat"]})
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("the access token has expired; refresh it", code="token-expired") from None
    except jwt.PyJWTError:
        raise Unauthenticated("the access token is not valid", code="token-invalid") from None
    if claims.get("typ") != "access":
        raise Unauthenticated("the access token is not valid", code="token-invalid")
    return claims


def new_refresh_token() -> tuple[str, bytes]:
    """A random refresh token and the hash under which it is stored."""
    token = "rt_" + secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> bytes:
    # a fast hash is right here: the token is 256 random bits, not a guessable password
    return hashlib.sha256(token.encode()).digest()
