"""autodealer's sections of `zhidu report PERIOD`: the files audited per department and status, the
problems found (one row per check, with its clause), each person's fines and KPI points, and the
departments' rates against the targets.

Built from the period's committed decisions only (the latest run of each command per subject);
every figure carries the ids of the decisions it counts, so `zhidu explain ID` answers for it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ...core.decisions import Decision
from ...core.reportspec import Chart, Figure, PeriodDecisions, ReportPeriod, ReportSection, Row, Series, Table
from . import rules
from .text import percent

STATUSES = (("qualified", "合格"), ("unqualified", "不合格"), ("late", "逾期"), ("not_submitted", "未上交"))
ROLES = {"sales_consultant": "销售顾问", "service_advisor": "服务顾问", "archivist": "档案管理员"}


def sections(period: ReportPeriod, decisions: PeriodDecisions) -> list[ReportSection]:
    audits = decisions.current("vehicle-audit")
    return [files_by_department(audits), problems(audits), person_penalties(decisions.current("vehicle-fines")),
            department_rates(decisions.current("vehicle-kpi"))]


def files_by_department(audits: list[Decision]) -> ReportSection:
    groups: dict[str, dict[str, list[Decision]]] = defaultdict(lambda: defaultdict(list))
    for d in audits:
        groups[d.outcome.get("department") or "(未登记部门)"][d.outcome.get("status", "")].append(d)
    rows: list[Row] = []
    labels: list[str] = []
    per_status: dict[str, list[Figure]] = {code: [] for code, _ in STATUSES}
    for department in sorted(groups):
        by_status = groups[department]
        figures = [Figure.of(by_status.get(code, [])) for code, _ in STATUSES]
        rows.append(Row((department, *figures, Figure.of([d for items in by_status.values() for d in items]))))
        labels.append(department)
        for (code, _), fig in zip(STATUSES, figures):
            per_status[code].append(fig)
    return ReportSection(
        title="车辆档案审核",
        description="本期最后一次 vehicle-audit 运行审核的每份档案,按责任部门和审核结论计数。",
        table=Table(("部门", *(label for _c, label in STATUSES), "合计"), tuple(rows)),
        chart=Chart("bar", tuple(labels), tuple(Series(label, tuple(per_status[code])) for code, label in STATUSES), title="档案审核结论",
                    y_title="档案数") if rows else None,
        headline=(("审核档案", Figure.of(audits)), ("不合格档案", Figure.of([d for d in audits if d.outcome.get("status") == "unqualified"]))),
    )


def problems(audits: list[Decision]) -> ReportSection:
    by_rule: dict[str, list[Decision]] = defaultdict(list)
    for d in audits:
        for rule_id in dict.fromkeys(f["rule"] for f in d.outcome.get("findings", []) if f.get("severity") in ("defect", "late")):
            by_rule[rule_id].append(d)
    known = {r.id: r for r in rules.all_rules()}
    ordered = sorted(by_rule, key=lambda r: (-len(by_rule[r]), r))
    rows = tuple(Row((known[r].title if r in known else r, str(known[r].citation) if r in known else "", Figure.of(by_rule[r]))) for r in ordered)
    return ReportSection(
        title="档案问题",
        description="每条检查发现不合格或逾期的档案份数(一份档案同一条检查只计一次),按份数从多到少。",
        table=Table(("检查", "依据", "档案数"), rows),
        chart=Chart("bar", tuple(known[r].title[:16] if r in known else r for r in ordered[:10]),
                    (Series("档案数", tuple(Figure.of(by_rule[r]) for r in ordered[:10])),), title="问题最多的检查") if rows else None,
    )


def person_penalties(fines: list[Decision]) -> ReportSection:
    rows = []
    total_fines = Decimal(0)
    for d in sorted(fines, key=lambda d: d.subject_id):
        o = d.outcome
        fine = Decimal(str(o.get("fine_total") or 0))
        points = o.get("kpi_points_total")
        total_fines += fine
        role = ROLES.get(o.get("role") or "", o.get("role") or "")
        note = "可扣罚当月绩效工资10%-30%" if (o.get("performance_cut") or {}).get("permitted") else (
            "KPI分值未配置" if o.get("status") == "not_configured" else "")
        rows.append(Row((o.get("name") or o.get("person") or "", o.get("person") or "", role, o.get("department") or "", o.get("month") or "",
                         Figure(fine, (d.decision_id,) if d.decision_id is not None and fine else ()),
                         Figure(Decimal(str(points)), (d.decision_id,) if d.decision_id is not None and points else ()) if points is not None else None,
                         note), (d.decision_id,) if d.decision_id is not None else ()))
    return ReportSection(
        title="个人罚款与KPI扣分",
        description="本期最后一次 vehicle-fines 运行对每人每月的处罚:客户管理制度14的罚款(含月内翻倍和逾期未改正的再次处罚),汽车客户管理制度的KPI扣分和徇私舞弊罚款。",
        table=Table(("姓名", "工号", "岗位", "部门", "月份", "罚款(元)", "KPI扣分", "备注"), tuple(rows)),
        headline=(("罚款合计(元)", Figure(total_fines, tuple(sorted(d.decision_id for d in fines if d.decision_id is not None
                                                              and Decimal(str(d.outcome.get("fine_total") or 0))))) if total_fines else Figure(0)),),
    )


def department_rates(kpis: list[Decision]) -> ReportSection:
    labels = {"completeness": "完整性", "authenticity": "真实性", "timeliness": "及时率"}
    rows = []
    for d in sorted(kpis, key=lambda d: d.subject_id):
        ids = (d.decision_id,) if d.decision_id is not None else ()
        for name, r in (d.outcome.get("rates") or {}).items():
            rate = Decimal(str(r["rate"])) if r.get("rate") is not None else None
            target = Decimal(str(r["target"])) if r.get("target") is not None else None
            met = {True: "达标", False: "未达标"}.get(r.get("met"), "原文未设目标")
            rows.append(Row((d.outcome.get("department") or "", d.outcome.get("month") or "", labels.get(name, name),
                             Figure(int(r.get("ok") or 0), ids if r.get("ok") else ()), Figure(int(r.get("files") or 0), ids if r.get("files") else ()),
                             percent(rate) if rate is not None else "", percent(target) if target is not None else "", met), ids))
    return ReportSection(
        title="部门档案质量指标",
        description="本期最后一次 vehicle-kpi 运行计算的各部门月度比率:完整性99%以上、真实性95%以上(汽车客户管理制度五(二)5);及时率和完整率(客户管理制度14五.8,未设目标)。",
        table=Table(("部门", "月份", "指标", "合格档案", "档案数", "比率", "目标", "结论"), tuple(rows)),
    )
