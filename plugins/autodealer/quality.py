"""One decision per department and month: the share of its files that are complete and authentic
(汽车客户管理制度 五(二)5: 完整性99%以上, 真实性95%以上, both inclusive) or handed in on time and
complete (客户管理制度14 五.8, which sets no target: the rates feed the department head's
performance review, and the decision says so instead of inventing a target).

The month's files are those delivered (handed over to the customer) in the month. Completeness and
authenticity are counted over the files handed in: a file is complete when no defect of the
completeness category was found, authentic when none of the authenticity category was (dates,
names, amounts, items and phones that disagree, a production date of 1900/00/00). Timeliness is
counted over the files whose limit has run (on time, late or overdue).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Mapping

from ...core.calendar import WorkCalendar
from ...core.decisions import Decision
from . import rules
from .audit import Audited, event_day, examine
from .text import month_label, percent
from .vocabulary import FAW_VW, POLICIES


def _rate(ok: int, n: int, target: Decimal | None) -> dict[str, Any]:
    rate = (Decimal(ok) / Decimal(n)) if n else None
    met = None if target is None or not n else Decimal(ok) >= target * n
    return {"files": n, "ok": ok, "rate": rate, "target": target, "met": met}


def department_rates(files: list[Any], month: str, params: Mapping[str, Any], cal: WorkCalendar, as_of: date,
                     staff: Mapping[str, Any]) -> list[Decision]:
    groups: dict[tuple[str, str], list[Audited]] = {}
    for f in files:
        when = event_day(f)
        if when is None or f"{when:%Y-%m}" != month:
            continue
        a = examine(f, params, cal, as_of, staff)
        groups.setdefault((a.policy, a.person.department or ""), []).append(a)
    decisions = []
    for (policy, department), items in sorted(groups.items()):
        handed = [a for a in items if a.file.submitted_at is not None]
        complete = [a for a in handed if not a.defects("completeness")]
        if policy == FAW_VW:
            authentic = [a for a in handed if not a.defects("authenticity")]
            rates = {
                "completeness": _rate(len(complete), len(handed), params["faw_completeness_target"]),
                "authenticity": _rate(len(authentic), len(handed), params["faw_authenticity_target"]),
            }
            rule = rules.rule("faw_quality_targets")
            used = {"faw_completeness_target": params["faw_completeness_target"], "faw_authenticity_target": params["faw_authenticity_target"]}
        else:
            due = [a for a in items if a.deadline.status in ("on_time", "late", "overdue")]
            on_time = [a for a in due if a.deadline.status == "on_time"]
            rates = {
                "timeliness": _rate(len(on_time), len(due), None),
                "completeness": _rate(len(complete), len(handed), None),
            }
            rule = rules.rule("skoda_department_rates")
            used = {}
        met_values = [r["met"] for r in rates.values() if r["met"] is not None]
        outcome = {"policy": policy, "department": department, "month": month, "files": len(items), "handed_in": len(handed),
                   "rates": rates, "met": all(met_values) if met_values else None,
                   "unqualified_files": sorted(a.file.code for a in handed if a.defects())}
        labels = {"completeness": "完整性", "authenticity": "真实性", "timeliness": "及时率"}
        parts = []
        for name, r in rates.items():
            if not r["files"]:
                parts.append(f"{labels[name]}无可计档案")
                continue
            text = f"{labels[name]}{percent(r['rate'])}({r['ok']}/{r['files']})"
            if r["target"] is not None:
                text += f",目标{percent(r['target'])}以上,{'达标' if r['met'] else '未达标'}"
            parts.append(text)
        sentence = f"{POLICIES[policy]}{department}{month_label(month)}交车的档案{len(items)}份、已上交{len(handed)}份:" + ";".join(parts)
        if policy != FAW_VW:
            sentence += ";客户管理制度14五.8未设目标值,此两率纳入部门负责人绩效考核"
        decisions.append(rule.decide("department", f"{POLICIES[policy]}/{department}@{month}", outcome, sentence + "。", used,
                                     inputs={"month": month, "files": sorted(a.file.code for a in items)}))
    return decisions
