"""Write validated records of any declared kind idempotently on (kind, natural key), and stream
them back as the dataclasses hooks receive. One generic table (``records``) holds every kind."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from operator import itemgetter
from typing import Any, Iterable, Iterator, Sequence, cast

from sqlalchemy import Table, Text, delete, func, select, text, type_coerce
from sqlalchemy.engine import Connection

from .codec import decode, dense_content_hash, key_text, payload_text, sort_text
from .decisions import text_hash
from .engine import chunked
from .kinds import KindRegistry, RecordKind
from .storage.db import Database, driver_connection, driver_executemany
from .storage.models import RecordRow

RECORDS = cast(Table, RecordRow.__table__)
# The payload as the driver gives it: SQLite's text is parsed by _loads, ~2x faster than SQLAlchemy's
# JSON type does it; PostgreSQL's driver parses JSONB itself.
_PAYLOAD = type_coerce(RECORDS.c.payload, Text)
# Keys per existence query on SQLite: well under its 32,766 bound parameters.
_SQLITE_KEYS = 5000
# pg_advisory_xact_lock's key for record writers: "zhidu" in ASCII.
_PG_RECORDS_LOCK = 0x7A68696475


class AppendOnlyConflict(ValueError):
    """An append-only record (a floor event) was re-sent with different content."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key

    @classmethod
    def given_twice(cls, kind_name: str, key: str) -> "AppendOnlyConflict":
        """One file gives the same append-only key twice with different content."""
        return cls(f"{kind_name} {key} appears twice with different content", key)


@dataclass
class StoreResult:
    kind: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.new + self.changed + self.unchanged


@dataclass
class _Prepared:
    key: str
    row: dict[str, Any]
    children: list[dict[str, Any]]  # child rows (already prepared) when given with the parent
    children_given: bool
    record: Any
    child_records: list[tuple[RecordKind, Any]]  # beside ``children``


