"""A validation fast path derived from the marshmallow schemas, never written beside them.

Used by the importer for record schemas and by plugins for their own schemas (event details).

Reading a schema's declared fields and validators, it builds per-field converters that accept only
values they are certain marshmallow would accept with the same result (a plain ISO date, a plain
decimal numeral within the field's Range, a string within its Length, a known choice). Anything
else, or any field or validator it does not know, *defers* the row to marshmallow, which stays
the single source of truth for rules and the only source of error messages. Equivalence is
property-tested (tests/test_core_fastpath.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable

from marshmallow import Schema, ValidationError, fields, validate

from .fields import MAX_YEAR, MIN_YEAR, Amount, Choice, Flag, LocalDate, LocalDateTime, Month


class Defer(Exception):
    """This value is not certainly valid: let marshmallow decide (and word any error)."""


_DEFER = Defer()
# re.ASCII: \d must not match full-width digits (２０２６), which marshmallow normalises differently.
_NUMERAL = re.compile(r"-?\d{1,18}(\.\d{1,12})?", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", re.ASCII)
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])", re.ASCII)

Converter = Callable[[Any], Any]


def _length_check(validators: list) -> Callable[[str], bool] | None:
    lo, hi = 0, None
    for v in validators:
        if not isinstance(v, validate.Length) or v.equal is not None:
            return None
        if v.min is not None:
            lo = max(lo, v.min)
        if v.max is not None:
            hi = v.max if hi is None else min(hi, v.max)
    if hi is None:
        return lambda s: len(s) >= lo
    return lambda s: lo <= len(s) <= hi


def _range_check(validators: list) -> Callable[[Decimal], bool] | None:
    bounds = []
    for v in validators:
        if not isinstance(v, validate.Range):
            return None
        bounds.append((v.min, v.max, v.min_inclusive, v.max_inclusive))
    if not bounds:
        return lambda x: True
    if len(bounds) == 1 and bounds[0][1] is None and bounds[0][2]:
        low = bounds[0][0]
        return lambda x: x >= low  # the common NonNegative

    def check(x: Decimal) -> bool:
        for lo, hi, lo_in, hi_in in bounds:
            if lo is not None and not (x >= lo if lo_in else x > lo):
                return False
            if hi is not None and not (x <= hi if hi_in else x < hi):
                return False
        return True

    return check


def _numeral(pattern: re.Pattern[str], in_range: Callable[[Decimal], bool] | None) -> Converter | None:
    """A plain decimal numeral of the given shape within the field's Range, else defer."""
    if in_range is None:
        return None

    def numeral(value):
        if type(value) is str and pattern.fullmatch(value):
            number = Decimal(value)
            if in_range(number):
                return number
        raise _DEFER

    return numeral


def _converter(field: fields.Field) -> Converter | None:
    """A converter for one field, or None when the fast path does not know the field."""
    vals = list(field.validators)
    if isinstance(field, Choice):
        if vals:
            return None
        choices, by_label = field.choices, field.by_label

        def choice(value):
            if type(value) is str:
                text = value.strip()
                code = text if text in choices else by_label.get(text)
                if code is not None:
                    return code
            raise _DEFER

        return choice
    if isinstance(field, Month):
        if vals:
            return None

        def month(value):
            if type(value) is str and _MONTH.fullmatch(value) and MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
                return value
            raise _DEFER

        return month
    if type(field) is fields.String:
        ok = _length_check(vals)
        if ok is None:
            return None

        def string(value):
            if type(value) is str and ok(value) and "\x00" not in value:
                return value
            raise _DEFER

        return string
    if type(field) is fields.Decimal:
        if field.places is not None or field.as_string or field.allow_nan:
            return None
        return _numeral(_NUMERAL, _range_check(vals))
    if type(field) is Amount:
        if field.as_string or field.allow_nan:
            return None
        whole = max(1, field.digits - field.scale)
        shape = r"-?\d{1,%d}(\.\d{1,%d})?" % (whole, field.scale) if field.scale else r"-?\d{1,%d}" % field.digits
        return _numeral(re.compile(shape, re.ASCII), _range_check(vals))
    if type(field) in (fields.Date, LocalDate, LocalDateTime):
        if vals or getattr(field, "format", None) not in (None, "iso"):
            return None
        pattern, parse = (_ISO_DATETIME, datetime.fromisoformat) if type(field) is LocalDateTime else (_ISO_DATE, date.fromisoformat)
        bounded = type(field) is not fields.Date

        def iso(value):
            if type(value) is str and pattern.fullmatch(value):
                try:
                    result = parse(value)
                except ValueError:
                    raise _DEFER from None
                if not bounded or MIN_YEAR <= result.year <= MAX_YEAR:
                    return result
            raise _DEFER

        return iso
    if type(field) is Flag:
        if vals:
            return None
        truthy, falsy = field.truthy, field.falsy

        def flag(value):
            if type(value) in (str, bool, int):
                if value in truthy:
                    return True
                if value in falsy:
                    return False
            raise _DEFER

        return flag
    if type(field) is fields.Boolean:
        if vals:
            return None

        def boolean(value):
            if value is True or value is False:
                return value
            raise _DEFER

        return boolean
    if type(field) is fields.List:
        inner = _converter(field.inner) if type(field.inner) is fields.String else None
        if inner is None or _length_check(vals) is None:
            return None
        ok = _length_check(vals)

        def str_list(value):
            if type(value) is list and ok(value):
                return [inner(v) for v in value]
            raise _DEFER

        return str_list
    if type(field) is fields.Dict:
        if vals or type(field.key_field) is not fields.String or field.key_field.validators or field.value_field is not None:
            return None

        def mapping(value):
            if type(value) is dict and all(type(k) is str for k in value):
                return dict(value)
            raise _DEFER

        return mapping
    return None


