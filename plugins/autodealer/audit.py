"""One decision per vehicle file: its status, every finding (severity, clause, message, person
responsible, fine or KPI points), the hand-in deadline and the correction.

Status, most serious first: ``not_submitted`` (the file has not been handed in: only its deadline is
judged), ``unqualified`` (不合格: at least one defect), ``late`` (complete and correct, but handed
in or corrected late), ``qualified``. Notices never change the status.
"""

from __future__ import annotations

from dataclasses import dataclass, fields as dc_fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable, Mapping

from ...core.calendar import WorkCalendar
from ...core.decisions import Decision, to_jsonable
from ...core.masking import mask
from . import checks_faw, checks_skoda, rules
from .checks_skoda import FINE_LABELS, fined
from .deadlines import Correction, Deadline, correction, hand_in
from .findings import DEFECT, LATE, NOTICE, FileView, Finding, Person
from .records import VehicleFile, brand_code
from .text import day, moment, points, yuan
from .vocabulary import FAW_VW, POLICIES, SKODA, role_code

PERSONAL_CHILD_FIELDS = frozenset({"phone", "printed_phone", "landline", "address"})
DEFAULT_DEPARTMENTS = {(FAW_VW, "sales"): "销售部", (FAW_VW, "service"): "服务部", (SKODA, "sales"): "销售部", (SKODA, "service"): "售后服务部"}
DEFAULT_ROLES = {"sales": "sales_consultant", "service": "service_advisor"}
STATUS_TEXT = {
    "not_submitted": "尚未上交",
    "unqualified": "不合格",
    "late": "内容合格,但未按时上交或改正",
    "qualified": "合格",
}


_FIELDS: dict[type, tuple[str, ...]] = {}


def _compact(record: Any) -> dict[str, Any]:
    """A record's recorded values as JSON-ready data: blanks left out, Decimals and dates as text,
    the documents' phones and addresses masked (the core masks only the parent kind's own fields)."""
    cls = type(record)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dc_fields(cls))
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(record, name)
        if value is None or value == "":
            continue
        kind = type(value)
        if kind is str:
            out[name] = mask(value) if name in PERSONAL_CHILD_FIELDS else value
        elif kind is list:
            if value:
                out[name] = [_compact(item) for item in value]
        elif kind is bool or kind is int:
            out[name] = value
        elif kind is Decimal:
            out[name] = str(value)
        elif kind is datetime or kind is date:
            out[name] = value.isoformat()
        else:
            out[name] = to_jsonable(value)
    return out


def file_inputs(file: VehicleFile) -> dict[str, Any]:
    """The facts a file's decision looked at: the file as recorded, with its documents, signatures and measurements."""
    return _compact(file)


def file_policy(record: Any, params: Mapping[str, Any]) -> str:
    """The document a file (or entry) is judged under: its 品牌 column, else the preset's."""
    return brand_code(getattr(record, "brand", None)) or params["policy"]


def file_label(file: VehicleFile, policy: str) -> str:
    return f"{POLICIES[policy]}{'销售档案' if file.file_type == 'sales' else '服务档案'}{file.code}(底盘号{file.vin})"


def event_day(file: VehicleFile) -> date | None:
    """The day a file belongs to (a month's audit): the delivery / handover, else the sale, reception or hand-in."""
    if file.delivered_at is not None:
        return file.delivered_at.date()
    if file.sold_on is not None:
        return file.sold_on
    for moment_ in (file.received_at, file.submitted_at):
        if moment_ is not None:
            return moment_.date()
    return None


def person_of(code: str | None, name: str | None, role: str | None, department: str | None, staff: Mapping[str, Any]) -> Person:
    record = staff.get(code) if code else None
    return Person(
        code=code,
        name=name or (record.name if record is not None else None),
        role=role_code(role) if role else (role_code(record.role) if record is not None and record.role else None),
        department=department or (record.team if record is not None else None),
    )


def responsible(file: VehicleFile, policy: str, staff: Mapping[str, Any]) -> Person:
    person = person_of(file.responsible, file.responsible_name, file.responsible_role, file.department, staff)
    role = person.role if person.role in ("sales_consultant", "service_advisor") else DEFAULT_ROLES[file.file_type]
    return Person(person.code, person.name, role, person.department or DEFAULT_DEPARTMENTS[(policy, file.file_type)])


def staff_codes(files: Iterable[VehicleFile]) -> list[str]:
    codes: list[str] = []
    for f in files:
        codes += [c for c in (f.responsible, f.archivist, f.damaged_by) if c]
    return list(dict.fromkeys(codes))


def content_findings(view: FileView, policy: str, params: Mapping[str, Any]) -> list[Finding]:
    sales = view.file.file_type == "sales"
    if policy == FAW_VW:
        return checks_faw.sales_file(view, params) if sales else checks_faw.service_file(view, params)
    return checks_skoda.new_car_file(view, params) if sales else checks_skoda.service_file(view, params)


