"""Errors the rules raise; the edges turn them into problem+json or error pages."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every expected failure; `status` is the HTTP status it maps to."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str = "", *, errors: list[dict] | None = None, code: str = "",
                 extra: dict | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []
        self.code = code
        # further members of the problem document, e.g. {"suspended_until": ...}
        self.extra = extra or {}


class Unauthenticated(DomainError):
    status, title = 401, "Authentication required"


class Forbidden(DomainError):
    status, title = 403, "Not allowed"


class NotFound(DomainError):
    """Also used for "exists but not yours", so ids cannot be probed."""

    status, title = 404, "Not found"


class PaymentFailed(DomainError):
    """The card was declined; nothing was created or charged."""

    status, title = 402, "Payment failed"


class Conflict(DomainError):
    """An illegal state transition or a clash with the current state."""

    status, title = 409, "Conflict"


class Invalid(DomainError):
    status, title = 422, "Invalid input"


class PayloadTooLarge(DomainError):
    status, title = 413, "Payload too large"


class RateLimited(DomainError):
    status, title = 429, "Too many requests"

    def __init__(self, detail: str = "", *, retry_after: int = 1) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
