"""Hand-written checks shared by the benchmarks' plain-Python baselines (what a script would do by hand)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def plain_tonnes(text: str) -> Decimal | None:
    """A non-negative finite decimal, or None."""
    try:
        tonnes = Decimal(text)
    except InvalidOperation:
        return None
    if not tonnes.is_finite() or tonnes < 0:
        return None
    return tonnes
