"""第九条 / 第十条 / 第十六条: customer classes and polyolefin star levels, for plain runs and reviews.

Pure functions over ``Customer`` records and the resolved parameters; ``hooks.classify_customer``
calls :func:`classify` once per customer with bounds prepared once per chunk.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any, Mapping, Sequence

from ...core.decisions import Decision, Rule
from .records import ChemCustomer as Customer
from . import rules
from .classes import classify_other, product_line
from .periods import Period, month_label, month_of
from .text import customer_label, percent, tonnes
from .vocabulary import LEVEL_LABELS, LEVELS, SEGMENTS, level_code

_KG = Decimal("0.001")
_RANK = {level: i for i, level in enumerate(LEVELS)}


def lower_bounds(params: Mapping[str, Any]) -> tuple[tuple[Decimal, str], ...]:
    """The band table as (inclusive lower bound, level), highest first: the shape ``volume_level`` scans."""
    return tuple((band["min"], band["level"]) for band in reversed(params["tier_bands"]))


def volume_level(volume: Decimal, bounds: Sequence[tuple[Decimal, str]]) -> str:
    """The level a month's tonnage earns: the highest band whose lower bound (含本数) it reaches.

    With the document's bands: [0, 1000) 普通; [1000, 2000) 一星; [2000, 3000) 二星; [3000, ∞) 三星.
    """
    for lower, level in bounds:
        if volume >= lower:
            return level
    return bounds[-1][1]


def step_towards(current: str | None, target: str, max_step: int) -> str:
    """依次升降: from the current level towards the target by at most ``max_step`` levels (0 = no limit).

    A customer with no recorded level is placed where its tonnage puts it; 网拍 is the lowest rung,
    so a newly developed customer turning to plan sales also climbs one level per review.
    """
    if current is None:
        return target
    here, there = _RANK[current], _RANK[target]
    if max_step and abs(there - here) > max_step:
        there = here + (max_step if there > here else -max_step)
    return LEVELS[there]


def parameters_used(params: Mapping[str, Any], review: bool) -> dict[str, Any]:
    """The parameters a tier decision records (computed once per chunk by the hook)."""
    used = {
        "tier_bands": [{"level": b["level"], "min": str(b["min"]), "max": None if b["max"] is None else str(b["max"])} for b in params["tier_bands"]],
        "max_level_step": params["max_level_step"],
        "upgrade_min_completion_rate": params["upgrade_min_completion_rate"],
    }
    if review:
        used["review_basis"] = params["review_basis"]
        used["missing_month"] = params["missing_month"]
    return used


def _simple(rule: Rule, customer: Customer, level: str | None, current: str | None, why: str, used: dict, **extra: Any) -> Decision:
    outcome = {
        "level": level,
        "level_label": LEVEL_LABELS.get(level, SEGMENTS.get(level)) if level else None,
        "previous_level": current,
        "changed": current is not None and level is not None and current != level,
        **extra,
    }
    return rule.decide("customer", customer.code, outcome, why, used)


def _rated(rule: Rule, customer: Customer, current: str | None, earned: str, level: str, held: bool,
           why: str, used: dict, **extra: Any) -> Decision:
    """A level rated from tonnage (plain run or review): the earned level, the move, any hold-back."""
    outcome = {
        "level": level,
        "level_label": LEVEL_LABELS[level],
        "earned_level": earned,
        "previous_level": current,
        "changed": current is not None and current != level,
        "change": _change(current, level),
        "held_back": held,
        **extra,
    }
    return rule.decide("customer", customer.code, outcome, why, used)


def _move(customer: Customer, current: str | None, earned: str, params: Mapping[str, Any]) -> tuple[str, bool, str]:
    """Apply 依次升降 and the completion-rate hold; returns (level, held_back, the sentence's ending)."""
    if current is None:
        if customer.level and customer.level.strip():
            return earned, False, f";现级别“{customer.level.strip()}”无法识别,按提货量评定为{LEVEL_LABELS[earned]}。"
        return earned, False, f",初次评定为{LEVEL_LABELS[earned]}。"
    floor_rate = params["upgrade_min_completion_rate"]
    rate = customer.pickup_completion_rate
    if _RANK[earned] > _RANK[current] and floor_rate is not None and rate is not None and rate < floor_rate:
        return current, True, (
            f";但提货完成率{percent(rate)}低于升级要求的{percent(floor_rate)}(与其他指标共同考核),维持{LEVEL_LABELS[current]}。"
        )
    level = step_towards(current, earned, params["max_level_step"])
    if level != earned:
        steps = abs(_RANK[level] - _RANK[current])
        return level, False, (
            f";按“客户级别可以依次升降”,由{LEVEL_LABELS[current]}只{'升' if _RANK[level] > _RANK[current] else '降'}"
            f"{'一' if steps == 1 else steps}级至{LEVEL_LABELS[level]}。"
        )
    if level != current:
        return level, False, f",由{LEVEL_LABELS[current]}调整为{LEVEL_LABELS[level]}。"
    return level, False, f",维持{LEVEL_LABELS[level]}。"


def _change(current: str | None, level: str) -> str:
    if current is None:
        return "initial"
    if _RANK[level] > _RANK[current]:
        return "up"
    if _RANK[level] < _RANK[current]:
        return "down"
    return "same"


def review_figures(customer: Customer, period: Period, params: Mapping[str, Any], as_of: date | None) -> list[tuple[str, Decimal]]:
    """The (month, tonnes) pairs a review counts.

    Months before the customer was developed and months that have not begun by ``as_of`` do not
    count; a month without a record counts as 0 t (``missing_month = zero``) or not at all (``skip``).
    """
    first = month_of(customer.developed_on) if customer.developed_on else None
    last = month_of(as_of) if as_of else None
    zero = params["missing_month"] == "zero"
    figures = []
    for month in period.months:
        if (first and month < first) or (last and month > last):
            continue
        volume = customer.volumes.get(month)
        if volume is None:
            if not zero:
                continue
            volume = Decimal(0)
        figures.append((month, volume))
    return figures


def review_basis(figures: Sequence[tuple[str, Decimal]], basis: str) -> tuple[Decimal, str | None]:
    """The tonnage a review compares with the bands, and the month it comes from (None for averages).

    ``every_month``: every single month must reach a level's bound (单月标准), so the weakest month
    decides; ``average``: the monthly average, truncated to the kilogram so that the figure shown and
    the figure compared are the same; ``last_month``: the period's last counted month.
    """
    if basis == "every_month":
        month, volume = min(figures, key=lambda mv: (mv[1], mv[0]))
        return volume, month
    if basis == "last_month":
        month, volume = figures[-1]
        return volume, month
    total = sum((v for _, v in figures), Decimal(0))
    return (total / len(figures)).quantize(_KG, rounding=ROUND_DOWN), None


def classify(
    customer: Customer,
    params: Mapping[str, Any],
    bounds: Sequence[tuple[Decimal, str]] | None = None,
    period: Period | None = None,
    as_of: date | None = None,
    used: dict[str, Any] | None = None,
) -> Decision | None:
    """Classify one customer; ``None`` when its product line is not this policy's.

    ``bounds`` and ``used`` may be prepared once per chunk (``lower_bounds``, ``parameters_used``)."""
    line = product_line(customer)
    if line == "other":
        return classify_other(customer)
    if line not in (None, "polyolefin"):
        return None
    bounds = bounds or lower_bounds(params)
    current = level_code(customer.level)
    used = used if used is not None else parameters_used(params, period is not None)
    if customer.segment == "direct":
        return _simple(
            rules.DIRECT_AS_ORDINARY, customer, "ordinary", current,
            f"{customer_label(customer.name, customer.code)}为直销客户,按规定等同计划普通客户级别管理,不按提货量评定星级。", used,
        )
    has_volume = customer.monthly_volume is not None or bool(customer.volumes)
    if customer.sales_form == "auction" or (customer.sales_form is None and not has_volume):
        return _simple(
            rules.AUCTION, customer, "auction", current,
            f"{customer_label(customer.name, customer.code)}为网拍(新开发)客户,不设星级提货量标准,定为网拍客户。", used,
        )
    if period is not None:
        return _review(customer, params, bounds, period, as_of, current, used)
    if customer.monthly_volume is None:
        return _simple(
            rules.TIER_NO_VOLUME, customer, current, current,
            f"{customer_label(customer.name, customer.code)}为计划客户但未提供单月提货量,无法按第九条评定星级,"
            + (f"维持{LEVEL_LABELS[current]}。" if current else "暂不定级。"),
            used, rated=False,
        )
    earned = volume_level(customer.monthly_volume, bounds)
    level, held, ending = _move(customer, current, earned, params)
    month = month_label(customer.month) if customer.month else "当月"
    why = f"{customer_label(customer.name, customer.code)}{month}提货量{tonnes(customer.monthly_volume)}吨,对应{LEVEL_LABELS[earned]}{ending}"
    return _rated(rules.TIER, customer, current, earned, level, held, why, used,
                  month=customer.month, monthly_volume=customer.monthly_volume)


def _review(customer, params, bounds, period: Period, as_of, current, used) -> Decision:
    figures = review_figures(customer, period, params, as_of)
    common = {"period": period.code, "review_basis": params["review_basis"], "report_to": period.report_to}
    keep = f"维持{LEVEL_LABELS[current]}。" if current else "暂不定级。"
    who = customer_label(customer.name, customer.code)
    if not figures:
        return _simple(
            rules.TIER_REVIEW, customer, current, current,
            f"{who}在{period.label_zh}内没有可计入评审的月份(尚未开发或尚未发生),{keep}",
            used, rated=False, months={}, volumes_recorded=False, **common,
        )
    if not any(month in customer.volumes for month, _ in figures):
        # No record at all is missing data, not a quarter of 0 t: missing_month fills gaps only.
        return _simple(
            rules.TIER_REVIEW, customer, current, current,
            f"{who}在{period.label_zh}内没有任何月提货量记录,无法评审,{keep}",
            used, rated=False, months={}, volumes_recorded=False, **common,
        )
    basis_volume, basis_month = review_basis(figures, params["review_basis"])
    earned = volume_level(basis_volume, bounds)
    level, held, ending = _move(customer, current, earned, params)
    listing = "、".join(f"{int(m[5:])}月{tonnes(v)}吨" for m, v in figures)
    if params["review_basis"] == "every_month":
        assert basis_month is not None, "review_basis names the month for every_month"
        basis_text = f"按每个月均须达到单月标准的读法,以最低的{int(basis_month[5:])}月{tonnes(basis_volume)}吨计" if len(figures) > 1 else f"即{tonnes(basis_volume)}吨"
    elif params["review_basis"] == "last_month":
        assert basis_month is not None, "review_basis names the month for last_month"
        basis_text = f"以最后一个月{int(basis_month[5:])}月{tonnes(basis_volume)}吨计"
    else:
        basis_text = f"月均{tonnes(basis_volume)}吨"
    why = f"{who}{period.label_zh}各月提货量为{listing},{basis_text},对应{LEVEL_LABELS[earned]}{ending}"
    return _rated(rules.TIER_REVIEW, customer, current, earned, level, held, why, used,
                  months={m: v for m, v in figures}, basis_volume=basis_volume, basis_month=basis_month,
                  volumes_recorded=True, **common)
