"""VIP customers (vip客户管理制度, Document 002 第四篇).

What the text fixes (第2条): the manager (管理者) screens **every** VIP customer into a class A, B, C
or D, and keeps a customer profile on the Mackay 66 form (麦凯66顾客档案); (第5条) the store keeps many
channels of contact with the customer, not only the single channel of the sales assistant.

What it does not give: any criterion for the classes. Spend and visit-frequency bands are company
parameters without a default (checked for gaps and overlaps when the profile loads); while neither
is set, a VIP gets a ``not_configured`` decision, never a guessed class. The profile duties are
checked either way. The answers feed the standard ``zhidu classify`` (``classify_customer``):
``level`` is the class (null while not configured or without figures), as ``class`` is.

Figures: the customer's ``store_purchase`` records up to the as-of date (the last
``vip_period_months`` months when set): spend is their sum, visits the number of distinct days with
a purchase. Without purchase records, the ``spend`` / ``visits`` columns of the VIP record.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Mapping, Sequence

from ...core.decisions import Decision
from .catalogue import PLUGIN, rule
from .params import CLASS_ORDER
from .records import ROLES, VipCustomer
from .text import day, yuan

MIN_CHANNELS = 2  # 第5条: "多渠道": more than the single channel of the sales assistant


def months_before(as_of: date, months: int) -> date:
    """The day ``months`` calendar months before ``as_of`` (clamped to the month's last day)."""
    year, month = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(as_of.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def figures(vip: VipCustomer, purchases: Sequence[Any], params: Mapping[str, Any], as_of: date) -> dict[str, Any]:
    """spend, visits, where they came from and the period counted."""
    months = params["vip_period_months"]
    since = months_before(as_of, months) if months else None
    counted = [p for p in purchases if p.purchased_at.date() <= as_of and (since is None or p.purchased_at.date() > since)]
    if purchases:
        spend = sum((p.amount for p in counted), Decimal("0.00"))
        visits = len({p.purchased_at.date() for p in counted if p.amount > 0})
        return {"spend": spend, "visits": visits, "source": "purchases", "since": since, "purchases": [p.code for p in counted]}
    return {"spend": vip.spend, "visits": vip.visits, "source": "record" if vip.spend is not None or vip.visits is not None else "none",
            "since": None, "purchases": []}


def band_class(value: Decimal | int, bands: Sequence[Mapping[str, Any]]) -> str:
    """The class whose band holds the value (lower bound inclusive, upper exclusive); below 0 counts as 0."""
    value = max(value, 0)
    for band in reversed(bands):
        if value >= band["min"]:
            return band["vip_class"]
    return bands[0]["vip_class"]  # pragma: no cover - D starts at 0


def channels(text: str | None) -> list[str]:
    return [c for c in re.split(r"[;；,，、/\s]+", text or "") if c]


def classify_vip(vip: VipCustomer, purchases: Sequence[Any], params: Mapping[str, Any], as_of: date,
                 roles: Mapping[str, str]) -> Decision:
    spend_bands, visit_bands = params["vip_spend_bands"], params["vip_visit_bands"]
    found = figures(vip, purchases, params, as_of)
    spend, visits = found["spend"], found["visits"]
    period = f"{day(found['since'])}后至{day(as_of)}" if found["since"] else f"截至{day(as_of)}"
    used = {"vip_spend_bands": spend_bands, "vip_visit_bands": visit_bands, "vip_combine": params["vip_combine"],
            "vip_period_months": params["vip_period_months"], "vip_classifier_roles": list(params["vip_classifier_roles"])}
    name = f"VIP顾客{vip.name}({vip.code})"
    facts = []
    if spend is not None:
        facts.append(f"消费{yuan(spend)}")
    if visits is not None:
        facts.append(f"到店{visits}次")
    fact_text = (f"{period}" + "、".join(facts)) if facts else "无消费与到店记录"

    computed: str | None = None
    spend_class = visit_class = None
    missing: list[str] = []
    if spend_bands is None and visit_bands is None:
        status = "not_configured"
    else:
        if spend_bands is not None:
            if spend is None:
                missing.append("spend")
            else:
                spend_class = band_class(spend, spend_bands)
        if visit_bands is not None:
            if visits is None:
                missing.append("visits")
            else:
                visit_class = band_class(visits, visit_bands)
        got = [c for c in (spend_class, visit_class) if c is not None]
        if missing and (params["vip_combine"] == "both" or not got):
            status = "no_data"
        else:
            pick = min if params["vip_combine"] == "both" else max
            computed = pick(got, key=CLASS_ORDER.index)
            status = "classified"

    findings = _profile_findings(vip, computed, params, roles)
    outcome = {
        "class": computed, "level": computed, "status": status, "assigned_class": vip.assigned_class,
        "matches_assigned": (computed == vip.assigned_class) if computed and vip.assigned_class else None,
        "spend": spend, "visits": visits, "figures_from": found["source"], "since": found["since"],
        "spend_class": spend_class, "visit_class": visit_class, "missing": missing, "findings": findings,
        "store": vip.store,
    }
    duty = (";档案检查:" + ";".join(f["text"] for f in findings)) if findings else ";分类与档案符合第2条、第5条"
    inputs = {"code": vip.code, "name": vip.name, "store": vip.store, "assigned_class": vip.assigned_class,
              "classified_by": vip.classified_by, "classified_by_role": vip.classified_by_role,
              "classified_on": vip.classified_on, "profile_kept": vip.profile_kept, "contact_channels": vip.contact_channels,
              "spend": vip.spend, "visits": vip.visits, "purchases": found["purchases"]}
    if status == "not_configured":
        r = rule("vip_not_configured")
        outcome["configure"] = ["vip_spend_bands", "vip_visit_bands"]
        return r.decide("vip_customer", vip.code, outcome,
                        f"{name}{fact_text};{r.citation}只规定分为A、B、C、D类,未定分类标准,待企业设定消费金额或到店次数的分类标准后再分类{duty}。",
                        used, inputs)
    r = rule("vip_class")
    if status == "no_data":
        return r.decide("vip_customer", vip.code, outcome,
                        f"{name}{fact_text},缺少{'、'.join({'spend': '消费金额', 'visits': '到店次数'}[m] for m in missing)},"
                        f"无法按企业标准分类{duty}。", used, inputs)
    basis = "、".join(x for x in (f"消费达{spend_class}类" if spend_class else "", f"到店达{visit_class}类" if visit_class else "") if x)
    how = {"both": "两项均须达到", "either": "达到其一即可"}[params["vip_combine"]] if spend_class and visit_class else ""
    return r.decide("vip_customer", vip.code, outcome,
                    f"{name}{fact_text},{basis}" + (f"({how})" if how else "") + f",按企业标准为{computed}类{duty}。", used, inputs)


def _profile_findings(vip: VipCustomer, computed: str | None, params: Mapping[str, Any], roles: Mapping[str, str]) -> list[dict[str, str]]:
    """The duties 第2条 and 第5条 fix, whatever the class criteria."""
    findings: list[dict[str, str]] = []
    allowed = list(params["vip_classifier_roles"])
    if vip.assigned_class is None:
        findings.append({"code": "unclassified", "clause": "第2条", "text": "店长尚未对其分类(A、B、C、D)"})
    else:
        role = vip.classified_by_role or (roles.get(vip.classified_by) if vip.classified_by else None)
        by = vip.classified_by or "(未记录)"
        if role is None:
            findings.append({"code": "classifier_unverified", "clause": "第2条", "text": f"分类人{by}岗位未知,无法确认由管理者分类"})
        elif role not in allowed:
            findings.append({"code": "classifier_not_manager", "clause": "第2条", "text": f"分类人{by}为{ROLES.get(role, role)},不是管理者"})
        if computed is not None and computed != vip.assigned_class:
            findings.append({"code": "class_mismatch", "clause": "第2条",
                             "text": f"店长分类为{vip.assigned_class}类,按企业标准应为{computed}类"})
    if vip.profile_kept is not True:
        findings.append({"code": "no_profile", "clause": "第2条",
                         "text": "未建立麦凯66顾客档案" if vip.profile_kept is False else "未记录是否建立麦凯66顾客档案"})
    listed = channels(vip.contact_channels)
    if len(set(listed)) < MIN_CHANNELS:
        shown = f"只有{'、'.join(listed)}一个联系渠道" if listed else "未记录联系渠道"
        findings.append({"code": "single_channel", "clause": "第5条", "text": f"{shown},应建立多渠道、多层面的联系,不只通过导购"})
    return findings


def classify_vips(vips: Sequence[VipCustomer], context: Any) -> list[Decision]:
    """``classify_customer`` (``zhidu classify``): purchases and the classifiers' roles read once per
    chunk through the history."""
    params = context.parameters(PLUGIN)
    codes = [v.code for v in vips]
    purchases = context.history.records("store_purchase", codes)
    wanted = sorted({v.classified_by for v in vips if v.classified_by and not v.classified_by_role})
    roles: dict[str, str] = {}
    if wanted:
        for code, staff in context.history.records("store_staff", wanted).items():
            if staff:
                roles[code] = staff[-1].role
    return [classify_vip(v, purchases.get(v.code, ()), params, context.as_of, roles) for v in vips]
