"""The append-only, hash-chained decision log: every decision taken against the database.

Each chunk of a run is written in its own short transaction that holds the log's write lock
(SQLite's BEGIN IMMEDIATE, a PostgreSQL advisory lock), takes ids in order and chains each row's
hash over the previous row's hash and the row's whole content. ``zhidu log verify`` recomputes it.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any, Iterable, Iterator, Sequence, cast

from sqlalchemy import Table, and_, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from .decisions import Citation, Decision, canonical_json, json_piece, text_hash, to_jsonable
from .runs import COMMITTED, RUNS, Run
from .storage.db import Database, driver_connection, driver_executemany
from .storage.models import DecisionRow, ParameterSetRow

LOG = cast(Table, DecisionRow.__table__)
PARAMETER_SETS = cast(Table, ParameterSetRow.__table__)
GENESIS = "0" * 64
_LOCK_KEY = 0x7A6869647564  # "zhidud": the advisory lock the log's writers take on PostgreSQL

HASHED = ("id", "run_id", "command", "decided_at", "as_of", "subject_kind", "subject_id", "rule_id",
          "citation_document", "citation_clause", "outcome", "explanation", "plugin", "plugin_version",
          "parameters", "inputs", "fingerprint")


def row_hash(prev_hash: str, row: dict[str, Any]) -> str:
    """sha256 over the previous row's hash and this row's content (times as UTC ISO text). A row
    that names its parameter set (schema 0003) hashes the set's sha256 in place of the set."""
    content = [row[c] for c in HASHED]
    content[3] = row["decided_at"].astimezone(timezone.utc).isoformat(timespec="microseconds")
    content[4] = row["as_of"].isoformat()
    if row.get("parameter_set") is not None:
        content.append(row["parameter_set"])
    return text_hash(prev_hash + canonical_json(to_jsonable(content)))


def _lock_and_tail(connection: Connection) -> tuple[int, str]:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    last = connection.execute(select(LOG.c.id, LOG.c.row_hash).order_by(LOG.c.id.desc()).limit(1)).first()
    return (0, GENESIS) if last is None else (last[0], last[1])


def parameter_set_hash(parameters: Any) -> str:
    """The content address of a JSON-ready parameter set."""
    return text_hash(canonical_json(parameters))


_POSTGRESQL_COPY = f"COPY decision_log ({', '.join(HASHED)}, parameter_set, prev_hash, row_hash) FROM STDIN"
_SQLITE_INSERT = (f"INSERT INTO decision_log ({', '.join(HASHED)}, parameter_set, prev_hash, row_hash) "
                  f"VALUES ({', '.join('?' * (len(HASHED) + 3))})")


def chain_hash(prev_hash: str, pieces: Sequence[str]) -> str:
    """``row_hash`` over content already serialised piece by piece (``json_piece``), so the log need
    not build the content list and serialise it again."""
    return text_hash(prev_hash + "[" + ",".join(pieces) + "]")


