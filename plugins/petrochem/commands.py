"""The petrochem plugin's decision commands, declared for the core to run (``decision_commands``).

The standard ones (``classify``, ``route``, ``audit``) are fed by the plugin's hooks; its own
(``allocate``, ``visits``, ``admit``) by the decide functions below. All of them read the database
or a file (CSV, JSON, JSON lines, XLSX; English field names or the Chinese headers), and their
decisions are checked, stamped, logged and explainable like any other.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Sequence

from ...core.commandspecs import CommandOption, DecisionCommand
from ...core.errors import DecisionInputError
from . import admission, allocation, visits
from .findings import standing_by_customer
from .params import ALLOCATION_MODES, PLUGIN
from .periods import month_label, month_of, parse_month, parse_period, previous_month
from .text import tonnes


def tonnage(text: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a tonnage") from None
    if not value.is_finite() or value < 0 or value >= Decimal(10) ** 15:
        raise ValueError(f"'{text}' is not a tonnage between 0 and 10^15")
    if value.as_tuple().exponent < -3:  # type: ignore[operator]
        raise ValueError(f"'{text}' has more than 3 decimal places (tonnes are counted to the kilogram)")
    return value


def period_code(text: str) -> str:
    return parse_period(str(text)).code


def month_code(text: str) -> str:
    """``--month``: one calendar month, read as a record's 月份 column is (``2026-08``, ``2026年8月``)."""
    month = parse_month(str(text))
    if month is None:
        raise ValueError(f"'{text}' is not a month; write the month allocated like 2026-08 or 2026年8月")
    return month


def allocate(requests: Sequence[Any], context) -> list:
    """第三条(二)、第十条: allocate a month's tonnage, direct sales first, then agents, then distributors."""
    params = dict(context.parameters(PLUGIN))
    if context.options.get("mode"):
        params["allocation_mode"] = context.options["mode"]
    available = context.options.get("available")
    if available is None:
        raise DecisionInputError("give the month's available tonnage with --available (or an 'available' key in the JSON file)")
    month = context.options.get("month")
    requests = list(requests)
    _weekly_from_records(requests, month or month_of(context.as_of), context)
    found = context.history.records("customer_finding", {r.customer_code for r in requests})
    decisions, summary = allocation.allocate(requests, available, params, month, standing_by_customer(found, context.as_of))
    decisions.append(allocation_summary(summary, month, params))
    return decisions


def _weekly_from_records(requests: list[Any], month: str, context) -> None:
    """第十条(四)3 周拿货量均衡: a request without its own 周提货量 takes the customer's weekly pickup
    records of the weeks that begin in the month before the one allocated (the latest whole month)."""
    wanting = {r.customer_code for r in requests if not r.weekly_pickups}
    if not wanting:
        return
    before = previous_month(month)
    found = context.history.records("weekly_pickup", wanting)
    for r in requests:
        if not r.weekly_pickups:
            weeks = sorted((w for w in found.get(r.customer_code, ()) if month_of(w.week_of) == before), key=lambda w: w.week_of)
            r.weekly_pickups = [w.volume for w in weeks]


def allocation_summary(summary: dict[str, Any], month: str | None, params) -> Any:
    from . import rules

    when = month_label(month) if month else "本月"
    return rules.ALLOCATION.decide(
        "allocation", month or "本月",
        {key: summary[key] for key in ("available", "requested", "allocated", "unallocated", "by_class", "mode")},
        f"{when}可分配{tonnes(summary['available'])}吨,申请{tonnes(summary['requested'])}吨,"
        f"已分配{tonnes(summary['allocated'])}吨,未分配{tonnes(summary['unallocated'])}吨。",
        {"allocation_mode": summary["mode"]},
        inputs={"available": summary["available"], "month": month, "requested": summary["requested"]},
    )