def deadline_findings(file: VehicleFile, policy: str, deadline: Deadline, params) -> list[Finding]:
    out = []
    if deadline.missed:
        if deadline.status == "late":
            text = f"{deadline.basis},实际{moment(file.submitted_at)}上交,逾期{deadline.late_working_days}个工作日"
        else:
            text = f"{deadline.basis},至今未上交,已逾期{deadline.late_working_days}个工作日"
        finding = Finding(deadline.rule_key, LATE, text)
        if policy == SKODA:
            fined(finding, "sales_late" if file.file_type == "sales" else "service_late", params)
        out.append(finding)
    if deadline.note:
        out.append(Finding(deadline.rule_key, NOTICE, deadline.note))
    return out


def correction_findings(file: VehicleFile, policy: str, fix: Correction, params) -> list[Finding]:
    out = []
    if policy == FAW_VW:
        if fix.missed:
            state = f"实际{moment(file.resubmitted_at)}上交" if fix.status == "late" else "至今未改正上交"
            out.append(Finding("faw_correction", LATE, f"{fix.basis},{state},KPI扣{points(params['faw_kpi_points_late_correction'])}"))
        elif fix.status == "excused":
            out.append(Finding("faw_correction", NOTICE, fix.basis))
        if file.resubmitted_unchanged:
            out.append(Finding("faw_unchanged_return", DEFECT, f"不合格档案未做任何更改原封返回客服部,KPI扣{points(params['faw_kpi_points_unchanged_return'])}"))
    elif fix.refine_days:
        state = f"{day(file.resubmitted_at)}才改正" if fix.status == "late" else "至今未改正"
        out.append(Finding("skoda_correction", LATE,
                           f"{fix.basis},{state},逾期{len(fix.refine_days)}个工作日,每个工作日视同再次违规同额处罚"))
    return out


def damage_findings(file: VehicleFile, policy: str, params, staff: Mapping[str, Any]) -> list[Finding]:
    out = []
    if file.damage:
        what = {"lost": "遗失", "damaged": "毁损"}[file.damage]
        when = f"于{day(file.damaged_on)}" if file.damaged_on else ""
        if policy == SKODA:
            out.append(fined(Finding("skoda_lost_file", DEFECT, f"用户档案{when}{what}", category="completeness"), "lost_file", params))
        else:
            out.append(Finding("faw_damaged_file", DEFECT, f"档案{when}{'缺失' if file.damage == 'lost' else '破损'},对责任人KPI扣分"))
    if file.favouritism and policy == FAW_VW:
        fine = yuan(params["faw_favouritism_fine"])
        archivist = person_of(file.archivist, None, "archivist", None, staff).label if file.archivist else "档案管理员(未登记)"
        out.append(Finding("faw_favouritism", DEFECT, f"{archivist}及服务顾问利用个人关系徇私舞弊,各罚款{fine}"))
    return out


@dataclass
class Audited:
    """What the audit found in one file, before it is worded as a decision (the fines and the
    department rates reuse it)."""

    file: VehicleFile
    policy: str
    person: Person
    deadline: Deadline
    fix: Correction
    findings: list[Finding]

    @property
    def status(self) -> str:
        if self.file.submitted_at is None:
            return "not_submitted"
        if any(f.severity == DEFECT for f in self.findings):
            return "unqualified"
        if any(f.severity == LATE for f in self.findings):
            return "late"
        return "qualified"

    def defects(self, category: str | None = None) -> list[Finding]:
        return [f for f in self.findings if f.severity == DEFECT and (category is None or f.category == category)]


def examine(file: VehicleFile, params: Mapping[str, Any], cal: WorkCalendar, as_of: date, staff: Mapping[str, Any]) -> Audited:
    policy = file_policy(file, params)
    person = responsible(file, policy, staff)
    deadline = hand_in(file, policy, params, cal, as_of)
    fix = correction(file, policy, params, cal, as_of)
    findings: list[Finding] = []
    if file.submitted_at is not None:
        findings += content_findings(FileView.of(file), policy, params)
    findings += deadline_findings(file, policy, deadline, params)
    findings += correction_findings(file, policy, fix, params)
    findings += damage_findings(file, policy, params, staff)
    return Audited(file, policy, person, deadline, fix, findings)


def audit_file(file: VehicleFile, params: Mapping[str, Any], cal: WorkCalendar, as_of: date, staff: Mapping[str, Any]) -> Decision:
    a = examine(file, params, cal, as_of, staff)
    return decision(a, params, staff)


