"""argon2id password hashing, run off the event loop (it is deliberately slow)."""
from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Tests keep argon2id but with a light cost, so hundreds of sign-ups stay quick.
_TEST_COST = {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1}


class Passwords:
    """Hash and verify with one argon2id configuration."""

    def __init__(self, light: bool = False) -> None:
        self._hasher = PasswordHasher(**_TEST_COST) if light else PasswordHasher()
        # Verifying against this keeps "no such account" as slow as "wrong password".
        self._dummy_hash = self._hasher.hash("not-a-real-password-but-equal-work")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """True if the password matches; always spends the same effort."""
        matches = await asyncio.to_thread(self._verify, stored_hash or self._dummy_hash, password)
        return matches and stored_hash is not None

    def _verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
