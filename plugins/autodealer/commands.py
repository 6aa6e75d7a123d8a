"""The autodealer plugin's decision commands (all its own; none feeds a standard hook):

- ``vehicle-audit``: one decision per vehicle file (status, findings, deadline, fines or KPI points);
- ``vehicle-fines``: one decision per responsible person and month (客户管理制度14's fines with the
  month's doubling and repeat fines, step by step; 汽车客户管理制度's KPI deductions and fines);
- ``vehicle-kpi``: one decision per department and month (completeness and authenticity against the
  targets; timeliness and completeness rates);
- ``vehicle-reconcile``: the dealer systems' entries against the files (files missing, exceptions,
  the 2-day limit), with a summary per system and month;
- ``vehicle-master``: the DSERP master data of each vehicle;
- ``vehicle-retention``: how long each vehicle's files are kept, and which are due to move to the
  sealed archive as of a date.

Each is also ``zhidu autodealer NAME``. The names carry the ``vehicle-`` prefix because a plugin's
own command name is global: ``audit`` is already the standard command petrochem answers.
"""

from __future__ import annotations

from typing import Any, Sequence

from marshmallow import ValidationError

from ...core.commandspecs import CommandOption, DecisionCommand
from ...core.errors import DecisionInputError
from ...core.fields import Month
from .params import PLUGIN


def month_text(text: str) -> str:
    """--month: 2026-10, 2026/10 or 2026年10月."""
    try:
        return Month().deserialize(str(text))
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None


def chosen_month(context, default_as_of: bool) -> str | None:
    """--month (or "month" in a JSON input file, which arrives unparsed); else the as-of month, or None."""
    value = context.options.get("month")
    if value is None:
        return f"{context.as_of:%Y-%m}" if default_as_of else None
    try:
        month = month_text(str(value))
    except ValueError as exc:
        raise DecisionInputError(f"month: {exc}") from None
    if month > f"{context.as_of:%Y-%m}":
        raise DecisionInputError(f"month {month} has not begun on {context.as_of}; nothing was decided")
    return month


def staff_of(context, codes: Sequence[str]) -> dict[str, Any]:
    """The shared staff records (姓名, 岗位, 部门) of the people named, when the company keeps them."""
    if not codes:
        return {}
    found = context.history.records("staff", codes)
    return {code: items[-1] for code, items in found.items() if items}


def audit(files: Sequence[Any], context) -> list:
    from .audit import audit_file, in_month, staff_codes

    params = context.parameters(PLUGIN)
    month = chosen_month(context, default_as_of=False)
    chosen = [f for f in files if in_month(f, month)]
    staff = staff_of(context, staff_codes(chosen))
    return [audit_file(f, params, context.calendar, context.as_of, staff) for f in chosen]


def fines(files: Sequence[Any], context) -> list:
    from .audit import staff_codes
    from .fines import month_fines

    params = context.parameters(PLUGIN)
    month = chosen_month(context, default_as_of=True)
    assert month is not None
    staff = staff_of(context, staff_codes(files))
    return month_fines(list(files), month, params, context, staff)


def kpi(files: Sequence[Any], context) -> list:
    from .audit import staff_codes
    from .quality import department_rates

    params = context.parameters(PLUGIN)
    month = chosen_month(context, default_as_of=True)
    assert month is not None
    staff = staff_of(context, staff_codes(files))
    return department_rates(list(files), month, params, context.calendar, context.as_of, staff)


def reconcile(entries: Sequence[Any], context) -> list:
    from .reconcile import reconcile_entries

    params = context.parameters(PLUGIN)
    month = chosen_month(context, default_as_of=False)
    return reconcile_entries(list(entries), month, params, context)


def master(records: Sequence[Any], context) -> list:
    from .master import check_master

    params = context.parameters(PLUGIN)
    return [check_master(r, params) for r in records]


def retention(files: Sequence[Any], context) -> list:
    from .retention import retention_decisions

    return retention_decisions(list(files), context.parameters(PLUGIN), context.as_of)


_MONTH = CommandOption("month", "Only files of this month, e.g. 2026-10 (by delivery / handover day).", parse=month_text)

DECISION_COMMANDS: tuple[DecisionCommand, ...] = (
    DecisionCommand(
        "vehicle-audit", "车辆档案审核", "vehicle_file", decide=audit, outcome_keys=("status", "findings"),
        help="Audit vehicle files (一车一档): completeness, order, consistency, signatures, deadlines; fines or KPI points per finding.",
        options=(_MONTH, CommandOption("unqualified", "Only files found 不合格.", flag=True, keep_if_outcome="unqualified")),
    ),
    DecisionCommand(
        "vehicle-fines", "档案违规罚款与KPI扣分", "vehicle_file", decide=fines, whole_input=True, outcome_keys=("fine_total", "kpi_points_total"),
        help="Per person and month: Skoda fines with the month's doubling and repeat fines (step by step); FAW-VW KPI deductions and fines.",
        options=(CommandOption("month", "The month, e.g. 2026-10 (default: the as-of month).", parse=month_text),),
        example_options={"month": "2026-10"},
    ),
    DecisionCommand(
        "vehicle-kpi", "部门档案质量指标", "vehicle_file", decide=kpi, whole_input=True, outcome_keys=("rates",),
        help="Per department and month: completeness and authenticity against the targets (FAW-VW), timeliness and completeness (Skoda).",
        options=(CommandOption("month", "The month, e.g. 2026-10 (default: the as-of month).", parse=month_text),),
        example_options={"month": "2026-10"},
    ),
    DecisionCommand(
        "vehicle-reconcile", "档案与系统数量核对", "system_entry", decide=reconcile, whole_input=True, outcome_keys=("status",),
        help="Dealer-system entries (AAK, 小R3/DMS) against the files: missing files, exceptions, the 2-day limit; a summary per system and month.",
        options=(CommandOption("files", "With FILE: the vehicle files to count (JSON, JSON lines, CSV or XLSX).", records_kind="vehicle_file"),
                 CommandOption("month", "Only entries of this month, e.g. 2026-10.", parse=month_text),
                 CommandOption("missing", "Only entries whose file is missing.", flag=True, keep_if_outcome="missing")),
    ),
    DecisionCommand(
        "vehicle-master", "DSERP主数据检查", "dserp_record", decide=master, outcome_keys=("status", "findings"),
        help="DSERP master data: every required field, owner and contact names, addresses to the door number.",
    ),
    DecisionCommand(
        "vehicle-retention", "档案保管期限", "vehicle_file", decide=retention, whole_input=True, outcome_keys=("due_to_move",),
        help="How long each vehicle's files are kept; which are due to move to the sealed archive as of --as-of.",
        options=(CommandOption("due", "Only vehicles whose files are due to move to the sealed archive.", flag=True, keep_if_outcome="due_to_move"),),
    ),
)
