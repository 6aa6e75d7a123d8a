"""Personal data (phones, ID numbers, addresses) masked for output and the log: ``139****5678``."""

from __future__ import annotations

from typing import Any, Iterable, Iterator


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


def mask_nested(value: Any, names: frozenset[str]) -> Any:
    """Mask the named fields wherever they occur in JSON-ready data (a rule's inputs may nest the
    records it read: ``{"contacts": [{"phone": ...}]}``)."""
    if isinstance(value, dict):
        return {k: (mask(v) if k in names and isinstance(v, (str, int)) else mask_nested(v, names)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_nested(v, names) for v in value]
    return value


def personal_values(value: Any, names: frozenset[str]) -> Iterator[str]:
    """The clear text of the named fields wherever they occur in JSON-ready data."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in names and isinstance(v, (str, int)) and not isinstance(v, bool):
                yield str(v)
            else:
                yield from personal_values(v, names)
    elif isinstance(value, list):
        for v in value:
            yield from personal_values(v, names)
