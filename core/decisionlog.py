"""The append-only decision log: every decision taken against the database, with its inputs' fingerprint."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Iterator, Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from .decisions import Citation, Decision, canonical_json, to_jsonable
from .storage.db import Database
from .storage.models import DecisionRow

LOG = DecisionRow.__table__


@dataclass
class LogRun:
    run_id: str
    command: str
    company: str
    as_of: date


_COLUMNS = (
    "run_id", "command", "decided_at", "as_of", "company", "subject_kind", "subject_id", "rule_id",
    "citation_document", "citation_clause", "outcome", "explanation", "plugin", "plugin_version",
    "parameters", "inputs", "fingerprint",
)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_SQLITE_INSERT = f"INSERT INTO decision_log ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


class DecisionLogWriter:
    """Appends decisions chunk by chunk on one connection; assigns each its decision id.

    On SQLite the rows go through the driver's executemany with the JSON already serialised (the
    generic path through SQLAlchemy's JSON type and RETURNING costs ~2x); ids follow from
    last_insert_rowid, contiguous because the transaction holds SQLite's single write lock. Other
    backends use SQLAlchemy Core executemany with RETURNING.
    """

    def __init__(self, connection: Connection, command: str, company: str, as_of: date) -> None:
        self.connection = connection
        self.run = LogRun(str(uuid.uuid4()), command, company, as_of)
        self.count = 0
        self._sqlite = connection.dialect.name == "sqlite"
        self._params_json: dict[str, str] = {}

    def _parameters(self, parameters: dict[str, Any]) -> str:
        # A run's decisions carry a handful of distinct parameter sets: serialise each once.
        # repr() is a cheap, exact key for these plain values (numbers, Decimals, strings, dates).
        key = repr(parameters)
        text = self._params_json.get(key)
        if text is None:
            if len(self._params_json) > 1000:
                self._params_json.clear()
            text = self._params_json[key] = canonical_json(to_jsonable(parameters))
        return text

    def append(self, decisions: Sequence[Decision]) -> None:
        if not decisions:
            return
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        run = self.run
        if self._sqlite:
            decided_at = now.strftime("%Y-%m-%d %H:%M:%S.%f")
            as_of = run.as_of.isoformat()
            rows = [
                (run.run_id, run.command, decided_at, as_of, run.company, d.subject_kind, d.subject_id, d.rule_id,
                 d.citation.document, d.citation.clause, _dumps(to_jsonable(d.outcome)), d.explanation,
                 d.plugin, d.plugin_version, self._parameters(d.parameters),
                 canonical_json(d.inputs if d.inputs is not None else {}), d.fingerprint)
                for d in decisions
            ]
            cursor = self.connection.connection.dbapi_connection.cursor()
            try:
                cursor.executemany(_SQLITE_INSERT, rows)
                last = cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
            finally:
                cursor.close()
            for decision, decision_id in zip(decisions, range(last - len(rows) + 1, last + 1)):
                decision.decision_id = decision_id
        else:
            rows = [
                {
                    "run_id": run.run_id, "command": run.command, "decided_at": now, "as_of": run.as_of,
                    "company": run.company, "subject_kind": d.subject_kind, "subject_id": d.subject_id,
                    "rule_id": d.rule_id, "citation_document": d.citation.document,
                    "citation_clause": d.citation.clause, "outcome": to_jsonable(d.outcome),
                    "explanation": d.explanation, "plugin": d.plugin, "plugin_version": d.plugin_version,
                    "parameters": to_jsonable(d.parameters), "inputs": d.inputs if d.inputs is not None else {},
                    "fingerprint": d.fingerprint,
                }
                for d in decisions
            ]
            result = self.connection.execute(insert(LOG).returning(LOG.c.id, sort_by_parameter_order=True), rows)
            for decision, (decision_id,) in zip(decisions, result):
                decision.decision_id = decision_id
        self.count += len(decisions)


def row_to_decision(row: Any) -> Decision:
    return Decision(
        subject_kind=row.subject_kind,
        subject_id=row.subject_id,
        outcome=row.outcome,
        rule_id=row.rule_id,
        citation=Citation(row.citation_document, row.citation_clause),
        explanation=row.explanation,
        parameters=row.parameters,
        plugin=row.plugin,
        plugin_version=row.plugin_version,
        inputs=row.inputs,
        fingerprint=row.fingerprint,
        decision_id=row.id,
    )


def get_decision(db: Database, decision_id: int) -> tuple[Decision, dict[str, Any]] | None:
    with db.engine.connect() as conn:
        row = conn.execute(select(LOG).where(LOG.c.id == decision_id)).first()
    if row is None:
        return None
    meta = {
        "run_id": row.run_id,
        "command": row.command,
        "decided_at": row.decided_at.isoformat(),
        "as_of": row.as_of.isoformat(),
        "company": row.company,
    }
    return row_to_decision(row), meta


def query_decisions(
    db: Database,
    subject_id: str | None = None,
    subject_kind: str | None = None,
    rule: str | None = None,
    plugin: str | None = None,
    command: str | None = None,
    run_id: str | None = None,
    limit: int | None = 100,
) -> Iterator[Decision]:
    stmt = select(LOG).order_by(LOG.c.id)
    if subject_id:
        # Realestate ownership decisions are per event ("C001@E123"): "C001*" finds them all.
        if "*" in subject_id:
            stmt = stmt.where(LOG.c.subject_id.like(subject_id.replace("*", "%")))
        else:
            stmt = stmt.where(LOG.c.subject_id == subject_id)
    if subject_kind:
        stmt = stmt.where(LOG.c.subject_kind == subject_kind)
    if rule:
        stmt = stmt.where(LOG.c.rule_id.like(rule.replace("*", "%")))
    if plugin:
        stmt = stmt.where(LOG.c.plugin == plugin)
    if command:
        stmt = stmt.where(LOG.c.command == command)
    if run_id:
        stmt = stmt.where(LOG.c.run_id == run_id)
    if limit:
        stmt = stmt.limit(limit)
    with db.engine.connect() as conn:
        for row in conn.execution_options(yield_per=1000).execute(stmt):
            yield row_to_decision(row)


def count_decisions(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(LOG)).scalar_one()