class RecordWriter:
    """Writes chunks of one kind inside the caller's transaction; counts new / changed / unchanged.

    A parent imported with its children (an archive with its documents) is one unit: it counts as
    changed when its own fields or its set of children changed, and its stored children are
    replaced by the given ones. A child kind imported on its own sheet is written row by row under
    its parent's key.
    """

    def __init__(self, connection: Connection, kinds: KindRegistry, kind: "str | RecordKind", run_id: str) -> None:
        self.connection = connection
        self.kinds = kinds
        self.kind = kinds.get(kind)
        self.run_id = run_id
        self.result = StoreResult(self.kind.name)
        self.dialect = connection.dialect.name
        self.now = datetime.now(timezone.utc)
        parent = kinds.parent_of(self.kind.name)
        self.parent: tuple[RecordKind, str] | None = (parent[0], parent[1].parent_field) if parent else None
        if self.dialect == "postgresql":
            # One record writer at a time per database, until its transaction ends (SQLite's BEGIN
            # IMMEDIATE does the same): the existence check then sees every row stored before, so
            # new rows can go by COPY, which cannot upsert. One lock for every kind, so that a
            # transaction writing several kinds cannot deadlock with another.
            connection.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": _PG_RECORDS_LOCK})

    def _row(self, kind: RecordKind, record: Any, parent: tuple[str, str] | None) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        payload_json = payload_text(kind, record)
        children = {c.field: list(getattr(record, c.field) or ()) for c in kind.children} if kind.children else {}
        row = {
            "kind": kind.name,
            "key": key_text(kind.key_of(record)),
            "subject": kind.subject_of(record),
            "sort_at": sort_text(getattr(record, kind.order_by)) if kind.order_by else None,
            "parent_kind": parent[0] if parent else None,
            "parent_key": parent[1] if parent else None,
            "content_hash": text_hash(payload_json),
            "payload_json": payload_json,  # serialised once: hashed here, written as is
            "append_only": kind.append_only,
            "run_id": self.run_id,
            "entered_at": self.now,
        }
        return row, children

    def write(self, records: Sequence[Any]) -> None:
        prepared: dict[str, _Prepared] = {}
        for record in records:
            parent = None
            if self.parent is not None:
                pkind, pfield = self.parent
                parent = (pkind.name, key_text((getattr(record, pfield),)))
            row, children = self._row(self.kind, record, parent)
            child_rows: list[dict[str, Any]] = []
            child_records: list[tuple[RecordKind, Any]] = []
            given = False
            for spec in self.kind.children:
                items = children.get(spec.field) or []
                if items:
                    given = True
                child_kind = self.kinds.get(spec.kind)
                for item in items:
                    setattr(item, spec.parent_field, getattr(record, self.kind.natural_key[0]))
                    child_rows.append(self._row(child_kind, item, (self.kind.name, row["key"]))[0])
                    child_records.append((child_kind, item))
            earlier = prepared.get(row["key"])
            if self.kind.append_only and earlier is not None and earlier.row["content_hash"] != row["content_hash"]:
                raise AppendOnlyConflict.given_twice(self.kind.name, row["key"])
            # Within a chunk a later row with the same natural key replaces the earlier one (file order).
            prepared[row["key"]] = _Prepared(row["key"], row, child_rows, given, record, child_records)
        if not prepared:
            return
        existing = self._existing(list(prepared))
        old_children = self._existing_children([p.key for p in prepared.values() if p.children_given and p.key in existing])
        inserts: list[_Prepared] = []
        updates: list[_Prepared] = []
        replace_children: list[_Prepared] = []
        unchanged = 0
        for p in prepared.values():
            old = existing.get(p.key)
            if old is None:
                inserts.append(p)
                if p.children:
                    replace_children.append(p)
                continue
            children_changed = p.children_given and self._children_changed(p, old_children.get(p.key, {}))
            if _same(old, p.row, self.kind, p.record) and not children_changed:
                unchanged += 1
                continue
            if self.kind.append_only:
                raise self._conflict(p.key)
            updates.append(p)
            if children_changed:
                replace_children.append(p)
        self.result.unchanged += unchanged
        self._count_upsert(inserts, updates)  # an append-only kind has no updates: refused above
        if replace_children:
            keys = [p.key for p in replace_children]
            self.connection.execute(delete(RECORDS).where(RECORDS.c.parent_kind == self.kind.name, RECORDS.c.parent_key.in_(keys)))
            self._upsert([c for p in replace_children for c in p.children])

    @staticmethod
    def _children_changed(p: _Prepared, stored: dict[tuple[str, str], str]) -> bool:
        """Whether the given children differ from the stored ones ((kind, key) -> content hash)."""
        given = {(row["kind"], row["key"]): (row, kind, record) for row, (kind, record) in zip(p.children, p.child_records)}
        if given.keys() != stored.keys():
            return True
        return not all(_same(stored[k], row, kind, record) for k, (row, kind, record) in given.items())

    def _count_upsert(self, inserts: list[_Prepared], updates: list[_Prepared]) -> None:
        """Store and count: one writer at a time (BEGIN IMMEDIATE on SQLite, the advisory lock on
        PostgreSQL) makes the existence check exact, so new rows are inserted (by COPY on
        PostgreSQL) and only changed ones upserted."""
        # A parent whose only change is its set of children is a no-op here (same content_hash).
        if self.dialect == "postgresql":
            self._postgresql_copy([p.row for p in inserts])
            self._upsert([p.row for p in updates])
        else:
            self._upsert([p.row for p in inserts + updates])
        self.result.new += len(inserts)
        self.result.changed += len(updates)

    def _conflict(self, key: str) -> AppendOnlyConflict:
        return AppendOnlyConflict(
            f"{self.kind.name} {key} is already stored with different content; {self.kind.name} records are "
            f"append-only: record a correction as a new record that references it", key)

    def _existing(self, keys: list[str]) -> dict[str, str]:
        """key -> content hash of the chunk's keys already stored, on the driver's cursor: an IN
        list of 5,000 parameters built by SQLAlchemy cost more than the lookup itself. PostgreSQL
        takes them as one binary array (= ANY)."""
        if self.dialect == "postgresql":
            with driver_connection(self.connection).cursor() as cursor:
                cursor.execute("SELECT key, content_hash FROM records WHERE kind = %s AND key = ANY(%b::text[])", (self.kind.name, keys))
                return dict(cursor.fetchall())
        found: dict[str, str] = {}
        dbapi = self.connection.connection.dbapi_connection
        assert dbapi is not None, "a connection in use has its driver connection"
        for start in range(0, len(keys), _SQLITE_KEYS):
            some = keys[start:start + _SQLITE_KEYS]
            sql = f"SELECT key, content_hash FROM records WHERE kind = ? AND key IN ({','.join('?' * len(some))})"
            found.update(dbapi.execute(sql, (self.kind.name, *some)))
        return found

    def _existing_children(self, parent_keys: list[str]) -> dict[str, dict[tuple[str, str], str]]:
        """parent key -> {(child kind, child key): content hash} of the stored children."""
        found: dict[str, dict[tuple[str, str], str]] = {}
        if not parent_keys:
            return found
        stmt = select(RECORDS.c.parent_key, RECORDS.c.kind, RECORDS.c.key, RECORDS.c.content_hash).where(
            RECORDS.c.parent_kind == self.kind.name, RECORDS.c.parent_key.in_(parent_keys)
        )
        for parent_key, kind, key, digest in self.connection.execute(stmt):
            found.setdefault(parent_key, {})[(kind, key)] = digest
        return found

    def _upsert(self, rows: list[dict[str, Any]]) -> None:
        """INSERT ... ON CONFLICT (kind, key) DO UPDATE, content permitting (not append-only, changed)."""
        if not rows:
            return
        if self.dialect == "sqlite":
            self._sqlite_upsert(rows)
        else:
            self._postgresql_array_upsert(rows)

    _COLUMNS = ("kind", "key", "subject", "sort_at", "parent_kind", "parent_key", "payload", "content_hash",
                "append_only", "run_id", "entered_at")
    _CHANGING = ("subject", "sort_at", "parent_kind", "parent_key", "payload", "content_hash", "run_id", "entered_at")
    _PG_UPSERT = (
        f"INSERT INTO records ({', '.join(_COLUMNS)}) SELECT {', '.join(_COLUMNS)} FROM unnest("
        "%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[]::jsonb[], %b::text[], "
        f"%b::boolean[], %b::text[], %b::timestamptz[]) WITH ORDINALITY AS incoming ({', '.join(_COLUMNS)}, position) "
        f"ORDER BY position ON CONFLICT (kind, key) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _CHANGING)} "
        f"WHERE records.content_hash <> excluded.content_hash AND NOT records.append_only"
    )
    _PG_COPY = f"COPY records ({', '.join(_COLUMNS)}) FROM STDIN"

    # A prepared row's values in _COLUMNS order, the payload as its canonical text.
    _values = staticmethod(itemgetter(*_COLUMNS[:6], "payload_json", *_COLUMNS[7:]))

    def _postgresql_array_upsert(self, rows: list[dict[str, Any]]) -> None:
        """Changed rows as one statement over column arrays (unnest, in file order), on the driver's
        own connection and transaction: no per-row round trip or statement. COPY cannot upsert, and
        staging it would need a temporary table, which the least-privilege decider role
        (docs/security.md) may not create."""
        columns = [list(column) for column in zip(*map(self._values, rows))]
        with driver_connection(self.connection).cursor() as cursor:
            # %b, binary: array elements go length-prefixed; the text form escapes every quote of
            # every payload in Python (psycopg's text array dumper), most of the import's time.
            cursor.execute(self._PG_UPSERT, columns)

    def _postgresql_copy(self, rows: list[dict[str, Any]]) -> None:
        """New rows by psycopg's COPY, inside the transaction: the existence check, under the
        writers' lock, found none of their keys stored."""
        if not rows:
            return
        with driver_connection(self.connection).cursor() as cursor, cursor.copy(self._PG_COPY) as copy:
            for row in rows:
                copy.write_row(self._values(row))

    _SQLITE_UPSERT = (
        "INSERT INTO records (kind, key, subject, sort_at, parent_kind, parent_key, payload, content_hash, append_only, run_id, entered_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET subject = excluded.subject, "
        "sort_at = excluded.sort_at, parent_kind = excluded.parent_kind, parent_key = excluded.parent_key, "
        "payload = excluded.payload, content_hash = excluded.content_hash, run_id = excluded.run_id, "
        "entered_at = excluded.entered_at WHERE records.content_hash != excluded.content_hash AND records.append_only = 0"
    )

    def _sqlite_upsert(self, rows: list[dict[str, Any]]) -> None:
        # The driver's executemany with the payload serialised once: ~2x faster than Core here.
        entered = self.now.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        values = [
            (r["kind"], r["key"], r["subject"], r["sort_at"], r["parent_kind"], r["parent_key"], r["payload_json"],
             r["content_hash"], int(r["append_only"]), r["run_id"], entered)
            for r in rows
        ]
        driver_executemany(self.connection, self._SQLITE_UPSERT, values)


