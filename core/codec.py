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


def payload_text(kind: RecordKind, record: Any) -> str:
    """A record's stored payload, its canonical JSON without the children: the schema's fields (the
    dataclass's helper fields are not stored), Decimals as exact strings, ISO dates. A blank field
    whose dataclass default is None, or which has none, is left out (exports are sparse, and each
    stored null was bytes written, hashed and parsed on every run); ``decode`` gives it None again.
    Written straight from the fields by a function generated once per kind: an import serialises
    every record it stores."""
    return _payload_writer(kind.schema, kind.child_fields, kind.record_class)(record)


@lru_cache(maxsize=None)
def _payload_writer(schema: type[Schema], children: frozenset[str], cls: type) -> Callable[[Any], str]:
    kept = _blank_rules(schema, children, cls)[1]
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


def dense_content_hash(kind: RecordKind, record: Any) -> str:
    """The content hash of the record as stored before blanks were left out (every stored field
    named, blanks as null): a stored row of that form holding the same content is unchanged."""
    names, getter = _stored_fields(kind)
    return text_hash(canonical_json({name: to_jsonable(value) for name, value in zip(names, getter(record))}))


def decode(kind: RecordKind, payload: dict[str, Any]) -> Any:
    cls = kind.record_class
    values = {**_blank_rules(kind.schema, kind.child_fields, cls)[0], **payload}  # what payload_text left out
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
def _blank_rules(schema: type[Schema], children: frozenset[str], cls: type) -> tuple[dict[str, None], frozenset[str]]:
    """How a blank stored field is kept, from the dataclass's defaults: (the fields without a
    default, as None: left out of a payload, they were blank; the fields whose default is not None,
    whose blank is written out, since left out they would read back as that default). A field with
    a default of None is left out and reads back as None; so does one declared after it was stored."""
    stored = set(_stored(schema, children)[0])
    without_default: dict[str, None] = {}
    kept: set[str] = set()
    for f in dc_fields(cls):
        if f.name not in stored:
            continue
        if f.default is MISSING and f.default_factory is MISSING:
            without_default[f.name] = None
        elif f.default_factory is not MISSING or f.default is not None:
            kept.add(f.name)
    return without_default, frozenset(kept)


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
