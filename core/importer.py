"""Read CSV, JSON, JSON lines and XLSX exports; validate every row with the kind's marshmallow schema.

Column headers may be the English field names or the Chinese headers (see ``core.records``). If any row
is bad, nothing is written and every error is reported with its file, row, column and reason.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

from marshmallow import ValidationError, fields

from .errors import one_line
from .fastpath import Defer, FastLoader, table_row_builder
from .kinds import RecordKind
from .readers import FORMATS, FileProblem, detect_format, read_rows, read_table, table_row_as_dict

MAX_ERRORS_SHOWN = 200


@dataclass(frozen=True)
class RowError:
    file: str
    row: int
    column: str
    reason: str
    # The spreadsheet cell ("C3") for XLSX input.
    cell: str | None = None

    def __str__(self) -> str:
        where = f"row {self.row} (cell {self.cell})" if self.cell else f"row {self.row}"
        if self.row == 0:
            where = "whole file"
        return f"{self.file}: {where}: column '{self.column}': {one_line(self.reason)}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError], rows_read: int = 0) -> None:
        self.errors = errors
        self.rows_read = rows_read
        shown = "\n".join(str(e) for e in errors[:MAX_ERRORS_SHOWN])
        more = f"\n... and {len(errors) - MAX_ERRORS_SHOWN} more" if len(errors) > MAX_ERRORS_SHOWN else ""
        super().__init__(f"{len(errors)} error(s); nothing was written\n{shown}{more}")


class RowPreparer:
    """Turns a raw row into the schema's input: headers to field names, blanks to missing,
    spreadsheet cell types to text, JSON text in dict columns to dicts."""

    def __init__(self, kind: RecordKind) -> None:
        self.kind = kind
        self.aliases = kind.headers()
        declared = kind.schema._declared_fields
        self.dict_fields = {n for n, f in declared.items() if isinstance(f, (fields.Dict, fields.List))}
        # Nested rows (an archive's documents) may use Chinese headers too.
        self.nested_aliases: dict[str, dict[str, str]] = {}
        for n, f in declared.items():
            inner = getattr(f, "inner", None)
            if isinstance(inner, fields.Nested):
                nested = inner.schema
                self.nested_aliases[n] = {
                    alias: name
                    for name, nf in nested.fields.items()
                    for alias in (name, nf.metadata.get("zh"))
                    if alias
                }
        self.unknown_headers: set[str] = set()

    def header_map(self, raw: dict[str, Any]) -> dict[str, str]:
        mapping = {}
        for header in raw:
            if header.startswith("__"):
                continue
            name = self.aliases.get(header) or self.aliases.get(header.strip())
            if name is None:
                self.unknown_headers.add(header)
            else:
                mapping[header] = name
        return mapping

    def prepare(self, raw: dict[str, Any], mapping: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
        """Returns (schema input, field -> header it came from)."""
        if not self.dict_fields:
            # The common case (a CSV row of a flat kind): text only, strip and drop blanks.
            try:
                data = {}
                for header, value in raw.items():
                    name = mapping.get(header)
                    if name is not None:
                        text = value.strip()
                        if text:
                            data[name] = text
                return data, _ORIGIN_FROM_MAPPING
            except AttributeError:  # a non-text cell (XLSX, JSON): take the general path
                pass
        data = {}
        origin: dict[str, str] = {}
        errors: dict[str, str] = {}
        for header, value in raw.items():
            name = mapping.get(header)
            if name is None:
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if name in self.dict_fields and isinstance(value, str):
                try:
                    value = json.loads(value)
                except json.JSONDecodeError as exc:
                    errors[name] = f"not valid JSON: {exc.msg}"
                    continue
                except RecursionError:
                    errors[name] = "JSON nested too deeply"
                    continue
                except ValueError as exc:  # e.g. an integer of thousands of digits
                    errors[name] = f"not valid JSON: {exc}"
                    continue
            elif isinstance(value, str):
                value = value.strip()
            if name in self.nested_aliases and isinstance(value, list):
                aliases = self.nested_aliases[name]
                value = [
                    {aliases.get(k, k): v for k, v in item.items()} if isinstance(item, dict) else item
                    for item in value
                ]
            elif isinstance(value, bool):
                pass
            elif isinstance(value, float):
                value = str(Decimal(repr(value)))
            elif isinstance(value, (datetime, date, time)):
                value = value.isoformat()
            data[name] = value
            origin[name] = header
        if errors:
            raise _PrepError(errors, origin | {k: _header_for(k, mapping) for k in errors})
        return data, origin


# Sentinel: the caller derives field -> header from the header mapping itself.
_ORIGIN_FROM_MAPPING: dict[str, str] = {}


def _header_for(field_name: str, mapping: dict[str, str]) -> str:
    for header, name in mapping.items():
        if name == field_name:
            return header
    return field_name


class _PrepError(Exception):
    def __init__(self, errors: dict[str, str], origin: dict[str, str]) -> None:
        self.errors, self.origin = errors, origin


def flatten_errors(messages: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield from flatten_errors(value, path)
    elif isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        yield prefix, " ".join(messages)
    elif isinstance(messages, list):
        for item in messages:
            yield from flatten_errors(item, prefix)
    else:
        yield prefix, str(messages)


class RowValidator:
    """Validates the rows of one file of one kind; collects every error.

    For tables (CSV, XLSX) the header is checked once: a missing required column is one error,
    not one per row, and stops the file there.
    """

    def __init__(self, kind: RecordKind, file_label: str, tabular: bool) -> None:
        self.kind = kind
        self.schema = self.kind.schema()
        self.fast = FastLoader(self.kind.schema)
        self.preparer = RowPreparer(self.kind)
        self.file_label = file_label
        self.tabular = tabular
        self.errors: list[RowError] = []
        self.header_failed = False
        self._letters: dict[str, str] = {}
        self._mappings: dict[tuple[str, ...], dict[str, str]] = {}

    def _mapping_for(self, raw: dict[str, Any]) -> dict[str, str]:
        keys = tuple(raw)
        mapping = self._mappings.get(keys)
        if mapping is None:
            mapping = self._mappings[keys] = self.preparer.header_map(raw)
            if self.tabular and len(self._mappings) == 1:
                self._check_header(mapping)
        return mapping

    def _check_header(self, mapping: dict[str, str]) -> None:
        present = set(mapping.values())
        for name, fld in self.kind.schema._declared_fields.items():
            if fld.required and name not in present:
                label = fld.metadata.get("zh")
                accepted = f"'{name}'" + (f" or '{label}'" if label else "")
                self.errors.append(RowError(self.file_label, 1, name, f"required column missing (header {accepted})"))
                self.header_failed = True

    def set_header(self, header: list[str], cells: bool = False) -> None:
        """Tabular input: plan the fast lane once per file (column index -> field converter).
        ``cells``: name the spreadsheet cell of each error (XLSX)."""
        self.header = header
        if cells:
            from openpyxl.utils import get_column_letter

            self._letters = {h: get_column_letter(i + 1) for i, h in enumerate(header) if h}
        self._table_lane: Callable[[list[Any]], Any] | None = None
        mapping = self._mapping_for({h: None for h in header if h})
        if self.fast.supported and not self.preparer.dict_fields:
            plan = [(i, mapping[h], self.fast.converter(mapping[h])) for i, h in enumerate(header) if h in mapping]
            self._table_lane = table_row_builder(plan, self.fast)

    def validate_values(self, number: int, values: list[Any]) -> Any | None:
        """A table row straight from its cells; on any doubt, the dict path (and marshmallow)."""
        lane = self._table_lane
        width = len(self.header)
        if lane is not None and not self.header_failed and len(values) <= width:
            try:
                # A short row's missing cells are blank, as in the dict path.
                return lane(values if len(values) == width else values + [""] * (width - len(values)))
            except (Defer, AttributeError, ValidationError):  # AttributeError: a non-text cell
                pass
        return self.validate(number, table_row_as_dict(self.header, values))

    def _preferred_header(self, field_name: str) -> str:
        fld = self.kind.schema._declared_fields.get(field_name)
        label = fld.metadata.get("zh") if fld is not None else None
        return f"{field_name} ({label})" if label else field_name

    def validate(self, number: int, raw: dict[str, Any]) -> Any | None:
        if "__error__" in raw:
            self.errors.append(RowError(self.file_label, number, "-", raw["__error__"]))
            return None
        extra = raw.pop("__extra__", None) if "__extra__" in raw else None
        mapping = self._mapping_for(raw)
        if self.header_failed:
            return None
        for header, value in raw.items():
            if _has_nul(value):
                # PostgreSQL cannot store NUL in text; SQLite can: refuse it on both.
                self._error(number, header, "contains a NUL character (\\x00)")
                return None
        if extra is not None:
            self.errors.append(RowError(self.file_label, number, "-", f"{len(extra)} more value(s) than header columns"))
            return None
        try:
            data, origin = self.preparer.prepare(raw, mapping)
        except _PrepError as exc:
            for field_name, reason in exc.errors.items():
                self._error(number, exc.origin.get(field_name, field_name), reason)
            return None
        if self.fast.supported:
            try:
                return self.fast.load(data)
            except Defer:
                pass
        try:
            return self.schema.load(data)
        except ValidationError as exc:
            inverse = {name: header for header, name in mapping.items()}
            for path, reason in flatten_errors(exc.messages):
                head = path.split(".", 1)[0]
                column = (origin.get(head) or inverse.get(head) or self._preferred_header(head)) + path[len(head):]
                self._error(number, column, reason)
            return None

    def _error(self, number: int, column: str, reason: str) -> None:
        letter = self._letters.get(column.split(".", 1)[0]) if self._letters else None
        self.errors.append(RowError(self.file_label, number, column, reason, f"{letter}{number}" if letter else None))


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def validate_rows(path: Path, kind: RecordKind, fmt: str, encoding: str | None) -> Iterator[tuple[RowValidator, int, Any]]:
    validator = RowValidator(kind, str(path), tabular=fmt in ("csv", "xlsx"))
    try:
        if validator.tabular:
            header, rows = read_table(path, fmt, encoding)
            validator.set_header(header, cells=fmt == "xlsx")
            if validator.header_failed:
                yield validator, 1, None
                return
            for number, values in rows:
                yield validator, number, validator.validate_values(number, values)
            return
        for number, raw in read_rows(path, fmt, encoding):
            yield validator, number, validator.validate(number, raw)
            if validator.header_failed:
                return
    except FileProblem as problem:
        # The file itself cannot be read on from here: one error naming where, nothing stored.
        validator.errors.append(RowError(validator.file_label, problem.row, problem.column, problem.reason))
        yield validator, problem.row, None


def check_file(path: str | Path, kind: RecordKind, fmt: str | None = None, encoding: str | None = None) -> tuple[int, list[str]]:
    """Validate a whole file as an import would, storing nothing: (its records, headers that
    matched no field); raises ImportFailed listing every bad row, as the import would refuse it."""
    path = Path(path)
    fmt = detect_format(path, fmt)
    rows, records, validator = 0, 0, None
    seen: dict[str, tuple[int, str]] = {}
    conflicts: list[RowError] = []
    for validator, number, record in validate_rows(path, kind, fmt, encoding):
        rows += 1
        if record is not None:
            records += 1
            if kind.append_only:
                _check_append_only_twice(kind, number, record, seen, conflicts, validator.file_label)
    if validator is None:
        return 0, []
    if not validator.errors:
        # As in an import, where the writer sees a key twice only once every row is valid.
        validator.errors.extend(conflicts)
    if validator.errors:
        raise ImportFailed(validator.errors, rows)
    return records, sorted(validator.preparer.unknown_headers)


def iter_file_records(path: str | Path, kind: RecordKind, fmt: str | None = None, encoding: str | None = None) -> Iterator[Any]:
    """Validate a whole file first, then yield its records: bad input never yields a partial run."""
    path = Path(path)
    fmt = detect_format(path, fmt)
    check_file(path, kind, fmt, encoding)
    for _validator, _number, record in validate_rows(path, kind, fmt, encoding):
        yield record


def _check_append_only_twice(kind: RecordKind, number: int, record: Any, seen: dict[str, tuple[int, str]],
                             conflicts: list[RowError], file_label: str) -> None:
    """The check an import's writer makes, for a file a command decides without storing it: one
    append-only key given twice must carry the same content (reported at its first row, as an
    import reports it)."""
    from .codec import key_text, payload_text
    from .decisions import text_hash
    from .store import AppendOnlyConflict

    key, digest = key_text(kind.key_of(record)), text_hash(payload_text(kind, record))
    first, first_digest = seen.setdefault(key, (number, digest))
    if first_digest != digest:
        conflicts.append(RowError(file_label, first, kind.natural_key[0], str(AppendOnlyConflict.given_twice(kind.name, key))))


def import_file(db, kinds, kind_name: str, path: str | Path, fmt: str | None = None, encoding: str | None = None,
                chunk_size: int = 5000, progress=None, run_id: str | None = None):
    """Validate and store a file in one transaction; on any bad row, roll back and raise ImportFailed.

    Returns (StoreResult, headers that matched no field)."""
    from .engine import bulk_work
    from .store import AppendOnlyConflict, RecordWriter, StoreResult

    kind = kinds.get(kind_name)
    path = Path(path)
    fmt = detect_format(path, fmt)
    buffer: list[tuple[int, Any]] = []
    rows, validator = 0, None
    with bulk_work(), db.write() as connection:
        writer = RecordWriter(connection, kinds, kind, run_id or str(uuid.uuid4()))
        for validator, number, record in validate_rows(path, kind, fmt, encoding):
            rows += 1
            if record is not None and not validator.errors:
                buffer.append((number, record))
                if len(buffer) >= chunk_size:
                    _write(writer, buffer, validator, AppendOnlyConflict)
                    buffer = []
            if progress is not None:
                progress(1)
        if validator is None:
            return StoreResult(kind.name), []
        if not validator.errors and buffer:
            _write(writer, buffer, validator, AppendOnlyConflict)
        if validator.errors:
            raise ImportFailed(validator.errors, rows)
    return writer.result, sorted(validator.preparer.unknown_headers)


def _write(writer, buffer, validator, conflict_type) -> None:
    try:
        writer.write([r for _, r in buffer])
    except conflict_type as exc:
        from .codec import key_text

        kind = writer.kind
        number = next((n for n, r in buffer if key_text(kind.key_of(r)) == exc.key), buffer[0][0])
        validator.errors.append(RowError(validator.file_label, number, kind.natural_key[0], str(exc)))
