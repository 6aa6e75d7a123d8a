"""Uniform compensation: 篇4第3条 (客户管理制度9 第3部分第3条) "員工在離職時必須退回工服,如果沒有退回,須按六折賠償",
and 篇4第1条 "如員工因保管不善而造成工服的破損或丟失,須按規定進行賠償".

- Not returned on leaving: price x pieces not returned x ``uniform_not_returned_rate`` (0.6, 六折),
  computed exactly in Decimal and rounded once, half up, to the fen.
- Damaged or lost through poor care: the rate is the company's (``uniform_poor_care_rate``, no
  default: the text says only 按规定); damage not through poor care is not compensated; when poor
  care is not established the decision says so.
- Still employed, or returned: nothing is due.

The leaving date is the record's ``left_on``, else the employee's ``left_on`` in ``store_staff``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Mapping, Sequence

from ...core.decisions import Decision
from .catalogue import PLUGIN, rule
from .records import UNIFORM_STATUS, UniformIssue
from .text import day, discount, to_fen, yuan


def assess_uniform(issue: UniformIssue, params: Mapping[str, Any], as_of: date, left_on: date | None = None) -> Decision:
    decision = _assess(issue, params, as_of, left_on)
    amount = decision.outcome["compensation"]
    decision.outcome["due"] = amount is not None and amount > 0
    return decision


def _assess(issue: UniformIssue, params: Mapping[str, Any], as_of: date, left_on: date | None) -> Decision:
    doc = params["document"]
    left = issue.left_on or left_on
    who = f"员工{issue.staff_code}"
    piece = f"{issue.item}(单价{yuan(issue.price)})"
    base: dict[str, Any] = {"staff_code": issue.staff_code, "store": issue.store, "item": issue.item, "price": issue.price,
                            "quantity": issue.quantity, "left_on": left, "returned_on": issue.returned_on,
                            "record_status": issue.status}
    inputs = {"code": issue.code, "staff_code": issue.staff_code, "item": issue.item, "price": issue.price,
              "quantity": issue.quantity, "status": issue.status, "returned_quantity": issue.returned_quantity,
              "returned_on": issue.returned_on, "left_on": issue.left_on, "left_on_found": left,
              "poor_care": issue.poor_care, "noted_on": issue.noted_on, "store": issue.store}
    if issue.returned_quantity > issue.quantity:
        r = rule("uniform_return", doc)
        return r.decide("uniform_issue", issue.code, {**base, "status": "invalid", "compensation": None, "rate": None, "pieces": None},
                        f"{who}的{piece}记录退回{issue.returned_quantity}件,多于发放的{issue.quantity}件,数据有误,未计算赔偿。",
                        {"document": doc}, inputs)

    if issue.status in ("damaged", "lost"):
        r = rule("uniform_damage", doc)
        pieces = issue.quantity - issue.returned_quantity if issue.status == "lost" else issue.quantity
        what = f"{who}的{pieces}件{piece}{UNIFORM_STATUS[issue.status]}" + (f"(登记于{day(issue.noted_on)})" if issue.noted_on else "")
        rate = params["uniform_poor_care_rate"]
        used = {"document": doc, "uniform_poor_care_rate": rate}
        if issue.poor_care is False:
            return r.decide("uniform_issue", issue.code, {**base, "status": "not_poor_care", "compensation": Decimal("0.00"), "rate": None, "pieces": pieces},
                            f"{what},经认定非因保管不善,按{r.citation}无需赔偿。", used, inputs)
        if issue.poor_care is None:
            return r.decide("uniform_issue", issue.code, {**base, "status": "undetermined", "compensation": None, "rate": None, "pieces": pieces},
                            f"{what},是否因保管不善尚未认定;{r.citation}只要求保管不善者按规定赔偿,请先认定。", used, inputs)
        if rate is None:
            return r.decide("uniform_issue", issue.code, {**base, "status": "not_configured", "compensation": None, "rate": None, "pieces": pieces,
                                                           "configure": ["uniform_poor_care_rate"]},
                            f"{what},因保管不善应按规定赔偿({r.citation}),原文未给比例,待企业设定赔偿比例后再计算。", used, inputs)
        gross = issue.price * pieces
        amount = to_fen(gross * rate)
        return r.decide("uniform_issue", issue.code, {**base, "status": "compensate", "compensation": amount, "rate": rate, "pieces": pieces},
                        f"{what},因保管不善按企业规定的{discount(rate)}赔偿,{yuan(issue.price)}×{pieces}件×{rate}={yuan(amount)}"
                        f"(按{r.citation})。", used, inputs)

    r = rule("uniform_return", doc)
    rate = params["uniform_not_returned_rate"]
    used = {"document": doc, "uniform_not_returned_rate": rate}
    if left is None or left > as_of:
        note = f"将于{day(left)}离职," if left is not None else "在职,"
        return r.decide("uniform_issue", issue.code, {**base, "status": "in_use", "compensation": Decimal("0.00"), "rate": None, "pieces": 0},
                        f"{who}{note}{issue.quantity}件{piece}在用,截至{day(as_of)}无需赔偿;离职时须退回,未退回按{discount(rate)}赔偿"
                        f"({r.citation})。", used, inputs)
    outstanding = 0 if issue.status == "returned" else issue.quantity - issue.returned_quantity
    if outstanding == 0:
        late = issue.returned_on is not None and issue.returned_on > left
        when = f"于{day(issue.returned_on)}" if issue.returned_on else ""
        return r.decide("uniform_issue", issue.code, {**base, "status": "returned", "compensation": Decimal("0.00"), "rate": None,
                                                       "pieces": 0, "returned_late": late},
                        f"{who}于{day(left)}离职,{issue.quantity}件{piece}已{when}退回" + ("(晚于离职日)" if late else "")
                        + f",按{r.citation}无需赔偿。", used, inputs)
    gross = issue.price * outstanding
    amount = to_fen(gross * rate)
    part = f"发放{issue.quantity}件、退回{issue.returned_quantity}件," if issue.returned_quantity else ""
    return r.decide("uniform_issue", issue.code, {**base, "status": "compensate", "compensation": amount, "rate": rate, "pieces": outstanding},
                    f"{who}于{day(left)}离职,{piece}{part}{outstanding}件未退回,按{r.citation}以{discount(rate)}赔偿:"
                    f"{yuan(issue.price)}×{outstanding}件×{rate}={yuan(amount)}。", used, inputs)


def assess_uniforms(issues: Sequence[UniformIssue], context: Any) -> list[Decision]:
    """``zhidu uniforms``: leaving dates the records lack come from the stored store_staff records."""
    params = context.parameters(PLUGIN)
    missing = sorted({u.staff_code for u in issues if u.left_on is None})
    left: dict[str, date | None] = {}
    if missing:
        for code, staff in context.history.records("store_staff", missing).items():
            if staff:
                left[code] = staff[-1].left_on
    return [assess_uniform(u, params, context.as_of, left.get(u.staff_code)) for u in issues]
