"""Floor conduct sanctions: grabbing/fighting over/neglecting customers (细则(二)4), not dressed or
not prepared for reception (万科§2, 置业顾问 一), provoking disputes (细则(二)5(3)).

Wage and bonus figures come from the incident's ``details`` as Decimal strings:
``daily_base_wage``, ``monthly_base_wage``, ``monthly_bonus``, ``monthly_deal_bonus``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from marshmallow import ValidationError

from ...core.decisions import Decision
from ...core.params import format_messages
from .records import _FIGURES, INCIDENT_ALIASES, INCIDENT_TYPES, SEVERITY, SEVERITY_ALIASES, ConductIncident
from .citations import rule
from .state import pct

_BY_LABEL = {label: code for code, label in INCIDENT_TYPES.items()} | INCIDENT_ALIASES
_SEVERITY_BY_LABEL = {label: code for code, label in SEVERITY.items()} | SEVERITY_ALIASES

FIGURE_LABELS = {"daily_base_wage": "当日基本工资", "monthly_base_wage": "当月基本工资", "monthly_bonus": "当月应发奖金",
                 "monthly_deal_bonus": "当月应得成交奖金"}

RULE_OF_TYPE = {
    "grab": "conduct_grab", "fight": "conduct_grab", "neglect": "conduct_grab",
    "not_dressed": "conduct_unready", "not_prepared": "conduct_unready",
    "provoke_dispute": "conduct_provoke",
}


def normalise_type(value: str) -> str | None:
    text = (value or "").strip()
    if text in INCIDENT_TYPES:
        return text
    return _BY_LABEL.get(text)


def normalise_severity(value: str | None) -> str | None:
    """The severity code; None for a value the schema would refuse (never read as 一般)."""
    text = (value or "general").strip()
    if text in SEVERITY:
        return text
    return _SEVERITY_BY_LABEL.get(text)


def assess(incident: ConductIncident, params: Mapping[str, Any]) -> Decision | None:
    """The sanction the preset's document prescribes, or None when it prescribes none."""
    doc = params["document"]
    kind = normalise_type(incident.incident_type)
    severity = normalise_severity(incident.severity)
    if kind is None or severity is None:
        # The record schema refuses both at import; a record that bypassed it is a caller's bug.
        field_, value = ("incident_type", incident.incident_type) if kind is None else ("severity", incident.severity)
        raise ValueError(f"conduct incident {incident.code}: {field_} '{value}' is not one of the known values")
    r = rule(RULE_OF_TYPE[kind], doc)
    if r is None:
        return None
    staff, label = incident.staff_code, INCIDENT_TYPES[kind]
    day = f"{incident.occurred_at.month}月{incident.occurred_at.day}日"
    try:
        figures = _FIGURES.load(dict(incident.details or {}))
    except ValidationError as exc:
        return r.decide("conduct_incident", incident.code,
                        {"status": "invalid", "errors": exc.messages, "sanction": None},
                        f"事件{incident.code}的工资/奖金数据无效,无法计算处罚:{format_messages(exc.messages)} — {r.citation}",
                        {"document": doc})
    used: dict[str, Any] = {"document": doc}
    if kind == "not_dressed" or kind == "not_prepared":
        return r.decide("conduct_incident", incident.code, {"sanction": "lose_turn", "incident_type": kind, "deductions": {}, "total": Decimal(0)},
                        f"{staff}于{day}{label},现场销售负责人取消其本轮接客资格 — {r.citation}", used)
    if kind == "provoke_dispute":
        rate = params["provoke_bonus_rate"]
        used["provoke_bonus_rate"] = rate
        bonus = figures["monthly_deal_bonus"]
        if bonus is None:
            return _missing(r, incident, "dismissal", ["monthly_deal_bonus"], f"{staff}于{day}故意挑起事端,应予辞退并扣罚当月应得成交奖金的{pct(rate)}", used)
        amount = _money(bonus * rate)
        return r.decide("conduct_incident", incident.code,
                        {"sanction": "dismissal", "incident_type": kind, "deductions": {"monthly_deal_bonus": amount}, "total": amount},
                        f"{staff}于{day}故意挑起事端,经查实予以辞退,并扣罚当月应得成交奖金{bonus}元的{pct(rate)}即{amount}元 — {r.citation}", used)
    # grab / fight / neglect
    if doc != "xize":
        return r.decide("conduct_incident", incident.code,
                        {"sanction": "violation", "incident_type": kind, "severity": severity, "deductions": {}, "total": None},
                        f"{staff}于{day}{label},违反接待纪律,本制度未规定扣罚金额,由销售经理视情况处罚 — {r.citation}", used)
    if severity != "serious":
        wage = figures["daily_base_wage"]
        if wage is None:
            return _missing(r, incident, "deduct_daily_base_wage", ["daily_base_wage"], f"{staff}于{day}{label},一般情况扣罚当日基本工资", used)
        amount = _money(wage)
        return r.decide("conduct_incident", incident.code,
                        {"sanction": "deduct_daily_base_wage", "incident_type": kind, "severity": severity, "deductions": {"daily_base_wage": amount}, "total": amount},
                        f"{staff}于{day}{label},经查实属一般情况,扣罚当日基本工资{amount}元 — {r.citation}", used)
    rate = params["grab_serious_bonus_rate"]
    used["grab_serious_bonus_rate"] = rate
    missing = [name for name in ("monthly_base_wage", "monthly_bonus") if figures[name] is None]
    if missing:
        return _missing(r, incident, "deduct_monthly_base_wage_and_bonus", missing, f"{staff}于{day}{label}情节严重,扣罚当月基本工资和当月应发奖金的{pct(rate)}", used)
    wage, bonus = _money(figures["monthly_base_wage"]), _money(figures["monthly_bonus"] * rate)
    total = wage + bonus
    return r.decide("conduct_incident", incident.code,
                    {"sanction": "deduct_monthly_base_wage_and_bonus", "incident_type": kind, "severity": severity,
                     "deductions": {"monthly_base_wage": wage, "monthly_bonus": bonus}, "total": total},
                    f"{staff}于{day}{label}情节严重,扣罚当月基本工资{wage}元和当月应发奖金{figures['monthly_bonus']}元的{pct(rate)}即{bonus}元,合计{total}元 — {r.citation}", used)


def _missing(r, incident: ConductIncident, sanction: str, names: list[str], why: str, used: dict) -> Decision:
    return r.decide("conduct_incident", incident.code,
                    {"sanction": sanction, "incident_type": normalise_type(incident.incident_type), "deductions": None, "total": None, "missing": names},
                    f"{why};缺少{'、'.join(FIGURE_LABELS[n] for n in names)}数额,金额待补充 — {r.citation}", used)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

