"""Per store and month: incidents by category and person, the sanctions they carry, uniform
compensation due (``zhidu store-month --month 2026-03``).

The input is the staff roster (``store_staff``); each person's incidents and uniform issues are read
through ``context.history.records`` (over the database: the stored ones; from a FILE: the files of
``--incidents`` and ``--uniforms``). Sanctions and amounts are computed by the same functions as
``conduct`` and ``uniforms``, with the parameters in force, so the summary agrees with them
(repeat offences counted over all of the person's incidents, not only the month's). An incident
falls in the month of its 发生时间; compensation for a uniform not returned in the month its holder
left, for a damaged or lost one in the month it was recorded (登记日期).
"""

from __future__ import annotations

import calendar as cal
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any, Sequence

from ...core.decisions import Decision
from ...core.errors import DecisionInputError
from .catalogue import CATEGORIES, PLUGIN, rule
from .conduct import assess
from .records import StoreStaff
from .text import month_label, month_text, yuan
from .uniforms import assess_uniform


def chosen_month(context: Any) -> str:
    value = context.options.get("month")
    if value is None:
        return f"{context.as_of:%Y-%m}"
    try:
        return month_text(str(value))
    except ValueError as exc:
        raise DecisionInputError(f"month: {exc}") from None


def _in_month(value: date | None, month: str) -> bool:
    return value is not None and f"{value:%Y-%m}" == month


def summarise(roster: Sequence[StoreStaff], context: Any) -> list[Decision]:
    params = context.parameters(PLUGIN)
    month = chosen_month(context)
    if month > f"{context.as_of:%Y-%m}":
        raise DecisionInputError(f"month {month} has not begun on {context.as_of}; nothing was decided")
    year, mon = int(month[:4]), int(month[5:])
    month_end = date(year, mon, cal.monthrange(year, mon)[1])
    as_of = min(context.as_of, month_end)
    codes = [s.code for s in roster]
    incidents = context.history.records("staff_incident", codes)
    uniforms = context.history.records("uniform_issue", codes)
    stores: dict[str, dict[str, Any]] = {}
    for staff in roster:
        totals = stores.setdefault(staff.store, _empty())
        totals["staff"].append(staff.code)
        mine = incidents.get(staff.code, [])
        for incident in mine:
            if not _in_month(incident.occurred_at.date(), month):
                continue
            d = assess(incident, params, mine)
            target = stores.setdefault(incident.store or staff.store, _empty())
            target["incidents"].append(incident.code)
            target["by_person"][staff.code] += 1
            outcome = d.outcome
            if outcome["category"]:
                target["by_category"][outcome["category"]] += 1
                target["by_rule"][outcome["rule"]] += 1
            if outcome["status"] == "decided":
                target["sanctions"][outcome["sanction_label"]] += 1
                if outcome["fine"] is not None:
                    target["fines"] += outcome["fine"]
            elif outcome["status"] == "not_configured":
                target["not_configured"].append(incident.code)
            elif outcome["status"] == "unmatched":
                target["unmatched"].append(incident.code)
        for issue in uniforms.get(staff.code, []):
            u = assess_uniform(issue, params, as_of, staff.left_on)
            o = u.outcome
            when = o["left_on"] if u.rule_id.endswith("uniform_return") else issue.noted_on
            if not _in_month(when, month):
                continue
            target = stores.setdefault(issue.store or staff.store, _empty())
            if o["status"] == "compensate":
                target["compensation"] += o["compensation"]
                target["compensation_by_person"][staff.code] = target["compensation_by_person"].get(staff.code, Decimal("0.00")) + o["compensation"]
                target["uniform_issues"].append(issue.code)
            elif o["status"] in ("not_configured", "undetermined"):
                target["compensation_open"].append(issue.code)
    r = rule("store_month", params["document"])
    decisions = []
    for store, t in stores.items():
        outcome = {
            "store": store, "month": month, "staff": len(t["staff"]), "incidents": len(t["incidents"]),
            "by_category": dict(t["by_category"]), "by_rule": dict(t["by_rule"]), "by_person": dict(t["by_person"]),
            "sanctions": dict(t["sanctions"]), "fines_total": t["fines"], "sanctions_not_configured": t["not_configured"],
            "unmatched": t["unmatched"], "compensation_due": t["compensation"],
            "compensation_by_person": t["compensation_by_person"], "compensation_open": t["compensation_open"],
        }
        decisions.append(r.decide("store", f"{store}@{month}", outcome, _sentence(store, month, t), {"document": params["document"]},
                                  {"store": store, "month": month, "staff": t["staff"], "incidents": t["incidents"],
                                   "uniform_issues": t["uniform_issues"]}))
    return decisions


def _empty() -> dict[str, Any]:
    return {"staff": [], "incidents": [], "by_category": Counter(), "by_rule": Counter(), "by_person": Counter(),
            "sanctions": Counter(), "fines": Decimal("0.00"), "not_configured": [], "unmatched": [],
            "compensation": Decimal("0.00"), "compensation_by_person": {}, "compensation_open": [], "uniform_issues": []}


def _sentence(store: str, month: str, t: dict[str, Any]) -> str:
    head = f"门店{store}{month_label(month)}"
    if t["incidents"]:
        cats = "、".join(f"{CATEGORIES[c]}{n}起" for c, n in sorted(t["by_category"].items(), key=lambda kv: (-kv[1], kv[0])))
        text = f"{head}违纪事件{len(t['incidents'])}起({cats or '均未对应条款'},涉及{len(t['by_person'])}人)"
        if t["sanctions"]:
            text += ",处罚" + "、".join(f"{label}{n}次" for label, n in sorted(t["sanctions"].items(), key=lambda kv: (-kv[1], kv[0])))
            if t["fines"]:
                text += f",罚款合计{yuan(t['fines'])}"
        if t["not_configured"]:
            text += f",{len(t['not_configured'])}起的处罚企业尚未配置"
        if t["unmatched"]:
            text += f",{len(t['unmatched'])}起未能对应条款"
    else:
        text = f"{head}无违纪事件"
    if t["compensation"] or t["compensation_by_person"]:
        text += f";工服赔偿应收{yuan(t['compensation'])}({len(t['compensation_by_person'])}人)"
    else:
        text += ";无应收工服赔偿"
    if t["compensation_open"]:
        text += f",另{len(t['compensation_open'])}件待认定或待配置赔偿比例"
    return text + "。"