def _same(stored_hash: str, row: dict[str, Any], kind: RecordKind, record: Any) -> bool:
    """Whether a stored row holds the prepared row's content: the same hash, or the hash of the
    same record stored in full, as imports wrote it before blank fields were left out."""
    return stored_hash == row["content_hash"] or stored_hash == dense_content_hash(kind, record)


def store_records(db: Database, kinds: KindRegistry, kind: str, records: Iterable[Any], run_id: str | None = None, chunk_size: int = 5000) -> StoreResult:
    """Store records of one kind in one transaction (all or nothing); ``run_id``: the import run."""
    run_id = run_id or str(uuid.uuid4())
    with db.write() as connection:
        writer = RecordWriter(connection, kinds, kind, run_id)
        for chunk in chunked(records, chunk_size):
            writer.write(chunk)
    return writer.result


def _selection(kind: RecordKind, ids: Sequence[str] | None):
    stmt = select(RECORDS.c.key, _PAYLOAD).where(RECORDS.c.kind == kind.name)
    if ids:
        if kind.subject_field is not None:
            stmt = stmt.where(RECORDS.c.subject.in_(list(ids)))
        else:
            stmt = stmt.where(RECORDS.c.key.in_([key_text((i,)) for i in ids]))
    return stmt


def iter_records(db: Database, kinds: KindRegistry, kind: "str | RecordKind", ids: Sequence[str] | None = None, chunk_size: int = 5000) -> Iterator[Any]:
    """Stream stored records as dataclasses, children attached. Kinds with a time order come in that
    order (ties: insertion order), the order a replay needs; others in insertion order."""
    spec = kinds.get(kind)
    stmt = _selection(spec, ids)
    if spec.order_by:  # the partial ix_record_order: every record of such a kind has its sort_at
        stmt = stmt.where(RECORDS.c.sort_at.is_not(None)).order_by(RECORDS.c.sort_at, RECORDS.c.id)
    else:
        stmt = stmt.order_by(RECORDS.c.id)
    with db.engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=chunk_size).execute(stmt)
        for rows in result.partitions():
            records = [(key, decode(spec, _loads(payload))) for key, payload in rows]
            if spec.children:
                _attach_children(connection, kinds, spec, records)
            for _key, record in records:
                yield record


