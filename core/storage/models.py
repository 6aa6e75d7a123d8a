"""Typed SQLAlchemy models: one generic table for every declared record kind, the runs, and the
append-only, hash-chained decision log. A plugin's new kind needs no table and no migration."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: JSON on SQLite, JSONB on PostgreSQL (indexable, compact). Payloads hold Decimals as exact strings.
Payload = JSON().with_variant(JSONB(), "postgresql")


class AwareDateTime(TypeDecorator):
    """A time-zone-aware instant, stored as UTC; read back aware (UTC). Callers show it in the company's zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for an aware column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: Payload, datetime: AwareDateTime}


_HAS_PARENT = text("parent_kind IS NOT NULL")
_HAS_ORDER = text("sort_at IS NOT NULL")


class RecordRow(Base):
    """One stored record of any declared kind, keyed by (kind, natural key)."""

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_record_kind_key"),
        Index("ix_record_subject", "kind", "subject"),
        # Only records of a kind replayed in time order have a sort_at (schema 0005), and their order
        # field is required (RecordKind.check): every stream of such a kind names sort_at IS NOT NULL.
        Index("ix_record_order", "kind", "sort_at", "id", sqlite_where=_HAS_ORDER, postgresql_where=_HAS_ORDER),
        # Only child records are entries (schema 0004): every lookup of it names a parent_kind.
        Index("ix_record_parent", "parent_kind", "parent_key", sqlite_where=_HAS_PARENT, postgresql_where=_HAS_PARENT),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    # Canonical JSON of the natural key's values: '["C001"]', '["C001","2026-03"]'.
    key: Mapped[str] = mapped_column(String(400))
    subject: Mapped[str | None] = mapped_column(String(200))
    # The time-order field as fixed-width ISO text, for kinds replayed in order.
    sort_at: Mapped[str | None] = mapped_column(String(32))
    parent_kind: Mapped[str | None] = mapped_column(String(64))
    parent_key: Mapped[str | None] = mapped_column(String(400))
    payload: Mapped[dict[str, Any]] = mapped_column(Payload)
    # sha256 of the canonical payload (with the children, for a parent imported with them).
    content_hash: Mapped[str] = mapped_column(String(64))
    append_only: Mapped[bool] = mapped_column(Boolean, default=False)
    run_id: Mapped[str] = mapped_column(String(36))
    # When the record was entered (not when it says it happened): late entries are visible.
    entered_at: Mapped[datetime] = mapped_column(AwareDateTime)


class RunRow(Base):
    """One run of a command: an import or a decision command. Decisions count once their run commits."""

    __tablename__ = "runs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    command: Mapped[str] = mapped_column(String(64))
    company: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(AwareDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # running -> committed | failed
    status: Mapped[str] = mapped_column(String(16))
    plugin_versions: Mapped[dict[str, Any]] = mapped_column(Payload)
    # Parameters in force (per plugin) and their hash, stored once per run, not per decision.
    parameters: Mapped[dict[str, Any]] = mapped_column(Payload)
    parameter_hash: Mapped[str] = mapped_column(String(64))
    # chinesecalendar version, the company's extra days, years that fell back to Monday-Friday.
    calendar: Mapped[dict[str, Any]] = mapped_column(Payload)
    options: Mapped[dict[str, Any]] = mapped_column(Payload)
    timezone: Mapped[str] = mapped_column(String(64))
    decision_count: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)


class DecisionRow(Base):
    """The decision log. Append-only (database triggers refuse UPDATE, DELETE and TRUNCATE); each
    row's ``row_hash`` chains over the previous row's hash and the row's whole content."""

    __tablename__ = "decision_log"
    __table_args__ = (
        Index("ix_decision_subject", "subject_kind", "subject_id"),
        Index("ix_decision_rule", "rule_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(String(36), index=True)
    command: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(AwareDateTime)
    as_of: Mapped[date] = mapped_column(Date)
    subject_kind: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[str] = mapped_column(String(200))
    rule_id: Mapped[str] = mapped_column(String(100))
    citation_document: Mapped[str] = mapped_column(String(200))
    citation_clause: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[dict[str, Any]] = mapped_column(Payload)
    explanation: Mapped[str] = mapped_column(Text)
    plugin: Mapped[str] = mapped_column(String(64))
    plugin_version: Mapped[str] = mapped_column(String(32))
    # Inline only in rows logged before schema 0003; since, NULL and the set named by parameter_set.
    parameters: Mapped[dict[str, Any] | None] = mapped_column(Payload, nullable=True)
    inputs: Mapped[dict[str, Any]] = mapped_column(Payload)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))
    parameter_set: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ParameterSetRow(Base):
    """A parameter set a rule applied, stored once however many decisions used it. Keyed by the
    sha256 of its canonical JSON, which the decision rows' hashes cover; append-only."""

    __tablename__ = "parameter_sets"
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    parameters: Mapped[dict[str, Any]] = mapped_column(Payload)


#: Tables no row of which may be updated or deleted (records: only rows marked append_only).
APPEND_ONLY_TABLES = ("decision_log", "parameter_sets")
