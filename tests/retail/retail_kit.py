"""Helpers for the retail plugin's tests (a uniquely named module: it sits on sys.path beside them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zhidu.core.history import MemoryHistory
from zhidu.plugins.retail.records import (ComplaintStep, LeaveRequest, StaffIncident, StoreComplaint, StorePurchase, StoreStaff,
                                          UniformIssue, VipCustomer)
from zhidu.testing import decide, make_context

AS_OF = date(2026, 11, 20)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def context(as_of: date = AS_OF, preset: str | None = None, history: Any = None, options: dict | None = None, **overrides: Any):
    return make_context("retail", preset=preset, as_of=as_of, overrides=overrides or None,
                        history=history if history is not None else MemoryHistory(), options=options or {})


def run(command: str, records, ctx=None):
    return decide(["retail"], command, list(records), ctx if ctx is not None else context())


def incident(code: str = "I1", staff: str = "S1", when: str = "2026-11-02 09:00", rule: str | None = None,
             behaviour: str | None = None, severity: str = "general", **extra: Any) -> StaffIncident:
    return StaffIncident(code, staff, at(when), rule=rule, behaviour=behaviour, severity=severity, **extra)


def history_of(*records: Any, kind: str = "staff_incident", field: str = "staff_code") -> MemoryHistory:
    grouped: dict[str, list[Any]] = {}
    for record in records:
        grouped.setdefault(str(getattr(record, field)), []).append(record)
    return MemoryHistory(records={kind: grouped})


def staff(code: str, role: str = "sales", store: str = "A店", left_on: date | None = None, name: str | None = None) -> StoreStaff:
    return StoreStaff(code, name or code, store, role=role, left_on=left_on)


def leave(requested: str, starts: str, code: str = "L1", approver: str | None = "M1", role: str | None = "store_manager",
          approved: bool | None = True, approved_at: str | None = None, **extra: Any) -> LeaveRequest:
    return LeaveRequest(code, "S1", at(requested), at(starts), approver=approver, approver_role=role, approved=approved,
                        approved_at=at(approved_at) if approved_at else None, **extra)


def uniform(price: str, quantity: int = 1, status: str = "not_returned", left_on: date | None = date(2026, 11, 10),
            code: str = "U1", **extra: Any) -> UniformIssue:
    return UniformIssue(code, "S1", "工服外套", Decimal(price), quantity=quantity, status=status, left_on=left_on, **extra)


def vip(code: str = "V1", **extra: Any) -> VipCustomer:
    values: dict[str, Any] = {"assigned_class": "A", "classified_by": "M1", "classified_by_role": "store_manager",
                              "profile_kept": True, "contact_channels": "导购;微信"}
    values.update(extra)
    return VipCustomer(code, "顾客" + code, **values)


def purchase(code: str, customer: str, when: str, amount: str) -> StorePurchase:
    return StorePurchase(code, customer, at(when), Decimal(amount))


def step(seq: int, kind: str, when: str, staff_code: str = "S1", **extra: Any) -> ComplaintStep:
    return ComplaintStep("C1", seq, kind, at(when), staff_code, **extra)


def complaint(*steps: ComplaintStep, code: str = "C1", received: str = "2026-11-02 10:00", by: str = "S1", **extra: Any) -> StoreComplaint:
    return StoreComplaint(code, at(received), by, steps=list(steps), **extra)


def by_step(decisions) -> dict[str, Any]:
    return {d.outcome["step"]: d for d in decisions}


SANCTION = {"code": "fine", "label": "罚款", "fine": "50.00", "reference": "奖惩条例第12条"}
