"""core v2: declared record kinds in one generic table, runs, a hash-chained decision log

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

Moves every row of the 0001 typed tables into ``records`` (kind, natural key, canonical JSON
payload), creates ``runs`` (each 0001 run becomes a committed run), rebuilds ``decision_log`` with
``prev_hash`` / ``row_hash`` chained over every row, and installs the append-only triggers
(UPDATE, DELETE and, on PostgreSQL, TRUNCATE refused; records refuse them on append-only rows).
Records moved here carry the migration time as their time of entry: 0001 kept none.

Self-contained on purpose: no live model code is imported, so this upgrade stays what it is.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

Payload = sa.JSON().with_variant(JSONB(), "postgresql")
GENESIS = "0" * 64
MIGRATION_RUN = "00000000-0000-0000-0000-000000000002"

# 0001 table -> (kind, natural key, subject field, time-order field, parent (kind, field), append-only)
OLD_KINDS = {
    "staff": ("staff", ("code",), "code", None, None, False),
    "customers": ("customer", ("code",), "code", None, None, False),
    "monthly_volumes": ("monthly_volume", ("customer_code", "month"), "customer_code", None, None, False),
    "complaints": ("complaint", ("code",), "code", None, None, False),
    "archives": ("archive", ("code",), "code", None, None, False),
    "archive_documents": ("archive_document", ("archive_code", "doc_type"), None, None, ("archive", "archive_code"), False),
    "archive_approvals": ("archive_approval", ("archive_code", "stage"), None, None, ("archive", "archive_code"), False),
    "conduct_incidents": ("conduct_incident", ("code",), "code", None, None, False),
    "floor_events": ("floor_event", ("event_id",), "event_id", "occurred_at", None, True),
    "deals": ("deal", ("code",), "code", None, None, False),
}
HASHED = ("id", "run_id", "command", "decided_at", "as_of", "subject_kind", "subject_id", "rule_id",
          "citation_document", "citation_clause", "outcome", "explanation", "plugin", "plugin_version",
          "parameters", "inputs", "fingerprint")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _row_hash(prev: str, row: dict[str, Any]) -> str:
    content = [row[c] for c in HASHED]
    content[3] = row["decided_at"].astimezone(timezone.utc).isoformat(timespec="microseconds")
    content[4] = row["as_of"].isoformat()
    return hashlib.sha256((prev + _canonical(_jsonable(content))).encode("utf-8")).hexdigest()


def _sort_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


def _decimal_text(value: Any) -> Any:
    # 0001 stored SQLite decimals as text and PostgreSQL ones as NUMERIC: both become exact strings.
    if value is None:
        return None
    return str(Decimal(str(value)))


DECIMAL_COLUMNS = {"monthly_volume", "pickup_completion_rate", "volume", "commission", "price"}
DATE_COLUMNS = {"developed_on", "qualification_expires", "issued_on", "expires_on", "received_on", "approved_on", "opened_on"}
DATETIME_COLUMNS = {"received_at", "resolved_at", "occurred_at", "signed_at"}
JSON_COLUMNS = {"details"}
BOOL_COLUMNS = {"special_approval", "complete", "approved"}


def _value(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in DECIMAL_COLUMNS:
        return _decimal_text(value)
    if column in DATE_COLUMNS:
        return value.isoformat() if isinstance(value, date) else str(value)[:10]
    if column in DATETIME_COLUMNS:
        return (value if isinstance(value, datetime) else datetime.fromisoformat(str(value))).replace(tzinfo=None).isoformat()
    if column in JSON_COLUMNS:
        return json.loads(value) if isinstance(value, str) else value
    if column in BOOL_COLUMNS:
        return bool(value)
    return value


def _create_tables() -> None:
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("subject", sa.String(200), nullable=True),
        sa.Column("sort_at", sa.String(32), nullable=True),
        sa.Column("parent_kind", sa.String(64), nullable=True),
        sa.Column("parent_key", sa.String(400), nullable=True),
        sa.Column("payload", Payload, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("append_only", sa.Boolean(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "key", name="uq_record_kind_key"),
    )
    op.create_index("ix_record_subject", "records", ["kind", "subject"])
    op.create_index("ix_record_order", "records", ["kind", "sort_at", "id"])
    op.create_index("ix_record_parent", "records", ["parent_kind", "parent_key"])
    op.create_table(
        "runs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("command", sa.String(64), nullable=False),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("plugin_versions", Payload, nullable=False),
        sa.Column("parameters", Payload, nullable=False),
        sa.Column("parameter_hash", sa.String(64), nullable=False),
        sa.Column("calendar", Payload, nullable=False),
        sa.Column("options", Payload, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("decision_count", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "decision_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("command", sa.String(64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("subject_kind", sa.String(64), nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("rule_id", sa.String(100), nullable=False),
        sa.Column("citation_document", sa.String(200), nullable=False),
        sa.Column("citation_clause", sa.String(100), nullable=False),
        sa.Column("outcome", Payload, nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("plugin", sa.String(64), nullable=False),
        sa.Column("plugin_version", sa.String(32), nullable=False),
        sa.Column("parameters", Payload, nullable=False),
        sa.Column("inputs", Payload, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_decision_subject", "decision_log", ["subject_kind", "subject_id"])
    op.create_index("ix_decision_rule", "decision_log", ["rule_id"])
    op.create_index("ix_decision_log_run_id", "decision_log", ["run_id"])
    op.create_index("ix_decision_log_fingerprint", "decision_log", ["fingerprint"])


def _drop_0001_triggers(dialect: str) -> None:
    for table in ("decision_log", "floor_events"):
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def _append_only_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION zhidu_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            """
            CREATE OR REPLACE FUNCTION zhidu_refuse_append_only_change() RETURNS trigger AS $$
            BEGIN
                IF OLD.append_only THEN
                    RAISE EXCEPTION '% record % is append-only: % refused', OLD.kind, OLD.key, TG_OP;
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute("CREATE TRIGGER decision_log_append_only BEFORE UPDATE OR DELETE ON decision_log FOR EACH ROW EXECUTE FUNCTION zhidu_refuse_change()")
        op.execute("CREATE TRIGGER decision_log_no_truncate BEFORE TRUNCATE ON decision_log FOR EACH STATEMENT EXECUTE FUNCTION zhidu_refuse_change()")
        op.execute("CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON records FOR EACH ROW EXECUTE FUNCTION zhidu_refuse_append_only_change()")
        op.execute("CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records FOR EACH STATEMENT EXECUTE FUNCTION zhidu_refuse_change()")
    elif dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER decision_log_no_{action.lower()} BEFORE {action} ON decision_log "
                f"BEGIN SELECT RAISE(ABORT, 'decision_log is append-only: {action} refused'); END"
            )
            op.execute(
                f"CREATE TRIGGER records_append_only_no_{action.lower()} BEFORE {action} ON records WHEN OLD.append_only "
                f"BEGIN SELECT RAISE(ABORT, 'append-only record: {action} refused'); END"
            )


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    _drop_0001_triggers(dialect)
    op.rename_table("decision_log", "decision_log_0001")
    if dialect == "postgresql":
        # The renamed table keeps its index names: free them for the new log's.
        for name in ("ix_decision_subject", "ix_decision_rule", "ix_decision_log_run_id", "ix_decision_log_fingerprint"):
            op.execute(f"ALTER INDEX IF EXISTS {name} RENAME TO {name}_0001")
    else:
        for name in ("ix_decision_subject", "ix_decision_rule", "ix_decision_log_run_id", "ix_decision_log_fingerprint"):
            op.execute(f"DROP INDEX IF EXISTS {name}")
    _create_tables()
    now = datetime.now(timezone.utc)
    meta = sa.MetaData()
    records = sa.Table("records", meta, autoload_with=bind)
    runs = sa.Table("runs", meta, autoload_with=bind)
    log = sa.Table("decision_log", meta, autoload_with=bind)
    bind.execute(runs.insert().values(
        id=MIGRATION_RUN, command="db upgrade 0002", company="", as_of=None, started_at=now, finished_at=now,
        status="committed", plugin_versions={}, parameters={}, parameter_hash="", calendar={}, options={},
        timezone="Asia/Shanghai", decision_count=0, message="records moved from the 0001 tables",
    ))
    for table_name, (kind, key, subject, order, parent, append_only) in OLD_KINDS.items():
        old = sa.Table(table_name, meta, autoload_with=bind)
        rows = []
        for row in bind.execute(sa.select(old).order_by(old.c.id)).mappings():
            payload = {c: _value(c, v) for c, v in row.items() if c != "id"}
            rows.append({
                "kind": kind,
                "key": _canonical([payload[k] for k in key]),
                "subject": None if subject is None or payload[subject] is None else str(payload[subject]),
                "sort_at": _sort_text(payload[order]) if order else None,
                "parent_kind": parent[0] if parent else None,
                "parent_key": _canonical([payload[parent[1]]]) if parent else None,
                "payload": payload,
                "content_hash": hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest(),
                "append_only": append_only,
                "run_id": MIGRATION_RUN,
                "entered_at": now,
            })
        if rows:
            bind.execute(records.insert(), rows)
    old_log = sa.Table("decision_log_0001", meta, autoload_with=bind)
    seen_runs: dict[str, dict[str, Any]] = {}
    prev = GENESIS
    batch = []
    for row in bind.execute(sa.select(old_log).order_by(old_log.c.id)).mappings():
        decided = row["decided_at"]
        decided = (decided if isinstance(decided, datetime) else datetime.fromisoformat(str(decided))).replace(tzinfo=timezone.utc)
        as_of = row["as_of"] if isinstance(row["as_of"], date) else date.fromisoformat(str(row["as_of"]))
        run = seen_runs.setdefault(row["run_id"] or str(uuid.uuid4()), {
            "command": row["command"], "company": row["company"], "as_of": as_of, "started": decided,
            "finished": decided, "versions": {}, "count": 0,
        })
        run["finished"] = max(run["finished"], decided)
        run["versions"][row["plugin"]] = row["plugin_version"]
        run["count"] += 1
        new = {c: row[c] for c in ("id", "run_id", "command", "subject_kind", "subject_id", "rule_id", "citation_document",
                                   "citation_clause", "explanation", "plugin", "plugin_version", "fingerprint")}
        for c in ("outcome", "parameters", "inputs"):
            new[c] = json.loads(row[c]) if isinstance(row[c], str) else row[c]
        new["decided_at"], new["as_of"] = decided, as_of
        new["prev_hash"] = prev
        prev = new["row_hash"] = _row_hash(prev, new)
        batch.append(new)
        if len(batch) >= 5000:
            bind.execute(log.insert(), batch)
            batch = []
    if batch:
        bind.execute(log.insert(), batch)
    for run_id, run in seen_runs.items():
        bind.execute(runs.insert().values(
            id=run_id, command=run["command"], company=run["company"], as_of=run["as_of"], started_at=run["started"],
            finished_at=run["finished"], status="committed", plugin_versions=run["versions"], parameters={},
            parameter_hash="", calendar={}, options={}, timezone="Asia/Shanghai", decision_count=run["count"],
            message="logged under schema 0001",
        ))
    for table_name in (*OLD_KINDS, "decision_log_0001"):
        op.drop_table(table_name)
    _append_only_triggers(dialect)


def downgrade() -> None:
    raise RuntimeError("schema 0002 does not downgrade: the 0001 tables held only two plugins' kinds")
