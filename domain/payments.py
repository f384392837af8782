"""Payment rules that need no provider: what a card token may look like, what to release."""
from __future__ import annotations

import re
from typing import Annotated

import msgspec

from domain.errors import Invalid

PaymentToken = Annotated[str, msgspec.Meta(min_length=4, max_length=200, pattern=r"^tok_[A-Za-z0-9_]+$",
                                           examples=["tok_sandbox_ok"])]
# 13 to 19 digits, possibly grouped: what a card number looks like
_PAN = re.compile(r"(?:\d[ -]?){13,19}")


def check_payment_token(token: str) -> str:
    """Refuse anything that could be a card number: the server only ever takes tokens."""
    if _PAN.search(token) or not token.startswith("tok_"):
        raise Invalid("send a payment token from the card form, never a card number",
                      errors=[{"field": "payment_token", "message": "must be a tok_ token"}])
    return token


def release_operation(captured_cents: int, authorized: bool) -> str | None:
    """What gives the money back: a refund once captured, a void while only authorised."""
    if captured_cents > 0:
        return "refund"
    return "void" if authorized else None
