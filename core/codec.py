"""A record's stored form: canonical JSON (Decimals as exact strings, ISO dates) and back.

Decoding is derived once per dataclass from its type hints, so a payload read from SQLite or
PostgreSQL becomes the same dataclass the schema built on import.
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, fields as dc_fields
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable

from marshmallow import Schema

from .decisions import attributes_getter, canonical_json, json_piece, text_hash, to_jsonable
from .kinds import RecordKind


def key_text(values: tuple) -> str:
    """The natural key as stored: canonical JSON of its values."""
    return "[" + ",".join(map(json_piece, values)) + "]"


def sort_text(value: Any) -> str | None:
    """A time-order value as fixed-width text, so text order is time order on every backend."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat() + "T00:00:00.000000"
    return str(value)


def encode(kind: RecordKind, record: Any) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """(payload without children, child field -> child records). A blank field whose dataclass
    default is None (or which has no default) is left out: exports are sparse, and each stored null
    was bytes written, hashed and parsed on every run; ``decode`` gives it None again."""
    # The schema's fields are what was imported; helper fields of the dataclass are not stored.
    names, getter = _stored_fields(kind)
    kept = _kept_blank(kind.schema, kind.child_fields, kind.record_class)
    payload: dict[str, Any] = {}
    for name, value in zip(names, getter(record)):
        if value is None:
            if name in kept:
                payload[name] = None
        else:
            # Most fields are text: only the others go through to_jsonable.
            payload[name] = value if type(value) in _PLAIN else to_jsonable(value)
    if not kind.children:
        return payload, {}
    return payload, {c.field: list(getattr(record, c.field) or ()) for c in kind.children}


_PLAIN = frozenset((str, int, bool, type(None)))


def payload_text(kind: RecordKind, record: Any) -> str:
    """``canonical_json(encode(kind, record)[0])``, written straight from the record's fields by
    a function generated once per kind: an import serialises every record it stores, and the
    payload dict in between was a third of that work."""
    return _payload_writer(kind.schema, kind.child_fields, kind.record_class)(record)


@lru_cache(maxsize=None)
def _payload_writer(schema: type[Schema], children: frozenset[str], cls: type) -> Callable[[Any], str]:
    kept = _kept_blank(schema, children, cls)
    env: dict[str, Any] = {"_piece": json_piece, "_getattr": getattr}
    lines = ["def payload_text(record):", "    parts = []", "    add = parts.append"]
    # Canonical JSON sorts keys: the fields in sorted order give the same text.
    for name in sorted(_stored(schema, children)[0]):
        label = json_piece(name) + ":"
        read = f"record.{name}" if name.isidentifier() else f"_getattr(record, {name!r})"
        lines += [f"    value = {read}", "    if value is not None:", f"        add({label!r} + _piece(value))"]
        if name in kept:
            lines += ["    else:", f"        add({label + 'null'!r})"]
    lines.append("    return '{' + ','.join(parts) + '}'")
    exec(compile("\n".join(lines), f"<payload text of {cls.__name__}>", "exec"), env)
    return env["payload_text"]


def content_hash(payload: dict[str, Any]) -> str:
    return text_hash(canonical_json(payload))


def dense_content_hash(kind: RecordKind, record: Any) -> str:
    """The content hash of the record as stored before blanks were left out (every stored field
    named, blanks as null): a stored row of that form holding the same content is unchanged."""
    names, getter = _stored_fields(kind)
    return content_hash({name: to_jsonable(value) for name, value in zip(names, getter(record))})


def decode(kind: RecordKind, payload: dict[str, Any]) -> Any:
    cls = kind.record_class
    values = {**_blanks(kind.schema, kind.child_fields, cls), **payload}  # what encode left out
    for name, conv in _converting(cls):
        value = values.get(name)
        if value is not None:
            values[name] = conv(value)
    try:
        return cls(**values)
    except TypeError:  # a field the current dataclass no longer has
        known = _converters(cls)
        return cls(**{name: value for name, value in values.items() if name in known})


def _stored_fields(kind: RecordKind) -> tuple[tuple[str, ...], Callable[[Any], tuple]]:
    """The stored fields of a kind and a getter of all their values at once (one C call)."""
    return _stored(kind.schema, kind.child_fields)


@lru_cache(maxsize=None)
def _stored(schema: type[Schema], children: frozenset[str]) -> tuple[tuple[str, ...], Callable[[Any], tuple]]:
    names = tuple(n for n in schema._declared_fields if n not in children)
    return names, attributes_getter(names)


@lru_cache(maxsize=None)
def _blanks(schema: type[Schema], children: frozenset[str], cls: type) -> dict[str, None]:
    """The stored fields without a dataclass default, as None: left out of a payload, they were
    blank (a field with a default comes back with it: left out, it was None or not yet declared)."""
    defaults = {f.name: f.default is not MISSING or f.default_factory is not MISSING for f in dc_fields(cls)}
    return dict.fromkeys(n for n in _stored(schema, children)[0] if defaults.get(n) is False)


@lru_cache(maxsize=None)
def _kept_blank(schema: type[Schema], children: frozenset[str], cls: type) -> frozenset[str]:
    """The stored fields whose blank is written out: their dataclass default is not None, so
    leaving them out would read back as that default."""
    return frozenset(f.name for f in dc_fields(cls) if f.name in _stored(schema, children)[0]
                     and (f.default_factory is not MISSING or (f.default is not MISSING and f.default is not None)))


@lru_cache(maxsize=None)
def _converting(cls: type) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """The fields whose stored JSON form needs converting back (Decimals, dates, nested records)."""
    return tuple((name, conv) for name, conv in _converters(cls).items() if conv is not None)


@lru_cache(maxsize=None)
def _converters(cls: type) -> dict[str, Callable[[Any], Any] | None]:
    hints = typing.get_type_hints(cls)
    return {f.name: _converter_for(hints.get(f.name, Any)) for f in dc_fields(cls)}


def _converter_for(tp: Any) -> Callable[[Any], Any] | None:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _converter_for(options[0]) if len(options) == 1 else None
    if tp is Decimal:
        return Decimal
    if tp is datetime:
        return datetime.fromisoformat
    if tp is date:
        return date.fromisoformat
    if tp is time:
        return time.fromisoformat
    if origin is list:
        (inner,) = typing.get_args(tp) or (Any,)
        conv = _converter_for(inner)
        if conv is None:
            return None
        return lambda items: [None if v is None else conv(v) for v in items]
    if isinstance(tp, type) and hasattr(tp, "__dataclass_fields__"):
        inner_convs = _converters(tp)

        def nested(data: dict[str, Any]) -> Any:
            values = {}
            for k, v in data.items():
                if k in inner_convs:
                    conv = inner_convs[k]
                    values[k] = v if v is None or conv is None else conv(v)
            return tp(**values)

        return nested
    return None
