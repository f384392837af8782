"""Collects field problems so one Invalid names every bad field at once."""
from __future__ import annotations

from domain.errors import Invalid


class Problems:
    """Field problems gathered while checking one input."""

    def __init__(self) -> None:
        self.errors: list[dict] = []

    def add(self, field: str, message: str) -> None:
        """Record that `field` (a dotted path such as "slots.0.name") is wrong."""
        self.errors.append({"field": field, "message": message})

    def raise_if_any(self, detail: str = "Some fields are invalid") -> None:
        """Raise Invalid listing every recorded problem, if there is one."""
        if self.errors:
            raise Invalid(detail, errors=list(self.errors))


def clean_name(value: str, field: str, problems: Problems, *, max_length: int = 120) -> str:
    """Trim a name and record a problem unless 1..max_length characters remain."""
    name = value.strip()
    if not 1 <= len(name) <= max_length:
        problems.add(field, f"must be 1 to {max_length} characters")
    return name


def check_cents(value: int, field: str, problems: Problems, *, maximum: int = 1_000_000) -> None:
    """Record a problem unless the amount is 0..maximum cents."""
    if not 0 <= value <= maximum:
        problems.add(field, f"must be between 0 and {maximum} cents")


def check_choice_bounds(lo: int, hi: int, count: int, prefix: str, problems: Problems) -> None:
    """Record problems unless 0 <= lo <= hi, hi >= 1 and hi <= count of choices offered."""
    if lo < 0:
        problems.add(f"{prefix}.min_choices", "must be 0 or more")
    if hi < 1:
        problems.add(f"{prefix}.max_choices", "must be 1 or more")
    elif hi > count:
        problems.add(f"{prefix}.max_choices", f"cannot exceed the {count} choices offered")
    if lo > hi:
        problems.add(f"{prefix}.min_choices", "cannot exceed max_choices")