class DecisionLogWriter:
    """Appends one run's decisions chunk by chunk, each chunk in its own committed transaction."""

    def __init__(self, db: Database, run: Run) -> None:
        self.db = db
        self.run = run
        self.count = 0
        self._sets: dict[str, tuple[str, Any, str]] = {}  # repr of a rule's parameters -> (hash, JSON, its text)
        self._stored_sets: set[str] = set()
        self._rules: dict[tuple[str, Any, str, str], tuple[str, str]] = {}  # -> (pieces 7-9, pieces 12-13)

    def append(self, decisions: Sequence[Decision]) -> None:
        if not decisions:
            return
        now = datetime.now(timezone.utc)
        run = self.run
        assert run.as_of is not None, "a decision run is decided as of a day"
        as_of = run.as_of.isoformat()
        # The pieces every row of the chunk shares: run, command, time, as_of.
        shared = ",".join(map(json_piece, (run.id, run.command, now.isoformat(timespec="microseconds"), as_of)))
        sqlite_at = now.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        with self.db.write() as connection:
            postgresql_log = connection.dialect.name == "postgresql"
            last_id, prev = _lock_and_tail(connection)
            rows = []
            for offset, d in enumerate(decisions, start=1):
                row_id = last_id + offset
                outcome = d.canonical_text("outcome")
                inputs = d.canonical_text("inputs") if d.inputs is not None else "{}"
                set_hash, parameters = self._parameter_set(d.parameters)
                d.keep_canonical("parameters", parameters)
                rule, source = self._rule_pieces(d)
                row_hash = chain_hash(prev, (
                    str(row_id), shared, json_piece(d.subject_kind), json_piece(d.subject_id), rule, outcome,
                    json_piece(d.explanation), source, "null", inputs, json_piece(d.fingerprint), json_piece(set_hash)))
                rows.append((
                    row_id, run.id, run.command, now if postgresql_log else sqlite_at, run.as_of if postgresql_log else as_of,
                    d.subject_kind, d.subject_id, d.rule_id, d.citation.document, d.citation.clause, outcome,
                    d.explanation, d.plugin, d.plugin_version, None, inputs, d.fingerprint, set_hash, prev, row_hash,
                ))
                prev = row_hash
            self._store_sets(connection)
            if postgresql_log:
                self._postgresql_copy(connection, rows)
            else:
                driver_executemany(connection, _SQLITE_INSERT, rows)
        for decision, row in zip(decisions, rows):
            decision.decision_id = row[0]
            decision.decided_at = now
        self.count += len(decisions)

    def _rule_pieces(self, d: Decision) -> tuple[str, str]:
        """rule_id, citation document and clause; plugin and version: serialised once per rule."""
        key = (d.rule_id, d.citation, d.plugin, d.plugin_version)
        known = self._rules.get(key)
        if known is None:
            known = self._rules[key] = (",".join(map(json_piece, (d.rule_id, d.citation.document, d.citation.clause))),
                                        ",".join(map(json_piece, (d.plugin, d.plugin_version))))
        return known

    def _parameter_set(self, parameters: dict[str, Any]) -> tuple[str, str]:
        """The set's hash and canonical text. A run's decisions carry a handful of distinct parameter
        sets: each is serialised and hashed once."""
        key = repr(parameters)
        known = self._sets.get(key)
        if known is None:
            if len(self._sets) > 1000:
                self._sets = {k: v for k, v in self._sets.items() if v[0] not in self._stored_sets}
            value = to_jsonable(parameters)
            text = canonical_json(value)
            known = self._sets[key] = (text_hash(text), value, text)
        return known[0], known[2]

    def _store_sets(self, connection: Connection) -> None:
        """Each parameter set this writer has not stored yet, once (another run may have: DO NOTHING)."""
        fresh = {digest: value for digest, value, _text in self._sets.values() if digest not in self._stored_sets}
        if not fresh:
            return
        insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(PARAMETER_SETS)
        connection.execute(insert.on_conflict_do_nothing(index_elements=[PARAMETER_SETS.c.hash]),
                           [{"hash": digest, "parameters": value} for digest, value in fresh.items()])
        self._stored_sets.update(fresh)

    @staticmethod
    def _postgresql_copy(connection: Connection, rows: list[tuple]) -> None:
        # psycopg 3's COPY on the connection's own driver connection, inside its transaction: the
        # JSON columns go as their canonical text, which the server parses as JSONB.
        with driver_connection(connection).cursor() as cursor, cursor.copy(_POSTGRESQL_COPY) as copy:
            for row in rows:
                copy.write_row(row)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def row_to_decision(row: Any) -> Decision:
    return Decision(
        subject_kind=row.subject_kind,
        subject_id=row.subject_id,
        outcome=_json(row.outcome),
        rule_id=row.rule_id,
        citation=Citation(row.citation_document, row.citation_clause),
        explanation=row.explanation,
        parameters=_json(row.parameters if row.parameters is not None else row.set_parameters),
        plugin=row.plugin,
        plugin_version=row.plugin_version,
        inputs=_json(row.inputs),
        fingerprint=row.fingerprint,
        decision_id=row.id,
        decided_at=row.decided_at,
    )


def get_decision(db: Database, decision_id: int) -> tuple[Decision, dict[str, Any]] | None:
    stmt = (select(LOG, _SET_PARAMETERS, RUNS.c.company, RUNS.c.status, RUNS.c.timezone)
            .join(RUNS, RUNS.c.id == LOG.c.run_id, isouter=True).join(*_WITH_SET, isouter=True).where(LOG.c.id == decision_id))
    with db.engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        return None
    meta = {
        "run_id": row.run_id,
        "command": row.command,
        "decided_at": row.decided_at,
        "as_of": row.as_of.isoformat(),
        "company": row.company,
        "run_status": row.status,
        "timezone": row.timezone,
    }
    return row_to_decision(row), meta


