"""One decision per responsible person and month: what that person is fined or loses in KPI points.

客户管理制度14 (Skoda), step by step:

1. Each file's fined findings (五.1-五.5) form its violation (``skoda_violation_unit = "file"``: one
   penalised hand-over is one violation, each of its items fined; ``"item"``: every fined item is a
   violation of its own). A lost or damaged file is a violation of the person who lost it (五.7).
2. Not corrected within 1 working day of the order to correct: each further working day is a
   repeat fine of the same amount (五.10); ``skoda_refine_reading`` says whether it also counts as a
   violation in the month's tally (``new_violation``) or not (``same_amount``, the default).
3. The month's violations are numbered in the order they were penalised: first those already in
   the person's committed decision for the month (read from ``context.history``: they keep their
   number and amount; nothing is replayed), then this run's new ones by date. From the 2nd
   (sales consultant) or 3rd (service advisor) on, each is fined ``skoda_doubling_factor`` times its
   base (五.6); a service advisor who reached the 3rd may also have 10-30% of the month's
   performance pay cut, at the manager's discretion (a permitted range, never a decided figure).

汽车客户管理制度·客户档案管理制度 (FAW-VW): KPI points per unqualified file (no number in the text:
not configured until the profile sets one), 1 point per late correction and per file returned
unchanged, points for a lost or damaged file (no number either), and 10 yuan per file each for the
archivist and the service advisor found favouring (五(二)4(7)). The missing files counted against the
dealer systems are decided by ``vehicle-reconcile``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Mapping

from ...core.decisions import Decision
from . import rules
from .audit import Audited, examine, person_of
from .checks_skoda import FINE_LABELS
from .findings import Person
from .text import month_label, number, points, short_day, yuan
from .vocabulary import FAW_VW, SKODA

UNASSIGNED = "(未登记)"


@dataclass
class Violation:
    key: str
    file_code: str
    on: date
    kind: str  # file, item, refine, lost
    items: list[dict[str, Any]]
    base: Decimal
    correctable: Decimal = Decimal(0)
    counted: bool = True
    origin: str | None = None
    # Filled when the ladder is applied:
    ordinal: int | None = None
    factor: Decimal = Decimal(1)
    amount: Decimal = Decimal(0)
    decided_in: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "file": self.file_code, "date": self.on, "kind": self.kind, "items": self.items,
            "base": self.base, "correctable": self.correctable, "counted": self.counted, "origin": self.origin,
            "ordinal": self.ordinal, "factor": self.factor, "amount": self.amount, "decided_in": self.decided_in,
            "doubled_under": rules.clause("skoda_doubling") if self.factor != 1 else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], decision_id: int | None) -> "Violation":
        """A violation as an earlier decision recorded it (from the log: JSON, dates and Decimals as text)."""
        on = data["date"]
        return cls(
            key=data["key"], file_code=data["file"], on=on if isinstance(on, date) else date.fromisoformat(on), kind=data["kind"],
            items=list(data.get("items") or []), base=Decimal(str(data["base"])), correctable=Decimal(str(data.get("correctable") or 0)),
            counted=bool(data.get("counted", True)), origin=data.get("origin"),
            ordinal=data.get("ordinal"), factor=Decimal(str(data.get("factor") or 1)), amount=Decimal(str(data["amount"])),
            decided_in=data.get("decided_in") or decision_id,
        )


@dataclass
class Ledger:
    person: Person
    violations: list[Violation] = field(default_factory=list)


def subject(code: str | None, month: str) -> str:
    return f"{code or UNASSIGNED}@{month}"


def month_fines(files: list[Any], month: str, params: Mapping[str, Any], context, staff: Mapping[str, Any]) -> list[Decision]:
    audited = [examine(f, params, context.calendar, context.as_of, staff) for f in files]
    decisions = skoda_fines([a for a in audited if a.policy == SKODA], month, params, context, staff)
    decisions += faw_deductions([a for a in audited if a.policy == FAW_VW], month, params, staff)
    return decisions


# --- 客户管理制度14 --------------------------------------------------------------------------------

def _item(f) -> dict[str, Any]:
    return {"rule": rules.rule(f.check).id, "clause": rules.clause(f.fine_rule or f.check), "item": f.fine_item,
            "label": FINE_LABELS[f.fine_item], "message": f.message, "base": f.fine, "correctable": f.correctable}


def violations_of(a: Audited, params: Mapping[str, Any], as_of: date, staff: Mapping[str, Any]) -> list[tuple[Person, Violation]]:
    file = a.file
    out: list[tuple[Person, Violation]] = []
    if file.submitted_at is not None:
        when: date | None = file.submitted_at.date()
    elif a.deadline.status == "overdue" and a.deadline.due_day is not None:
        when = a.deadline.due_day + timedelta(days=1)  # the first day it was late
    else:
        when = None
    fined = [f for f in a.findings if f.fine is not None and f.check != "skoda_lost_file"]
    originals: list[Violation] = []
    if fined and when is not None:
        if params["skoda_violation_unit"] == "file":
            items = [_item(f) for f in fined]
            originals.append(Violation(file.code, file.code, when, "file", items, sum((f.fine for f in fined if f.fine), Decimal(0)),
                                       sum((f.fine for f in fined if f.fine and f.correctable), Decimal(0))))
        else:
            for i, f in enumerate(fined, 1):
                assert f.fine is not None
                originals.append(Violation(f"{file.code}#{i}", file.code, when, "item", [_item(f)], f.fine, f.fine if f.correctable else Decimal(0)))
    out += [(a.person, v) for v in originals]
    counted = params["skoda_refine_reading"] == "new_violation"
    for v in originals:
        if not v.correctable:
            continue
        for k, limit in enumerate(a.fix.refine_days, 1):
            item = {"rule": rules.rule("skoda_correction").id, "clause": rules.clause("skoda_correction"), "item": "refine",
                    "label": "逾期未改正再次处罚", "message": f"{short_day(limit)}仍未改正(第{k}次)", "base": v.correctable, "correctable": False}
            out.append((a.person, Violation(f"{v.key}#re{k}", file.code, limit, "refine", [item], v.correctable, counted=counted, origin=v.key)))
    for f in a.findings:
        if f.check == "skoda_lost_file" and f.fine is not None:
            who = person_of(file.damaged_by, None, None, None, staff) if file.damaged_by else a.person
            if who.role is None and who.code == a.person.code:
                who = a.person
            out.append((who, Violation(f"{file.code}#lost", file.code, file.damaged_on or as_of, "lost", [_item(f)], f.fine)))
    return out


def skoda_fines(audited: list[Audited], month: str, params: Mapping[str, Any], context, staff: Mapping[str, Any]) -> list[Decision]:
    ledgers: dict[str, Ledger] = {}
    all_violations: dict[str, Violation] = {}
    for a in audited:
        for person, v in violations_of(a, params, context.as_of, staff):
            all_violations[v.key] = v
            if f"{v.on:%Y-%m}" != month:
                continue
            ledger = ledgers.setdefault(subject(person.code, month), Ledger(person))
            ledger.violations.append(v)
    if not ledgers:
        return []
    # Earlier committed decisions: this month's (the ladder so far) and the months of the originals
    # of this month's repeat fines (their charged amounts).
    wanted = set(ledgers)
    for sid, ledger in ledgers.items():
        for v in ledger.violations:
            if v.origin and v.origin in all_violations:
                wanted.add(subject(ledger.person.code, f"{all_violations[v.origin].on:%Y-%m}"))
    earlier = context.history.latest("staff", sorted(wanted), command=context.command or None, rule=rules.rule("skoda_fines").id)
    charged: dict[str, Violation] = {}
    for d in earlier.values():
        for row in d.outcome.get("violations") or []:
            charged[row["key"]] = Violation.from_dict(row, d.decision_id)
    decisions = []
    for sid in sorted(ledgers):
        ledger = ledgers[sid]
        prior_decision = earlier.get(sid)
        prior = [Violation.from_dict(row, prior_decision.decision_id) for row in (prior_decision.outcome.get("violations") or [])] if prior_decision else []
        decisions.append(_ladder(sid, ledger, prior, charged, month, params))
    return decisions


def _ladder(sid: str, ledger: Ledger, prior: list[Violation], charged: dict[str, Violation], month: str, params) -> Decision:
    person = ledger.person
    factor: Decimal = params["skoda_doubling_factor"]
    threshold = params["skoda_doubling_from"].get(person.role or "")
    known = {v.key for v in prior}
    new = sorted((v for v in ledger.violations if v.key not in known), key=lambda v: (v.on, v.file_code, v.key))
    count = max((v.ordinal or 0 for v in prior), default=0)
    this_run: dict[str, Violation] = {}
    for v in new:
        if v.counted:
            count += 1
            v.ordinal = count
            v.factor = factor if threshold is not None and count >= threshold else Decimal(1)
            v.amount = v.base * v.factor
        else:
            origin = this_run.get(v.origin or "") or charged.get(v.origin or "") or next((p for p in prior if p.key == v.origin), None)
            v.factor = origin.factor if origin is not None else Decimal(1)
            v.amount = v.base * v.factor
        this_run[v.key] = v
    everything = prior + new
    total = sum((v.amount for v in everything), Decimal(0))
    new_total = sum((v.amount for v in new), Decimal(0))
    cut_range = [Decimal(x) for x in params["skoda_performance_cut_range"]]
    cut = person.role in params["skoda_performance_cut_roles"] and threshold is not None and count >= threshold
    outcome = {
        "person": person.code, "name": person.name, "role": person.role, "department": person.department, "month": month,
        "policy": SKODA, "violations": [v.to_dict() for v in everything], "penalised": count, "doubling_from": threshold,
        "fine_total": total, "new_fine_total": new_total, "kpi_points_total": None,
        "performance_cut": {"permitted": cut, "range": cut_range if cut else None, "decided_by": "经理视情况决定" if cut else None},
    }
    steps = [_step(v, threshold) for v in everything]
    head = f"{person.label}{month_label(month)}档案违规受处罚{count}次"
    if prior:
        head += f"(其中{sum(1 for v in prior if v.counted)}次已在决策#{prior[0].decided_in}中处罚)" if prior[0].decided_in else ""
    text = head + ":" + ";".join(steps) + f";合计罚款{yuan(total)}"
    if prior:
        text += f",本次新增{yuan(new_total)}"
    if threshold is None:
        text += f"(岗位“{person.role or '未登记'}”不在五.6翻倍之列,未翻倍)"
    if cut:
        text += f";已达第{threshold}次,经理可视情况扣罚当月绩效工资{number(cut_range[0] * 100)}%—{number(cut_range[1] * 100)}%"
    used = {"skoda_doubling_from": dict(params["skoda_doubling_from"]), "skoda_doubling_factor": factor,
            "skoda_violation_unit": params["skoda_violation_unit"], "skoda_refine_reading": params["skoda_refine_reading"]}
    return rules.rule("skoda_fines").decide("staff", sid, outcome, text + "。", used,
                                            inputs={"person": person.code, "month": month, "violations": [v.key for v in everything]})


def _step(v: Violation, threshold: int | None) -> str:
    what = f"{v.file_code}({short_day(v.on)})"
    if v.kind == "refine":
        return f"{what}逾期未改正再罚{yuan(v.base)}" + (f"×{number(v.factor)}={yuan(v.amount)}" if v.factor != 1 else "") + (
            f"(计第{v.ordinal}次)" if v.ordinal else "(同额,不计次数)")
    parts = "、".join(f"{i['label'].split('(')[0]}{yuan(Decimal(i['base']))}" for i in v.items)
    lead = f"第{v.ordinal}次" if v.ordinal else ""
    if v.ordinal and threshold is not None and v.ordinal == threshold and v.factor != 1:
        lead = f"第{v.ordinal}次起翻倍,第{v.ordinal}次"
    if v.factor != 1:
        return f"{lead}{what}{parts},计{yuan(v.base)}×{number(v.factor)}={yuan(v.amount)}"
    return f"{lead}{what}{parts}" + (f",计{yuan(v.amount)}" if len(v.items) > 1 else "")


# --- 汽车客户管理制度·客户档案管理制度 -----------------------------------------------------------------

def faw_deductions(audited: list[Audited], month: str, params: Mapping[str, Any], staff: Mapping[str, Any]) -> list[Decision]:
    per_file = params["faw_kpi_points_unqualified_file"]
    per_missing = params["faw_kpi_points_missing_file"]
    fine = params["faw_favouritism_fine"]
    ledgers: dict[str, tuple[Person, list[dict[str, Any]]]] = {}

    def add(person: Person, on: date | None, row: dict[str, Any]) -> None:
        if on is None or f"{on:%Y-%m}" != month:
            return
        ledgers.setdefault(subject(person.code, month), (person, []))[1].append({"date": on, **row})

    for a in audited:
        file = a.file
        handed = file.submitted_at.date() if file.submitted_at else None
        if a.status == "unqualified" and any(f.check not in ("faw_damaged_file", "faw_favouritism") for f in a.defects()):
            add(a.person, handed, {"file": file.code, "item": "unqualified_file", "clause": rules.clause("faw_kpi_unqualified"),
                                   "points": per_file, "fine": None})
        if a.fix.missed and a.fix.due_at is not None:
            add(a.person, a.fix.due_at.date(), {"file": file.code, "item": "late_correction", "clause": rules.clause("faw_correction"),
                                                "points": params["faw_kpi_points_late_correction"], "fine": None})
        if file.resubmitted_unchanged and file.resubmitted_at is not None:
            add(a.person, file.resubmitted_at.date(), {"file": file.code, "item": "unchanged_return", "clause": rules.clause("faw_unchanged_return"),
                                                       "points": params["faw_kpi_points_unchanged_return"], "fine": None})
        if file.damage:
            who = person_of(file.damaged_by, None, None, None, staff) if file.damaged_by else a.person
            add(who, file.damaged_on or handed, {"file": file.code, "item": "damaged_file", "clause": rules.clause("faw_damaged_file"),
                                                 "points": per_missing, "fine": None})
        if file.favouritism:
            add(a.person, handed, {"file": file.code, "item": "favouritism", "clause": rules.clause("faw_favouritism"), "points": None, "fine": fine})
            if file.archivist:
                archivist = person_of(file.archivist, None, "archivist", "客服部", staff)
                add(Person(archivist.code, archivist.name, "archivist", archivist.department or "客服部"), handed,
                    {"file": file.code, "item": "favouritism", "clause": rules.clause("faw_favouritism"), "points": None, "fine": fine})
    decisions = []
    labels = {"unqualified_file": "不合格档案", "late_correction": "逾期改正", "unchanged_return": "原封返回", "damaged_file": "档案缺失或破损", "favouritism": "徇私舞弊"}
    for sid in sorted(ledgers):
        person, rows = ledgers[sid]
        rows.sort(key=lambda r: (r["date"], r["file"], r["item"]))
        configured = [r for r in rows if r["points"] is not None]
        unset = sorted({r["item"] for r in rows if r["points"] is None and r["fine"] is None})
        kpi_total = sum((Decimal(r["points"]) for r in configured), Decimal(0))
        fine_total = sum((Decimal(r["fine"]) for r in rows if r["fine"] is not None), Decimal(0))
        parts = []
        for item in ("unqualified_file", "late_correction", "unchanged_return", "damaged_file", "favouritism"):
            mine = [r for r in rows if r["item"] == item]
            if not mine:
                continue
            files = "、".join(r["file"] for r in mine)
            if item == "favouritism":
                parts.append(f"{labels[item]}{len(mine)}份({files})罚款{yuan(fine_total)}")
            elif mine[0]["points"] is None:
                parts.append(f"{labels[item]}{len(mine)}份({files}),每份扣分原文未给分值,未配置")
            else:
                parts.append(f"{labels[item]}{len(mine)}{'次' if item == 'late_correction' else '份'}({files})扣{points(sum((Decimal(r['points']) for r in mine), Decimal(0)))}")
        text = f"{person.label}{month_label(month)}:" + ";".join(parts) + f";KPI共扣{points(kpi_total)}"
        if unset:
            keys = {"unqualified_file": "faw_kpi_points_unqualified_file", "damaged_file": "faw_kpi_points_missing_file"}
            text += f"(另有{'、'.join(labels[u] for u in unset)}的分值未配置,请在 [plugin.autodealer.parameters] 设定 {'、'.join(keys[u] for u in unset)})"
        if fine_total:
            text += f",罚款{yuan(fine_total)}"
        outcome = {"person": person.code, "name": person.name, "role": person.role, "department": person.department, "month": month,
                   "policy": FAW_VW, "items": rows, "kpi_points_total": kpi_total, "fine_total": fine_total,
                   "not_configured": unset, "status": "not_configured" if unset else "decided"}
        used = {"faw_kpi_points_unqualified_file": per_file, "faw_kpi_points_missing_file": per_missing,
                "faw_kpi_points_late_correction": params["faw_kpi_points_late_correction"],
                "faw_kpi_points_unchanged_return": params["faw_kpi_points_unchanged_return"], "faw_favouritism_fine": fine}
        decisions.append(rules.rule("faw_kpi").decide("staff", sid, outcome, text + "。", used,
                                                      inputs={"person": person.code, "month": month, "files": sorted({r["file"] for r in rows})}))
    return decisions
