"""The files handed in, counted against the dealer systems (汽车客户管理制度 二.4, 五(一)3(2), 五(二)4(3)).

One decision per system entry (an AAK scan of a sold vehicle, a 小R3 / DMS work order), then one
summary per system and month. An entry is matched by a file of its vehicle (底盘号) of the right
type: a sales file for AAK; for 小R3 / DMS the service file with the same work-order number, or
(without one) of the same day. Status:

- ``matched``: the file was handed in by the day of the check;
- ``excepted``: the text's exceptions (no invoice yet for sales; claims and vehicles in repair for
  service; not yet settled, 五(二)4(2)), or a 《未上报记录》 giving the reason (二.5);
- ``supplied`` / ``supplied_late``: missing at the check, handed in within the 2-day limit or after it;
- ``missing`` (limit still running) / ``missing_overdue``.

The limit counts from the day of the check (``checked_on``, default the as-of day), in working days
or calendar days (``faw_missing_report_basis``). A file still missing after the limit, or supplied
after it, costs its responsible person the KPI points the profile sets
(``faw_kpi_points_missing_file``: the text gives no number). 客户管理制度14 has no such count:
its entries get a decision saying so.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Mapping

from ...core.decisions import Decision
from . import rules
from .audit import file_policy
from .records import SystemEntry, VehicleFile
from .text import day, month_label, points
from .vocabulary import FAW_VW, clean

SYSTEM_FILE_TYPES = {"aak": "sales", "扫aak": "sales", "掃aak": "sales", "小r3": "service", "r3": "service", "dms": "service"}
SALES_EXCEPTIONS = {"no_invoice": "用户未开发票"}
SERVICE_EXCEPTIONS = {"claim": "索赔", "in_repair": "在修", "unsettled": "未结算"}


def file_type_of(entry: SystemEntry) -> str | None:
    return entry.file_type or SYSTEM_FILE_TYPES.get(clean(entry.system).lower())


def _match(entry: SystemEntry, kind: str, files: list[VehicleFile]) -> VehicleFile | None:
    same = [f for f in files if f.file_type == kind]
    if kind == "sales":
        return same[0] if same else None
    if entry.order_number:
        return next((f for f in same if f.order_number == entry.order_number), None)
    for f in same:
        for moment_ in (f.delivered_at, f.received_at):
            if moment_ is not None and moment_.date() == entry.entry_date:
                return f
    return None


def limit_day(checked: date, params: Mapping[str, Any], cal) -> date:
    n = params["faw_missing_report_days"]
    if params["faw_missing_report_basis"] == "calendar":
        return checked + timedelta(days=n)
    return cal.add_working_days(checked, n)


def reconcile_entries(entries: list[SystemEntry], month: str | None, params: Mapping[str, Any], context) -> list[Decision]:
    chosen = [e for e in entries if month is None or f"{e.entry_date:%Y-%m}" == month]
    files = context.history.records("vehicle_file", sorted({e.vin for e in chosen}))
    decisions: list[Decision] = []
    summary: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in chosen:
        d = _entry(entry, files.get(entry.vin, []), params, context)
        decisions.append(d)
        if d.outcome["policy"] == FAW_VW:
            key = (entry.system, f"{entry.entry_date:%Y-%m}")
            row = summary.setdefault(key, {"entries": 0, "by_status": {}, "missing": []})
            row["entries"] += 1
            row["by_status"][d.outcome["status"]] = row["by_status"].get(d.outcome["status"], 0) + 1
            if d.outcome["status"] in ("missing", "missing_overdue", "supplied_late"):
                row["missing"].append(entry.code)
    for (system, entry_month), row in sorted(summary.items()):
        counted = row["entries"] - row["by_status"].get("excepted", 0) - row["by_status"].get("unclassified", 0)
        handed = row["by_status"].get("matched", 0)
        short = counted - handed
        labels = {"matched": "已上交", "excepted": "除外", "supplied": "限期内补交", "supplied_late": "逾期补交",
                  "missing": "缺失(限期内)", "missing_overdue": "缺失(已逾限期)", "unclassified": "无法归类"}
        detail = "、".join(f"{labels[s]}{n}" for s, n in sorted(row["by_status"].items()))
        text = (f"{system}{month_label(entry_month)}系统记录{row['entries']}条,除外后应有档案{counted}份,核对时已上交{handed}份,"
                f"与系统数量相差{short}份({detail})")
        outcome = {"policy": FAW_VW, "system": system, "month": entry_month, "status": "consistent" if short == 0 else "short",
                   "entries": row["entries"], "expected": counted, "handed_in": handed, "short": short, "by_status": row["by_status"],
                   "entries_short": row["missing"], "missing": False}
        decisions.append(rules.rule("faw_count_summary").decide("system", f"{system}@{entry_month}", outcome, text + "。", {},
                                                                inputs={"system": system, "month": entry_month}))
    return decisions


def _entry(entry: SystemEntry, files: list[VehicleFile], params: Mapping[str, Any], context) -> Decision:
    policy = file_policy(entry, params)
    label = f"{entry.system}记录{entry.code}(底盘号{entry.vin},{day(entry.entry_date)})"
    inputs = {"entry": entry, "files": [f.code for f in files]}
    if policy != FAW_VW:
        return rules.rule("skoda_no_count_rule").decide(
            "system_entry", entry.code, {"policy": policy, "status": "not_in_policy", "missing": False},
            f"{label}:客户管理制度14未规定档案数量与系统数量核对,未判定。", {"policy": policy}, inputs=inputs)
    kind = file_type_of(entry)
    if kind is None:
        return rules.rule("faw_count_summary").decide(
            "system_entry", entry.code, {"policy": policy, "status": "unclassified", "missing": False},
            f"{label}:系统“{entry.system}”不能判定对应销售档案还是服务档案,请在“档案类型”栏注明,未核对。", {}, inputs=inputs)
    key = "faw_count_sales" if kind == "sales" else "faw_count_service"
    exceptions = SALES_EXCEPTIONS if kind == "sales" else SERVICE_EXCEPTIONS
    matched = _match(entry, kind, files)
    person = entry.responsible or (matched.responsible if matched else None)
    name = entry.responsible_name or (matched.responsible_name if matched else None)
    who = f"{name}({person})" if name and person else (name or person or "(未登记责任人)")
    checked = entry.checked_on or context.as_of
    base = {"policy": policy, "file_type": kind, "file": matched.code if matched else None, "responsible": person,
            "checked_on": checked, "kpi_points": None, "missing": False, "report_due": None}
    if matched is not None and matched.submitted_at is not None and matched.submitted_at.date() <= checked:
        return rules.rule(key).decide("system_entry", entry.code, base | {"status": "matched"},
                                      f"{label}已有档案{matched.code},{day(matched.submitted_at)}上交。", {}, inputs=inputs)
    if entry.status in exceptions:
        reason = exceptions[entry.status]
        return rules.rule(key).decide("system_entry", entry.code, base | {"status": "excepted", "exception": entry.status},
                                      f"{label}尚无上交的档案,车辆状态为{reason},按规定除外。", {}, inputs=inputs)
    if entry.unreported_reason:
        return rules.rule("faw_unreported").decide("system_entry", entry.code, base | {"status": "excepted", "exception": "unreported_record"},
                                                   f"{label}尚无上交的档案,已填写《未上报记录》注明原因:{entry.unreported_reason}。", {}, inputs=inputs)
    due = limit_day(checked, params, context.calendar)
    unit = "个工作日" if params["faw_missing_report_basis"] == "working" else "日"
    basis = f"{day(checked)}核对与系统数量不符,限{params['faw_missing_report_days']}{unit}内({day(due)}前,含当日)上交"
    per_file = params["faw_kpi_points_missing_file"]
    kpi: Any = ("not_configured" if per_file is None else per_file)
    used = {"faw_missing_report_days": params["faw_missing_report_days"], "faw_missing_report_basis": params["faw_missing_report_basis"],
            "faw_kpi_points_missing_file": per_file}
    points_text = ("每份按KPI考核扣分(原文未给分值,请设定 faw_kpi_points_missing_file)" if per_file is None else f"KPI扣{points(Decimal(per_file))}")
    if matched is not None and matched.submitted_at is not None:
        late = matched.submitted_at.date() > due
        status = "supplied_late" if late else "supplied"
        text = f"{label}:{basis};档案{matched.code}于{day(matched.submitted_at)}补交,{'已逾限期,对责任人' + who + points_text if late else '在限期内'}"
        return rules.rule(key).decide("system_entry", entry.code, base | {"status": status, "report_due": due, "kpi_points": kpi if late else None},
                                      text + "。", used, inputs=inputs)
    overdue = context.as_of > due
    status = "missing_overdue" if overdue else "missing"
    text = f"{label}:无对应{'销售' if kind == 'sales' else '服务'}档案,{basis}" + (f";已逾限期,对责任人{who}{points_text}" if overdue else ",限期未到")
    return rules.rule(key).decide("system_entry", entry.code, base | {"status": status, "missing": True, "report_due": due,
                                                                      "kpi_points": kpi if overdue else None}, text + "。", used, inputs=inputs)