class FastLoader:
    """``load(data)`` returns the record (or, for a plain schema, the dict), or raises Defer.

    ``supported`` is False when the schema has anything the fast path does not know; then every row
    goes to marshmallow. Schema-level validators (``@validates_schema``) run on the converted values,
    and an objection defers the row so that marshmallow words the error.
    """

    def __init__(self, schema_cls: type[Schema]) -> None:
        self.record_class = getattr(schema_cls, "record_class", None)
        if self.record_class is dict:
            self.record_class = None
        self.supported = True
        instance = None
        self.validators: list[Callable[..., Any]] = []
        for hook_kind, entries in schema_cls._hooks.items():
            for attr, *_ in entries:
                if hook_kind == "post_load" and attr == "_make" and self.record_class is not None:
                    continue
                if hook_kind == "validates_schema":
                    instance = instance or schema_cls()
                    self.validators.append(getattr(instance, attr))
                    continue
                self.supported = False
        self.converters: dict[str, tuple[Converter, bool]] = {}
        self.required: frozenset[str] = frozenset()
        self.defaults: dict[str, Any] = {}
        self.factories: list[tuple[str, Callable[[], Any]]] = []
        required = set()
        for name, field in schema_cls._declared_fields.items():
            conv = _converter(field)
            if conv is None or field.data_key is not None or field.dump_only:
                self.supported = False
                break
            self.converters[name] = (conv, field.allow_none)
            if field.required:
                required.add(name)
            elif callable(field.load_default):
                self.factories.append((name, field.load_default))
            elif field.load_default is not fields.missing_:
                self.defaults[name] = field.load_default
        self.required = frozenset(required)

    def load(self, data: dict[str, Any]) -> Any:
        if not self.required <= data.keys():
            raise _DEFER
        values = self.defaults.copy()
        converters = self.converters
        for name, value in data.items():
            entry = converters.get(name)
            if entry is None:
                raise _DEFER
            if value is None:
                if not entry[1]:
                    raise _DEFER
                values[name] = None
            else:
                values[name] = entry[0](value)
        for name, factory in self.factories:
            if name not in data:
                values[name] = factory()
        for check in self.validators:
            try:
                check(values, partial=None, many=False, unknown=None)
            except ValidationError:
                raise _DEFER from None
        return values if self.record_class is None else self.record_class(**values)

    def converter(self, name: str) -> Converter:
        return self.converters[name][0]


def table_row_builder(plan: list[tuple[int, str, Converter]], loader: FastLoader) -> Callable[[list[Any]], Any]:
    """One file's table lane as one function of a row's cells (``plan``: column index, field,
    converter), written out once per header because it runs for every row: the same steps as a loop
    over the plan, without the loop. Raises Defer (or a converter's error) when marshmallow must
    decide; the cells must be at least as many as the header's columns."""
    assert loader.record_class is not None, "a record kind's schema builds a dataclass"
    env: dict[str, Any] = {"_defaults": loader.defaults, "_record": loader.record_class, "_DEFER": _DEFER,
                           "_validators": tuple(loader.validators)}
    lines = ["def build(cells):", "    out = _defaults.copy()"]
    for n, (index, name, convert) in enumerate(plan):
        env[f"_convert{n}"] = convert
        lines += [f"    text = cells[{index}].strip()", "    if text:", f"        out[{name!r}] = _convert{n}(text)"]
    if loader.required:
        lines += ["    if not (" + " and ".join(f"{name!r} in out" for name in sorted(loader.required)) + "):",
                  "        raise _DEFER"]
    for n, (name, factory) in enumerate(loader.factories):
        env[f"_factory{n}"] = factory
        lines += [f"    if {name!r} not in out:", f"        out[{name!r}] = _factory{n}()"]
    if loader.validators:
        # Schema-level validators run on this lane too; an objection goes to marshmallow.
        lines += ["    for check in _validators:", "        check(out, partial=None, many=False, unknown=None)"]
    lines.append("    return _record(**out)")
    exec(compile("\n".join(lines), f"<table lane of {loader.record_class.__name__}>", "exec"), env)
    return env["build"]
