"""Typed SQLAlchemy models for the records plugins decide on, and the append-only decision log."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class ExactDecimal(TypeDecorator):
    """Decimal stored exactly: NUMERIC on PostgreSQL, canonical text on SQLite (which has no decimal type)."""

    impl = String(40)
    cache_ok = True

    def __init__(self, precision: int = 18, scale: int = 4) -> None:
        super().__init__()
        self.precision, self.scale = precision, scale

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))
        return dialect.type_descriptor(String(40))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "postgresql":
            return Decimal(value)
        return format(Decimal(value), "f")

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(value)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON}


class CustomerRow(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    segment: Mapped[str | None] = mapped_column(String(32))
    sales_form: Mapped[str | None] = mapped_column(String(32))
    product_line: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[str | None] = mapped_column(String(32))
    month: Mapped[str | None] = mapped_column(String(7))
    monthly_volume: Mapped[Decimal | None] = mapped_column(ExactDecimal(18, 3))
    pickup_completion_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal(8, 4))
    developed_on: Mapped[date | None] = mapped_column(Date)
    qualification_expires: Mapped[date | None] = mapped_column(Date)


class MonthlyVolumeRow(Base):
    __tablename__ = "monthly_volumes"
    __table_args__ = (UniqueConstraint("customer_code", "month", name="uq_monthly_volume"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_code: Mapped[str] = mapped_column(String(64), index=True)
    month: Mapped[str] = mapped_column(String(7))
    volume: Mapped[Decimal] = mapped_column(ExactDecimal(18, 3))


class StaffRow(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(64))


class ComplaintRow(Base):
    __tablename__ = "complaints"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    customer_code: Mapped[str] = mapped_column(String(64), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    severity: Mapped[str] = mapped_column(String(16))
    special_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    content: Mapped[str | None] = mapped_column(Text)
    handler: Mapped[str | None] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)


class ArchiveRow(Base):
    __tablename__ = "archives"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    customer_code: Mapped[str] = mapped_column(String(64), index=True)
    segment: Mapped[str | None] = mapped_column(String(32))
    opened_on: Mapped[date | None] = mapped_column(Date)
    keeper: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str | None] = mapped_column(String(32))


class ArchiveDocumentRow(Base):
    __tablename__ = "archive_documents"
    __table_args__ = (UniqueConstraint("archive_code", "doc_type", name="uq_archive_document"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    archive_code: Mapped[str] = mapped_column(String(64), index=True)
    doc_type: Mapped[str] = mapped_column(String(64))
    doc_number: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)


class ArchiveApprovalRow(Base):
    __tablename__ = "archive_approvals"
    __table_args__ = (UniqueConstraint("archive_code", "stage", name="uq_archive_approval"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    archive_code: Mapped[str] = mapped_column(String(64), index=True)
    stage: Mapped[str] = mapped_column(String(64))
    approver: Mapped[str | None] = mapped_column(String(100))
    approved_on: Mapped[date | None] = mapped_column(Date)
    approved: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)


class ConductIncidentRow(Base):
    __tablename__ = "conduct_incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    staff_code: Mapped[str] = mapped_column(String(64), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    incident_type: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FloorEventRow(Base):
    """Sales-floor events, registrations among them. Append-only: registrations are the basis of
    pay, so a correction is a new event referencing the old one (database triggers enforce it)."""

    __tablename__ = "floor_events"
    __table_args__ = (Index("ix_floor_events_time", "occurred_at", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    event_type: Mapped[str] = mapped_column(String(64))
    staff_code: Mapped[str | None] = mapped_column(String(64))
    customer_code: Mapped[str | None] = mapped_column(String(64), index=True)
    other_staff_code: Mapped[str | None] = mapped_column(String(64))
    related_customer_code: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DealRow(Base):
    __tablename__ = "deals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    customer_code: Mapped[str] = mapped_column(String(64), index=True)
    staff_code: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    commission: Mapped[Decimal] = mapped_column(ExactDecimal(18, 2))
    price: Mapped[Decimal | None] = mapped_column(ExactDecimal(18, 2))
    unit: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DecisionRow(Base):
    """The decision log. Append-only (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "decision_log"
    __table_args__ = (
        Index("ix_decision_subject", "subject_kind", "subject_id"),
        Index("ix_decision_rule", "rule_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(String(36), index=True)
    command: Mapped[str] = mapped_column(String(32))
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    as_of: Mapped[date] = mapped_column(Date)
    company: Mapped[str] = mapped_column(String(200))
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(100))
    citation_document: Mapped[str] = mapped_column(String(200))
    citation_clause: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    plugin: Mapped[str] = mapped_column(String(64))
    plugin_version: Mapped[str] = mapped_column(String(32))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)


#: Tables no row of which may be updated or deleted.
APPEND_ONLY_TABLES = ("decision_log", "floor_events")

#: record kind -> its table's model
MODEL_BY_KIND = {
    "customer": CustomerRow,
    "monthly_volume": MonthlyVolumeRow,
    "staff": StaffRow,
    "complaint": ComplaintRow,
    "archive": ArchiveRow,
    "archive_document": ArchiveDocumentRow,
    "archive_approval": ArchiveApprovalRow,
    "conduct_incident": ConductIncidentRow,
    "floor_event": FloorEventRow,
    "deal": DealRow,
}