def decision(a: Audited, params: Mapping[str, Any], staff: Mapping[str, Any]) -> Decision:
    file, policy, person, deadline, fix, findings = a.file, a.policy, a.person, a.deadline, a.fix, a.findings
    defects = [f for f in findings if f.severity == DEFECT]
    late = [f for f in findings if f.severity == LATE]
    notices = [f for f in findings if f.severity == NOTICE]
    status = a.status
    damaged_by = person_of(file.damaged_by, None, None, None, staff) if file.damaged_by else person
    rows = [f.to_dict(damaged_by if f.check in ("skoda_lost_file", "faw_damaged_file") else person) for f in findings]
    outcome: dict[str, Any] = {
        "status": status,
        "unqualified": status == "unqualified",
        "policy": policy,
        "file_type": file.file_type,
        "vin": file.vin,
        "responsible": person.code,
        "responsible_role": person.role,
        "department": person.department,
        "deadline": deadline.to_dict(),
        "correction": {"status": fix.status, "due": fix.due_at.isoformat() if fix.due_at else None,
                       "late_working_days": len(fix.refine_days) if policy == SKODA else None},
        "completeness_ok": file.submitted_at is not None and not a.defects("completeness"),
        "authenticity_ok": file.submitted_at is not None and not a.defects("authenticity"),
        "findings": rows,
    }
    used: dict[str, Any] = {"policy": policy}
    why_fine = ""
    if policy == SKODA:
        fines = _fine_rows(findings)
        outcome["fines"] = fines
        outcome["base_fine_total"] = sum((Decimal(r["amount"]) for r in fines), Decimal(0))
        if fines:
            why_fine = f";按客户管理制度14罚款基数合计{yuan(outcome['base_fine_total'])}(当月累计翻倍由 vehicle-fines 计算)"
        used |= {name: params[name] for k, (name, _c) in checks_skoda.FINE_ITEMS.items() if k in {r["item"] for r in fines}}
    else:
        kpi = _kpi(file, status, fix, findings, params)
        outcome["kpi_points"] = kpi
        why_fine = _kpi_text(kpi)
        used |= {"faw_kpi_points_unqualified_file": params["faw_kpi_points_unqualified_file"]}
    facts = ";".join(f.message for f in defects + late)
    others = ";".join(f.message for f in notices)
    what = f"{person.label}负责的{file_label(file, policy)}"
    if status == "not_submitted":
        state = {"overdue": "已逾期", "pending": "尚未到期", "not_due": "不计时限"}.get(deadline.status, "")
        text = f"{what}尚未上交:{deadline.basis},{state}"
        extra = [f.message for f in defects + late if f.check != deadline.rule_key]
        if extra:
            text += ";" + ";".join(extra)
    else:
        text = f"{what}于{day(file.submitted_at)}上交,审核{STATUS_TEXT[status]}" + (":" + facts if facts else "")
    text += why_fine
    if others:
        text += f";另:{others}"
    rule = rules.AUDIT_RULES[(policy, file.file_type)]
    return rule.decide("vehicle_file", file.code, outcome, text + "。", used, inputs=file_inputs(file))


def _fine_rows(findings: list[Finding]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for f in findings:
        if f.fine is None or f.fine_item is None:
            continue
        row = rows.setdefault(f.fine_item, {"item": f.fine_item, "label": FINE_LABELS[f.fine_item], "unit": f.fine,
                                            "count": 0, "amount": Decimal(0), "clause": rules.clause(f.fine_rule or f.check)})
        row["count"] += 1
        row["amount"] += f.fine
    return list(rows.values())


def _kpi(file: VehicleFile, status: str, fix: Correction, findings: list[Finding], params) -> dict[str, Any]:
    per_file = params["faw_kpi_points_unqualified_file"]
    unqualified = status == "unqualified"
    kpi: dict[str, Any] = {
        "unqualified_file": None if not unqualified else ("not_configured" if per_file is None else per_file),
        "late_correction": params["faw_kpi_points_late_correction"] if fix.missed else Decimal(0),
        "unchanged_return": params["faw_kpi_points_unchanged_return"] if file.resubmitted_unchanged else Decimal(0),
    }
    return kpi


def _kpi_text(kpi: Mapping[str, Any]) -> str:
    parts = []
    if kpi["unqualified_file"] == "not_configured":
        parts.append("不合格档案按KPI考核扣分(原文未给分值,请在 [plugin.autodealer.parameters] 设定 faw_kpi_points_unqualified_file)")
    elif kpi["unqualified_file"] is not None:
        parts.append(f"不合格档案KPI扣{points(kpi['unqualified_file'])}")
    return (";" + ";".join(parts)) if parts else ""


def in_month(file: VehicleFile, month: str | None) -> bool:
    if month is None:
        return True
    when = event_day(file)
    return when is not None and f"{when:%Y-%m}" == month


__all__ = ["audit_file", "examine", "file_policy", "in_month", "staff_codes"]
