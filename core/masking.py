"""Personal data (phones, ID numbers, addresses) masked for output and the log: ``139****5678``."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Callable, Iterator

from .decisions import _SCALARS, _dataclass_fields, attributes_getter, to_jsonable


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


def masked_jsonable(value: Any, names: frozenset[str], clear: list[str]) -> Any:
    """``mask_nested(to_jsonable(value), names)`` in one walk, adding to ``clear`` what
    ``personal_values`` would yield of the unmasked data (in another order): the engine stamps
    every decision so."""
    cls = type(value)
    if cls in _SCALARS:
        return value
    as_text = _AS_TEXT.get(cls)
    if as_text is not None:
        return as_text(value)
    if cls is list or cls is tuple:
        return [masked_jsonable(v, names, clear) for v in value]
    if cls is dict:
        out = {k if type(k) is str else str(k): v for k, v in value.items()}
    else:
        fields = _dataclass_fields(cls)
        if fields is None:  # other mappings and collections, subclasses: the two-step way
            plain = to_jsonable(value)
            clear.extend(personal_values(plain, names))
            return mask_nested(plain, names)
        out = dict(zip(fields, _getter(cls, fields)(value)))
    # A record's fields are mostly text, numbers and blanks: only the others are walked.
    for k, v in out.items():
        kind = type(v)
        if kind not in _SCALARS:
            as_text = _AS_TEXT.get(kind)  # a Decimal or a date: no call of its own
            out[k] = as_text(v) if as_text is not None else masked_jsonable(v, names, clear)
    for k in names:
        v = out.get(k)
        if isinstance(v, (str, int)):
            if not isinstance(v, bool):
                clear.append(str(v))
            out[k] = mask(v)
    return out


# Exactly as to_jsonable writes them: a Decimal as its exact string, dates and times in ISO form.
_AS_TEXT: dict[type, Callable[[Any], str]] = {Decimal: str, date: date.isoformat, datetime: datetime.isoformat,
                                              time: time.isoformat}


_GETTERS: dict[type, Callable[[Any], tuple]] = {}


def _getter(cls: type, fields: tuple[str, ...]) -> Callable[[Any], tuple]:
    getter = _GETTERS.get(cls)
    if getter is None:
        getter = _GETTERS[cls] = attributes_getter(fields)
    return getter