def score_visits(reports: Sequence[Any], context) -> list:
    """油品调运 附件1 / 第十四条: score each visit report, then average per customer and period."""
    params = context.parameters(PLUGIN)
    chosen = parse_period(context.options["period"]) if context.options.get("period") else None
    decisions = []
    for report in reports:
        try:
            decision = visits.score_report(report, params)
        except visits.UnknownRating as exc:
            # The rating scales are parameters, so this check runs after schema validation.
            raise DecisionInputError(f"visit report {report.report_code or report.customer_code} ({report.visited_on}): {exc}; nothing was decided") from None
        decision.inputs = report
        if not context.options.get("averages_only"):
            decisions.append(decision)
    per_customer: dict[str, list[Any]] = {}
    for report in reports:
        per_customer.setdefault(report.customer_code, []).append(report)
    for decision in visits.average_by_customer(list(reports), params, chosen):
        decision.inputs = {"reports": per_customer.get(decision.subject_id, [])}
        decisions.append(decision)
    return decisions


def admit(applications: Sequence[Any], context) -> list:
    """第十条 admission conditions and 第十七条 disqualification (from recorded findings), per applicant."""
    findings = context.history.records("customer_finding", {a.code for a in applications})
    return [admission.check_admission(a, findings.get(a.code, ()), context.as_of) for a in applications]


FINDINGS_OPTION = CommandOption("findings", "With FILE: the 第十七条 findings file (customer_finding records).", records_kind="customer_finding")


DECISION_COMMANDS = (
    DecisionCommand(
        "classify", "客户分级", "customer", hook="classify_customer",
        help="Classify customers: classes and polyolefin star levels (第九条, 第十条, 第十六条 reviews).",
        options=(CommandOption("review", "Review period: 2026Q3, 2026H1, 2026 or 2026-07 (reads the monthly volumes).", parse=period_code),
                 CommandOption("volumes", "With FILE and --review: the monthly volumes file.", records_kind="monthly_volume")),
        period_option="review",
    ),
    DecisionCommand(
        "route", "投诉分派", "complaint", hook="route_complaint",
        help="Route complaints to handlers with working-day due dates.",
        options=(CommandOption("overdue", "Only complaints past their due date.", flag=True, keep_if_outcome="overdue"),),
    ),
    DecisionCommand("audit", "档案审核", "archive", hook="validate_archive", options=(FINDINGS_OPTION,),
                    help="Audit customer dossiers for missing, expired or unapproved material (第七条, 第十五条) and 第十七条 findings."),
    DecisionCommand(
        "allocate", "资源分配", "allocation_request", decide=allocate, whole_input=True, combine="first",
        outcome_keys=("allocated",),
        help="Allocate a month's tonnage: direct sales first, then exclusive agents, then distributors (第三条、第十条).",
        options=(CommandOption("available", "Tonnes available this month (or 'available' in the JSON file).", parse=tonnage),
                 CommandOption("month", "The month allocated, e.g. 2026-08 (for the explanations).", parse=month_code),
                 CommandOption("mode", "Override allocation_mode.", choices=ALLOCATION_MODES),
                 FINDINGS_OPTION,
                 CommandOption("pickups", "With FILE: the weekly pickups file (weekly_pickup records) for requests without 周提货量.",
                               records_kind="weekly_pickup")),
        example_options={"available": "5000", "month": "2026-08"},
    ),
    DecisionCommand(
        "visits", "走访评分", "visit_report", decide=score_visits, whole_input=True,
        help="Score visit reports (油品调运 附件1) and average them per customer per period (第十四条).",
        options=(CommandOption("period", "Average over 2026, 2026H1, 2026Q3 or 2026-07 (default: each calendar year).", parse=period_code),
                 CommandOption("averages_only", "Print only the per-customer averages.", flag=True)),
    ),
    DecisionCommand("admit", "客户准入", "admission_application", decide=admit, outcome_keys=("admitted",), options=(FINDINGS_OPTION,),
                    help="Check applicants against the admission conditions (第十条) and recorded 第十七条 findings."),
)
