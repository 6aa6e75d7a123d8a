"""油品调运分公司客户管理办法 附件1 (走访客户报告单) scoring, averaged per customer per period for the
yearly satisfaction survey (化工品 第十四条).

A report's score is the mean of its rated items (质量, 服务态度, 产品的知名度); an item left blank is
not rated and does not count. A customer's period score is the mean of its reports' scores. Both are
shown rounded half-up to two decimals; the period mean is taken over the unrounded report scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping, Sequence

from ...core.decisions import Decision
from . import rules
from .periods import Period, month_of
from .text import customer_label, day, tonnes
from .vocabulary import VISIT_ITEMS

_CENTS = Decimal("0.01")


@dataclass(slots=True)
class VisitReport:
    customer_code: str
    visited_on: date
    customer_name: str | None = None
    report_code: str | None = None
    quality: str | None = None
    service: str | None = None
    awareness: str | None = None

    @property
    def subject_id(self) -> str:
        return self.report_code or f"{self.customer_code}@{self.visited_on.isoformat()}"


class UnknownRating(ValueError):
    """An answer that is not an option of the item's scale."""


def item_score(item: str, answer: str | None, scales: Mapping[str, Mapping[str, int]]) -> int | None:
    """The score of one answer: its option's score, or a number that is one of the item's scores."""
    if answer is None or not str(answer).strip():
        return None
    text = str(answer).strip()
    scale = scales[item]
    if text in scale:
        return scale[text]
    if text.isascii() and text.isdigit() and int(text) in scale.values():
        return int(text)
    options = "、".join(f"{k}({v})" for k, v in scale.items())
    raise UnknownRating(f"{VISIT_ITEMS[item]}栏的“{text}”不是报告单选项;可选:{options}")


def _exact_score(report: VisitReport, scales) -> tuple[dict[str, int], Decimal | None]:
    scores = {}
    for item in VISIT_ITEMS:
        value = item_score(item, getattr(report, item), scales)
        if value is not None:
            scores[item] = value
    if not scores:
        return scores, None
    return scores, Decimal(sum(scores.values())) / len(scores)


def score_report(report: VisitReport, params: Mapping[str, Any]) -> Decision:
    scores, exact = _exact_score(report, params["visit_scales"])
    who = customer_label(report.customer_name, report.customer_code)
    if exact is None:
        why = f"{who}{day(report.visited_on)}的走访报告单三个栏目均未打分,不计入满意度。"
        score = None
    else:
        score = exact.quantize(_CENTS, rounding=ROUND_HALF_UP)
        parts = "、".join(f"{VISIT_ITEMS[i]}“{getattr(report, i).strip()}”{scores[i]}分" for i in scores)
        why = f"{who}{day(report.visited_on)}的走访报告单{parts},平均{tonnes(score)}分。"
    return rules.VISIT_SCORE.decide(
        "visit_report", report.subject_id,
        {"customer_code": report.customer_code, "visited_on": report.visited_on, "item_scores": scores, "score": score},
        why,
    )


def average_by_customer(reports: Sequence[VisitReport], params: Mapping[str, Any], period: Period | None = None) -> list[Decision]:
    """One decision per customer and period: the mean score of its rated reports in the period.

    Without a period each calendar year is its own period (the survey is yearly, 第十四条)."""
    groups: dict[tuple[str, str], list[tuple[VisitReport, Decimal]]] = defaultdict(list)
    months = set(period.months) if period else None
    for report in reports:
        if months is not None and month_of(report.visited_on) not in months:
            continue
        _, exact = _exact_score(report, params["visit_scales"])
        if exact is None:
            continue
        key = period.code if period else str(report.visited_on.year)
        groups[(report.customer_code, key)].append((report, exact))
    decisions = []
    for (code, key), rows in sorted(groups.items()):
        mean = sum((e for _, e in rows), Decimal(0)) / len(rows)
        shown = mean.quantize(_CENTS, rounding=ROUND_HALF_UP)
        who = customer_label(next((r.customer_name for r, _ in rows if r.customer_name), None), code)
        label = period.label_zh if period else f"{key}年度"
        decisions.append(rules.VISIT_AVERAGE.decide(
            "customer", code,
            {"customer_code": code, "period": key, "reports": len(rows), "average_score": shown,
             "report_scores": [e.quantize(_CENTS, rounding=ROUND_HALF_UP) for _, e in rows]},
            f"{who}{label}共{len(rows)}份走访报告单,平均得分{tonnes(shown)}分,计入年度客户满意度调查。",
        ))
    return decisions
