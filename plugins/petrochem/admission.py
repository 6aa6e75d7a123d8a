"""第十条 admission of other-product customers, 第二条 terms of trade, 第十七条 disqualification.

The facts are the sales department's findings about an applicant; conditions the department has
not confirmed (``None``) count as not met: admission needs each condition confirmed. 第十七条 does
not come from a column the applicant's row ticks but from recorded findings (``findings``), each
with its date and source. The exclusive agent's ongoing duties (next month's plan, the yearly
licence) are checked on its dossier by ``archive.validate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from ...core.decisions import Decision
from . import rules
from .findings import CustomerFinding, as_outcome, evidence, items_of, standing
from .text import customer_label
from .vocabulary import SEGMENTS


@dataclass(slots=True)
class AdmissionApplication:
    code: str
    name: str
    segment: str
    region: str | None = None
    # 第十条(二) direct customers
    manufacturer: bool | None = None
    direct_user: bool | None = None
    production_scale: bool | None = None
    good_credit: bool | None = None
    # 第十条(三)1(1) / (四)1 agents and distributors
    sound_business: bool | None = None
    strong_capital: bool | None = None
    good_reputation: bool | None = None
    only_our_products: bool | None = None
    # 第二条: every customer pays before delivery and picks the goods up itself
    accepts_prepayment: bool = True
    accepts_self_pickup: bool = True


# (field, condition in the document's words), per class.
CONDITIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "direct": (
        ("manufacturer", "是生产型企业"),
        ("direct_user", "直接使用公司产品"),
        ("production_scale", "具有一定生产规模"),
        ("good_credit", "资金诚信良好"),
    ),
    "exclusive_agent": (
        ("region", "在某区域内经营"),
        ("sound_business", "具有稳健、诚信的经营理念"),
        ("strong_capital", "具有较强的资金实力"),
        ("good_reputation", "具有优良的市场信誉和经营能力"),
        ("only_our_products", "只经营本公司化工产品"),
    ),
    "distributor": (
        ("region", "在某区域内经营"),
        ("sound_business", "具有稳健、诚信的经营理念"),
        ("strong_capital", "具有较强的资金实力"),
        ("good_reputation", "具有优良的市场信誉和经营能力"),
    ),
}
_RULES = {"direct": rules.ADMISSION_DIRECT, "exclusive_agent": rules.ADMISSION_EXCLUSIVE, "distributor": rules.ADMISSION_DISTRIBUTOR}

def disqualification(code: str, name: str | None, findings: Sequence[CustomerFinding], as_of: date) -> Decision | None:
    """第十七条: one standing finding cancels the customer's qualification; None when none stands."""
    found = standing(findings, as_of)
    if not found:
        return None
    items = items_of(found)
    return rules.DISQUALIFIED.decide(
        "customer", code,
        {"admitted": False, "disqualified": True, "items": items, "findings": as_outcome(found), "unmet": []},
        f"{customer_label(name, code)}{evidence(found)},按{'、'.join(items)}取消其客户资格,不予准入。",
    )


def check_admission(app: AdmissionApplication, findings: Sequence[CustomerFinding] = (), as_of: date | None = None) -> Decision:
    """Admit or refuse one applicant under its class's conditions (第十条) and the terms of 第二条;
    a standing 第十七条 finding about it (as of ``as_of``) refuses it first."""
    found = disqualification(app.code, app.name, findings, as_of) if findings and as_of else None
    if found is not None:
        return found
    segment = app.segment
    label = SEGMENTS[segment]
    unmet: list[dict[str, Any]] = []
    clause = _RULES[segment].citation.clause
    for attr, words in CONDITIONS[segment]:
        value = getattr(app, attr)
        if not value:
            reason = f"未确认{words}" if value is None else f"不符合“{words}”"
            unmet.append({"condition": attr, "clause": clause, "reason": reason})
    if not app.accepts_prepayment:
        unmet.append({"condition": "accepts_prepayment", "clause": "第二条", "reason": "不接受款到发货"})
    if not app.accepts_self_pickup:
        unmet.append({"condition": "accepts_self_pickup", "clause": "第二条", "reason": "不接受在公司指定库位自提货物"})
    notes = []
    if segment == "distributor" and app.only_our_products:
        notes.append("该客户只经营本公司化工产品,可按独家代理商条件申请")
    if segment == "exclusive_agent" and not unmet:
        notes.append("准入后须每月报送下月销售计划并取得当年独家代理许可证")
    admitted = not unmet
    if admitted:
        why = f"{customer_label(app.name, app.code)}符合{label}准入条件({'、'.join(w for _, w in CONDITIONS[segment])}),且接受款到发货、货物自提,可以准入"
    else:
        why = f"{customer_label(app.name, app.code)}申请为{label},但{'、'.join(u['reason'] for u in unmet)},暂不准入"
    if notes:
        why += ";" + ";".join(notes)
    outcome = {"admitted": admitted, "disqualified": False, "segment": segment, "unmet": unmet, "notes": notes}
    return _RULES[segment].decide("customer", app.code, outcome, why + "。")