def lookup(db: Database, kinds: KindRegistry, kind: str, subjects: Iterable[str]) -> dict[str, list[Any]]:
    """Stored records of ``kind`` whose subject is one of ``subjects``, grouped by subject (insertion order)."""
    spec = kinds.get(kind)
    wanted = list(dict.fromkeys(str(s) for s in subjects))
    found: dict[str, list[Any]] = {}
    if not wanted:
        return found
    with db.engine.connect() as connection:
        for start in range(0, len(wanted), 5000):
            stmt = (
                select(RECORDS.c.key, RECORDS.c.subject, _PAYLOAD)
                .where(RECORDS.c.kind == spec.name, RECORDS.c.subject.in_(wanted[start:start + 5000]))
                .order_by(RECORDS.c.id)
            )
            rows = [(key, subject, decode(spec, _loads(payload))) for key, subject, payload in connection.execute(stmt)]
            if spec.children:
                _attach_children(connection, kinds, spec, [(k, r) for k, _s, r in rows])
            for _key, subject, record in rows:
                found.setdefault(subject, []).append(record)
    return found


def _loads(payload: Any) -> dict[str, Any]:
    return json.loads(payload) if isinstance(payload, str) else payload


def _attach_children(connection: Connection, kinds: KindRegistry, spec: RecordKind, records: list[tuple[str, Any]]) -> None:
    by_key = {key: record for key, record in records}
    fields_by_kind = {c.kind: c.field for c in spec.children}
    stmt = (
        select(RECORDS.c.kind, RECORDS.c.parent_key, _PAYLOAD)
        .where(RECORDS.c.parent_kind == spec.name, RECORDS.c.parent_key.in_(list(by_key)))
        .order_by(RECORDS.c.id)
    )
    for child_kind, parent_key, payload in connection.execute(stmt):
        field_name = fields_by_kind.get(child_kind)
        if field_name is not None:
            getattr(by_key[parent_key], field_name).append(decode(kinds.get(child_kind), _loads(payload)))


def count_records(db: Database, kinds: KindRegistry, kind: str, ids: Sequence[str] | None = None) -> int:
    """How many records a run over the database will stream (for the progress bar's total)."""
    spec = kinds.get(kind)
    stmt = select(func.count()).select_from(_selection(spec, ids).subquery())
    with db.engine.connect() as connection:
        return connection.execute(stmt).scalar_one()


def counts_by_kind(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {k: n for k, n in connection.execute(select(RECORDS.c.kind, func.count()).group_by(RECORDS.c.kind))}


__all__ = ["AppendOnlyConflict", "RecordWriter", "StoreResult", "count_records", "iter_records", "lookup", "store_records"]
