"""Personal data (phones, ID numbers, addresses) masked for output and the log: ``139****5678``."""

from __future__ import annotations

from typing import Any, Iterable


def mask(value: Any) -> Any:
    """Keep a few leading and trailing characters of a personal value, mask the rest."""
    if value is None or value == "":
        return value
    text = str(value)
    n = len(text)
    if n <= 4:
        return "*" * n
    if n <= 8:
        return text[:1] + "*" * (n - 2) + text[-1:]
    keep_head = 3 if n <= 12 else 4
    return text[:keep_head] + "*" * (n - keep_head - 4) + text[-4:]


def mask_fields(data: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    names = [n for n in names if data.get(n) not in (None, "")]
    if not names:
        return data
    out = dict(data)
    for name in names:
        out[name] = mask(out[name])
    return out


def mask_nested(value: Any, names: frozenset[str]) -> Any:
    """Mask the named fields wherever they occur in JSON-ready data (a rule's inputs may nest the
    records it read: ``{"contacts": [{"phone": ...}]}``)."""
    if isinstance(value, dict):
        return {k: (mask(v) if k in names and isinstance(v, (str, int)) else mask_nested(v, names)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_nested(v, names) for v in value]
    return value
