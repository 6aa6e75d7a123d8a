"""Findings and the indexed view of one vehicle file the checks read.

A finding is one breach of one check (one rule of ``rules``): its severity (``defect`` makes the
file 不合格, ``late`` is a missed deadline, ``notice`` informs and never changes the status), its
category (completeness, authenticity, timeliness, procedure), the document it concerns, a Chinese
message stating the facts, the person responsible and, under 客户管理制度14, the fine item and base
amount it carries (before the month's doubling, which ``fines`` applies).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import rules
from .records import VehicleDocument, VehicleFile, VehicleMeasurement, VehicleSignature, parse_time
from .vocabulary import doc_name, document_code, role_code, signature_status_code, split_items

DEFECT, LATE, NOTICE = "defect", "late", "notice"


@dataclass
class Finding:
    check: str
    severity: str
    message: str
    document: str | None = None
    fine_item: str | None = None
    fine: Decimal | None = None
    correctable: bool = True
    category: str = ""
    # The clause the fine comes from, when it is not the check's own (客户管理制度14 五.5 for a missing document).
    fine_rule: str | None = None

    def __post_init__(self) -> None:
        if not self.category:
            self.category = rules.CATEGORY[self.check]

    def to_dict(self, person: "Person") -> dict[str, Any]:
        return {
            "rule": rules.rule(self.check).id,
            "clause": rules.clause(self.check),
            "severity": self.severity,
            "category": self.category,
            "document": doc_name(self.document) if self.document else None,
            "message": self.message,
            "responsible": person.code,
            "responsible_name": person.name,
            "department": person.department,
            "fine_item": self.fine_item,
            "fine": self.fine,
            "fine_clause": rules.clause(self.fine_rule or self.check) if self.fine is not None else None,
        }


@dataclass(frozen=True)
class Person:
    code: str | None
    name: str | None
    role: str | None
    department: str | None

    @property
    def label(self) -> str:
        role = {"sales_consultant": "销售顾问", "service_advisor": "服务顾问", "archivist": "档案管理员"}.get(self.role or "", "")
        if self.name and self.code:
            return f"{role}{self.name}({self.code})"
        if self.code:
            return f"{role}(工号{self.code})"
        return f"{role}{self.name or '(未登记责任人)'}"


def signed(sig: VehicleSignature) -> bool:
    status = signature_status_code(sig.status) if sig.status else None
    if status is not None:
        return status == "signed"
    return bool((sig.signer or "").strip())


def wrong(sig: VehicleSignature) -> bool:
    return sig.status is not None and signature_status_code(sig.status) == "wrong"


@dataclass
class FileView:
    """A vehicle file with its documents, signatures and measurements indexed by canonical code."""

    file: VehicleFile
    docs: dict[str, VehicleDocument] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    signatures: dict[str, list[VehicleSignature]] = field(default_factory=dict)
    measurements: dict[str, list[VehicleMeasurement]] = field(default_factory=dict)
    unknown_roles: list[str] = field(default_factory=list)
    not_applicable: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, file: VehicleFile) -> "FileView":
        view = cls(file)
        documents = list(file.documents)
        if documents and all(d.seq is not None for d in documents):
            documents.sort(key=lambda d: d.seq or Decimal(0))
        for doc in documents:
            code = document_code(doc.doc_type)
            if code is None:
                view.unknown.append(doc.doc_type)
                continue
            if code in view.docs:
                view.duplicates.append(doc.doc_type)
                continue
            view.docs[code] = doc
            view.order.append(code)
        for sig in file.signatures:
            code = document_code(sig.doc_type) or sig.doc_type
            view.signatures.setdefault(code, []).append(sig)
            if role_code(sig.role) is None:
                view.unknown_roles.append(f"{sig.doc_type}/{sig.role}")
        for m in file.measurements:
            view.measurements.setdefault(document_code(m.doc_type) or m.doc_type, []).append(m)
        view.not_applicable = {c for c in (document_code(n) for n in split_items(file.not_applicable)) if c}
        return view

    def has(self, code: str) -> bool:
        return code in self.docs

    def doc(self, code: str) -> VehicleDocument | None:
        return self.docs.get(code)

    def sigs(self, code: str, *roles: str) -> list[VehicleSignature]:
        wanted = set(roles)
        return [s for s in self.signatures.get(code, ()) if not wanted or role_code(s.role) in wanted]

    def signed_count(self, code: str, *roles: str) -> int:
        return sum(1 for s in self.sigs(code, *roles) if signed(s))

    def all_measurements(self) -> list[tuple[str, VehicleMeasurement]]:
        return [(code, m) for code, items in self.measurements.items() for m in items]


def signing_moment(sig: VehicleSignature, default_day) -> tuple[Any, tuple[int, int] | None]:
    """(date, (hour, minute) or None): the signature's own date, else the given day."""
    try:
        clock = parse_time(sig.signed_time)
    except ValueError:
        clock = None
    return (sig.signed_on or default_day), clock