_SET_PARAMETERS = PARAMETER_SETS.c.parameters.label("set_parameters")
_WITH_SET = (PARAMETER_SETS, PARAMETER_SETS.c.hash == LOG.c.parameter_set)


def _committed():
    return (select(LOG, _SET_PARAMETERS).join(RUNS, and_(RUNS.c.id == LOG.c.run_id, RUNS.c.status == COMMITTED))
            .join(*_WITH_SET, isouter=True))


def query_decisions(
    db: Database,
    subject_id: str | None = None,
    subject_kind: str | None = None,
    rule: str | None = None,
    plugin: str | None = None,
    command: str | None = None,
    run_id: str | None = None,
    limit: int | None = 100,
    history: bool = False,
) -> Iterator[Decision]:
    """Committed decisions, oldest first. By default only the *current* ones: for each subject and
    command, the decisions of the latest committed run that decided it; ``history`` gives all."""
    stmt = _committed().order_by(LOG.c.id)
    conditions = []
    if subject_id:
        # Per-event decisions about a subject ("C001@E123"): "C001*" finds them all.
        conditions.append(LOG.c.subject_id.like(subject_id.replace("*", "%")) if "*" in subject_id else LOG.c.subject_id == subject_id)
    if subject_kind:
        conditions.append(LOG.c.subject_kind == subject_kind)
    if rule:
        conditions.append(LOG.c.rule_id.like(rule.replace("*", "%")))
    if plugin:
        conditions.append(LOG.c.plugin == plugin)
    if command:
        conditions.append(LOG.c.command == command)
    if run_id:
        conditions.append(LOG.c.run_id == run_id)
    stmt = stmt.where(*conditions)
    if not history and not run_id:
        stmt = stmt.where(LOG.c.run_id == _latest_run_for_subject())
    if limit:
        stmt = stmt.limit(limit)
    with db.engine.connect() as conn:
        for row in conn.execution_options(yield_per=1000).execute(stmt):
            yield row_to_decision(row)


def committed_as_of(db: Database, start: date, end: date, plugin: str | None = None) -> Iterator[tuple[Decision, str, str, date]]:
    """Committed decisions whose run decided as of a day in [start, end] (``zhidu report``), oldest
    first, each with its command, run id and ``as_of``."""
    stmt = _committed().where(LOG.c.as_of >= start, LOG.c.as_of <= end).order_by(LOG.c.id)
    if plugin:
        stmt = stmt.where(LOG.c.plugin == plugin)
    with db.engine.connect() as conn:
        for row in conn.execution_options(yield_per=1000).execute(stmt):
            yield row_to_decision(row), row.command, row.run_id, row.as_of


def _latest_run_for_subject():
    """The run of the newest committed decision with the same subject and command (correlated)."""
    inner = LOG.alias("newer")
    runs = RUNS.alias("newer_run")
    return (
        select(inner.c.run_id)
        .join(runs, and_(runs.c.id == inner.c.run_id, runs.c.status == COMMITTED))
        .where(inner.c.subject_kind == LOG.c.subject_kind, inner.c.subject_id == LOG.c.subject_id, inner.c.command == LOG.c.command)
        .order_by(inner.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def subject_history(db: Database, subject_kind: str, subject_ids: Iterable[str], command: str | None = None,
                    rule: str | None = None) -> dict[str, list[Decision]]:
    """Committed decisions per subject, oldest first (what hooks read through ``context.history``)."""
    wanted = list(dict.fromkeys(subject_ids))
    found: dict[str, list[Decision]] = {}
    with db.engine.connect() as conn:
        for start in range(0, len(wanted), 5000):
            stmt = _committed().where(LOG.c.subject_kind == subject_kind, LOG.c.subject_id.in_(wanted[start:start + 5000]))
            if command:
                stmt = stmt.where(LOG.c.command == command)
            if rule:
                stmt = stmt.where(LOG.c.rule_id.like(rule.replace("*", "%")))
            for row in conn.execute(stmt.order_by(LOG.c.id)):
                found.setdefault(row.subject_id, []).append(row_to_decision(row))
    return found


def count_decisions(db: Database, committed_only: bool = True) -> int:
    stmt = select(func.count()).select_from(_committed().subquery() if committed_only else LOG)
    with db.engine.connect() as conn:
        return conn.execute(stmt).scalar_one()
