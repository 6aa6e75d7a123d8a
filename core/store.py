"""Write validated records idempotently on their natural keys, and stream them back as dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, fields as dc_fields
from functools import lru_cache
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from .engine import chunked
from .records import Archive, ArchiveApproval, ArchiveDocument, get_kind
from .storage.db import Database
from .storage.models import MODEL_BY_KIND


class AppendOnlyConflict(ValueError):
    """An append-only record (a floor event) was re-sent with different content."""


@dataclass
class StoreResult:
    kind: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.new + self.changed + self.unchanged


APPEND_ONLY_KINDS = {"floor_event"}


def table_of(kind: str) -> Table:
    return MODEL_BY_KIND[kind].__table__


@lru_cache(maxsize=None)
def _columns(kind: str) -> tuple[str, ...]:
    return tuple(c.name for c in table_of(kind).columns if c.name != "id")


def to_row(kind: str, record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _columns(kind)}


class RecordWriter:
    """Writes chunks of one kind inside the caller's transaction; counts new / changed / unchanged."""

    def __init__(self, connection: Connection, kind: str) -> None:
        self.connection = connection
        self.kind = kind
        self.spec = get_kind(kind)
        self.table = table_of(kind)
        self.key_cols = [self.table.c[k] for k in self.spec.natural_key]
        self.result = StoreResult(kind)
        self.dialect = connection.dialect.name
        if self.dialect == "sqlite":
            # New rows go through the driver's executemany, each value converted by the column type's
            # own bind processor (the same conversion SQLAlchemy applies): ~2x faster than Core here.
            dialect = connection.dialect
            names = _columns(kind)
            self._processors = [(n, self.table.c[n].type.dialect_impl(dialect).bind_processor(dialect)) for n in names]
            self._insert_sql = f"INSERT INTO {self.table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"

    def write(self, records: Sequence[Any]) -> None:
        # Within a chunk a later row with the same natural key replaces the earlier one (file order).
        rows_by_key: dict[tuple, dict[str, Any]] = {}
        children: list[tuple[str, Any]] = []
        for record in records:
            row = to_row(self.kind, record)
            key = tuple(row[k] for k in self.spec.natural_key)
            if self.kind in APPEND_ONLY_KINDS and key in rows_by_key and rows_by_key[key] != row:
                raise AppendOnlyConflict(f"{self.kind} {key[0]} appears twice with different content")
            rows_by_key[key] = row
            if isinstance(record, Archive):
                children.extend(("archive_document", _with_archive(d, record.code)) for d in record.documents)
                children.extend(("archive_approval", _with_archive(a, record.code)) for a in record.approvals)
        existing = self._existing(list(rows_by_key))
        new_rows, changed_rows = [], []
        for key, row in rows_by_key.items():
            old = existing.get(key)
            if old is None:
                new_rows.append(row)
            elif old != row:
                if self.kind in APPEND_ONLY_KINDS:
                    raise AppendOnlyConflict(
                        f"{self.kind} {key[0]} is already stored with different content; floor events are "
                        f"append-only: record a correction as a new event whose details reference {key[0]}"
                    )
                changed_rows.append(row)
            else:
                self.result.unchanged += 1
        if new_rows:
            self._insert(new_rows)
            self.result.new += len(new_rows)
        if changed_rows:
            self.connection.execute(self._upsert(), changed_rows)
            self.result.changed += len(changed_rows)
        for child_kind in ("archive_document", "archive_approval"):
            items = [c for k, c in children if k == child_kind]
            if items:
                RecordWriter(self.connection, child_kind).write(items)

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        if self.dialect != "sqlite":
            self.connection.execute(self.table.insert(), rows)
            return
        procs = self._processors
        values = [tuple(row[n] if p is None or row[n] is None else p(row[n]) for n, p in procs) for row in rows]
        cursor = self.connection.connection.dbapi_connection.cursor()
        try:
            cursor.executemany(self._insert_sql, values)
        finally:
            cursor.close()

    def _existing(self, keys: list[tuple]) -> dict[tuple, dict[str, Any]]:
        if not keys:
            return {}
        cols = [self.table.c[name] for name in _columns(self.kind)]
        # Filter on the first key column alone: SQLite answers a row-value IN (a, b) IN (...) with a
        # full scan, which made importing composite-key kinds quadratic. The rest matches in Python.
        cond = self.key_cols[0].in_(list({k[0] for k in keys}))
        wanted = set(keys)
        found = {}
        for row in self.connection.execute(select(*cols).where(cond)).mappings():
            data = dict(row)
            key = tuple(data[k] for k in self.spec.natural_key)
            if key in wanted:
                found[key] = data
        return found

    def _upsert(self):
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        if self.dialect not in ("postgresql", "sqlite"):
            # Other backends: plain UPDATE by natural key (rows are known to exist).
            from sqlalchemy import bindparam

            cond = [c == bindparam(c.name) for c in self.key_cols]
            values = {c: bindparam(c) for c in _columns(self.kind) if c not in self.spec.natural_key}
            return update(self.table).where(*cond).values(values)
        stmt = dialect_insert(self.table)
        return stmt.on_conflict_do_update(
            index_elements=self.key_cols,
            set_={c: stmt.excluded[c] for c in _columns(self.kind) if c not in self.spec.natural_key},
        )


