"""Hook implementations of the petrochem policy plugin: thin loops over the pure rule modules."""

from __future__ import annotations

from ... import hookimpl
from ...core.errors import DecisionInputError
from .params import PLUGIN, SPEC
from .periods import Period, parse_period

__version__ = "0.1.0"


@hookimpl
def record_kinds():
    from .records import KINDS

    return KINDS


@hookimpl
def decision_commands():
    from .commands import DECISION_COMMANDS

    return DECISION_COMMANDS


@hookimpl
def rule_catalogue():
    from .rules import catalogue

    return catalogue()


@hookimpl
def policy_parameters():
    return SPEC


@hookimpl
def classify_customer(customers, context):
    params = context.parameters(PLUGIN)
    from . import tiers

    bounds = tiers.lower_bounds(params)
    period = parse_period(context.period) if context.period else None
    if period is None and context.options.get("volumes"):
        raise DecisionInputError("--volumes is read by a review only: give the period with --review (e.g. --review 2026Q3)")
    if period is not None:
        _prepare_review(customers, period, context)
    used = tiers.parameters_used(params, period is not None)
    decisions = []
    for customer in customers:
        decision = tiers.classify(customer, params, bounds, period, context.as_of, used)
        if decision is not None:
            decisions.append(decision)
    return decisions


def _prepare_review(customers, period: Period, context) -> None:
    """第十六条 reviews: the period's monthly volumes, and the level to move from (依次升降).

    A review starts from the level the committed review of the latest *earlier* period gave, so
    reviews chain quarter to quarter; re-running the same period starts from the same place. Without
    one, the level recorded on the customer is the starting point."""
    codes = [c.code for c in customers]
    months = set(period.months)
    volumes = context.history.records("monthly_volume", codes)
    earlier = context.history.decisions("customer", codes, command="classify")
    for customer in customers:
        for row in volumes.get(customer.code, ()):
            if row.month in months:
                customer.volumes[row.month] = row.volume
        start = _latest_earlier(earlier.get(customer.code, ()), period)
        if start is not None:
            customer.level = start


def _latest_earlier(decisions, period: Period) -> str | None:
    """The level of the review of the latest period ending before ``period`` starts (of several
    runs of that period, the last committed): Q4 chains from Q3 even if Q2 was re-run after Q3."""
    best: tuple[str, int] | None = None
    level = None
    for order, d in enumerate(decisions):
        other = _period_of(d.outcome.get("period"))
        if other is None or other.months[-1] >= period.months[0]:
            continue
        key = (other.months[-1], order)
        if best is None or key > best:
            best, level = key, d.outcome.get("level")
    return level or None


def _period_of(code: str | None) -> Period | None:
    if not code:
        return None
    try:
        return parse_period(code)
    except ValueError:
        return None


def customer_names(codes, context) -> dict[str, str]:
    """The stored customers' names, so that explanations name a customer before its code."""
    found = context.history.records("customer", set(codes))
    return {code: rows[-1].name for code, rows in found.items() if rows and getattr(rows[-1], "name", None)}


@hookimpl
def route_complaint(complaints, context):
    params = context.parameters(PLUGIN)
    from .complaints import route

    names = customer_names((c.customer_code for c in complaints), context)
    return [route(c, params, context.calendar, context.as_of, names.get(c.customer_code)) for c in complaints]


@hookimpl
def validate_archive(archives, context):
    params = context.parameters(PLUGIN)
    from .archive import validate

    codes = {a.customer_code for a in archives}
    names = customer_names(codes, context)
    findings = context.history.records("customer_finding", codes)
    return [validate(a, params, context.as_of, findings.get(a.customer_code, ()), names.get(a.customer_code)) for a in archives]


@hookimpl
def report_sections(period, decisions, context):
    from .report import sections

    return sections(period, decisions)


@hookimpl
def sample_data():
    from .samples import sample_rows

    return sample_rows()