def _with_archive(item: Any, archive_code: str) -> Any:
    item.archive_code = archive_code
    return item


def store_records(db: Database, kind: str, records: Iterable[Any], chunk_size: int = 5000) -> StoreResult:
    """Store records of one kind in one transaction (all or nothing)."""
    with db.engine.begin() as connection:
        writer = RecordWriter(connection, kind)
        for chunk in chunked(records, chunk_size):
            writer.write(chunk)
    return writer.result


def iter_records(
    db: Database,
    kind: str,
    ids: Sequence[str] | None = None,
    chunk_size: int = 5000,
    volume_months: Sequence[str] | None = None,
) -> Iterator[Any]:
    """Stream stored records as dataclasses. Floor events come in time order (ties: insertion order),
    the order a replay needs; others in insertion order. ``volume_months`` fills ``Customer.volumes``."""
    spec = get_kind(kind)
    table = table_of(kind)
    cols = [table.c[name] for name in _columns(kind)]
    stmt = select(*cols)
    if ids:
        stmt = stmt.where(table.c[spec.subject_field or spec.natural_key[0]].in_(list(ids)))
    if kind == "floor_event":
        stmt = stmt.order_by(table.c.occurred_at, table.c.id)
    else:
        stmt = stmt.order_by(table.c.id)
    record_fields = {f.name for f in dc_fields(spec.record_class)}
    with db.engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=chunk_size).execute(stmt)
        for rows in result.mappings().partitions():
            records = [spec.record_class(**{k: v for k, v in row.items() if k in record_fields}) for row in rows]
            if kind == "archive":
                _attach_archive_children(db, connection, records)
            if kind == "customer" and volume_months:
                _attach_volumes(connection, records, volume_months)
            yield from records


def _attach_archive_children(db: Database, connection: Connection, archives: list[Archive]) -> None:
    by_code = {a.code: a for a in archives}
    for child_kind, cls, attr in (
        ("archive_document", ArchiveDocument, "documents"),
        ("archive_approval", ArchiveApproval, "approvals"),
    ):
        table = table_of(child_kind)
        cols = [table.c[name] for name in _columns(child_kind)]
        stmt = select(*cols).where(table.c.archive_code.in_(list(by_code))).order_by(table.c.id)
        for row in connection.execute(stmt).mappings():
            getattr(by_code[row["archive_code"]], attr).append(cls(**dict(row)))


def _attach_volumes(connection: Connection, customers: list[Any], months: Sequence[str]) -> None:
    table = table_of("monthly_volume")
    by_code = {c.code: c for c in customers}
    stmt = select(table.c.customer_code, table.c.month, table.c.volume).where(
        table.c.customer_code.in_(list(by_code)), table.c.month.in_(list(months))
    )
    for code, month, volume in connection.execute(stmt):
        by_code[code].volumes[month] = volume


def count_records(db: Database, kind: str, ids: Sequence[str] | None = None) -> int:
    """How many records a run over the database will stream (for the progress bar's total)."""
    from sqlalchemy import func

    spec = get_kind(kind)
    table = table_of(kind)
    stmt = select(func.count()).select_from(table)
    if ids:
        stmt = stmt.where(table.c[spec.subject_field or spec.natural_key[0]].in_(list(ids)))
    with db.engine.connect() as connection:
        return connection.execute(stmt).scalar_one()
