"""第十条(一): the class of an other-product customer (直销客户 / 独家代理商 / 经销商).

The registered class (客户类别) stands when given. When it is blank the class follows from the facts
the clause names:

1. 直销客户是公司化工产品的直接使用者 -> ``direct_user``;
2. 独家代理商是在特定区域只代理销售集团化工产品而不销售其他品牌同类产品的分销商 -> not a direct user,
   ``sells_other_brands`` false, and a ``region`` (特定区域);
3. 经销商 ... 还销售其他石化企业同类化工产品 -> not a direct user, ``sells_other_brands`` true.

A direct user is a direct customer whatever else it sells (the clause defines it by use alone). A
fact the sales department has not recorded leaves the class open, and the decision names it. When a
registered class contradicts a recorded fact, the class stands and the decision says which fact
disagrees, so the registration can be corrected.
"""

from __future__ import annotations

from typing import Any

from ...core.decisions import Decision
from . import rules
from .records import ChemCustomer
from .text import customer_label
from .vocabulary import POLYOLEFIN_PRODUCTS, SEGMENTS, level_code

# Each class's defining facts in the clause's words, for the explanation.
DEFINITION = {
    "direct": "是公司化工产品的直接使用者",
    "exclusive_agent": "在特定区域只代理销售集团化工产品、不销售其他品牌同类产品",
    "distributor": "在销售集团化工产品的同时还销售其他石化企业同类产品",
}


def product_line(customer: ChemCustomer) -> str | None:
    """The recorded product line, else the one its product's name says (聚丙烯 -> polyolefin)."""
    if customer.product_line is not None or not customer.product:
        return customer.product_line
    return "polyolefin" if customer.product.strip() in POLYOLEFIN_PRODUCTS else "other"


def class_from_facts(customer: ChemCustomer) -> tuple[str | None, list[str]]:
    """(class, facts missing to decide it): the class 第十条(一) gives the recorded facts."""
    if customer.direct_user:
        return "direct", []
    missing = []
    if customer.direct_user is None:
        missing.append("是否直接使用公司产品")
    if customer.sells_other_brands is None:
        missing.append("是否销售其他品牌同类产品")
    elif customer.sells_other_brands:
        return ("distributor", []) if customer.direct_user is False else (None, missing)
    elif not (customer.region or "").strip():
        missing.append("经营区域")
    if missing:
        return None, missing
    return "exclusive_agent", []


def contradictions(customer: ChemCustomer, segment: str) -> list[str]:
    """Recorded facts that contradict a registered class."""
    found = []
    if segment != "direct" and customer.direct_user:
        found.append("登记为直接使用公司产品")
    if segment == "direct" and customer.direct_user is False:
        found.append("登记为不直接使用公司产品")
    if segment == "exclusive_agent" and customer.sells_other_brands:
        found.append("登记为销售其他品牌同类产品")
    if segment == "distributor" and customer.sells_other_brands is False:
        found.append("登记为不销售其他品牌同类产品")
    return found


def classify_other(customer: ChemCustomer) -> Decision:
    """第十条(一): other products' customers are direct customers, exclusive agents or distributors."""
    who = customer_label(customer.name, customer.code)
    product = f"{customer.product.strip()}(聚烯烃以外产品)" if customer.product and customer.product.strip() else "聚烯烃以外其他产品"
    registered = customer.segment
    missing: list[str] = []
    segment: str | None
    outcome: dict[str, Any] = {"product_line": "other", "product": customer.product, "previous_level": level_code(customer.level)}
    if registered in SEGMENTS:
        conflicts = contradictions(customer, registered)
        segment, basis = registered, "registered"
        why = f"{who}为{product}客户,登记的客户类别为{SEGMENTS[registered]},不设星级"
        if conflicts:
            why += f";但档案{'、'.join(conflicts)},与{SEGMENTS[registered]}“{DEFINITION[registered]}”不符,请核实客户类别"
    else:
        conflicts = []
        segment, missing = class_from_facts(customer)
        basis = "facts"
        if segment is None:
            return rules.OTHER_PRODUCT_CLASS.decide(
                "customer", customer.code,
                {**outcome, "level": None, "level_label": None, "customer_class": None, "class_basis": None,
                 "missing_facts": missing, "conflicts": [], "changed": False},
                f"{who}为{product}客户,未登记客户类别,且尚未记录{'、'.join(missing)},无法按直销客户、独家代理商、经销商归类。",
            )
        why = f"{who}为{product}客户,未登记客户类别;该客户{DEFINITION[segment]}"
        if segment == "exclusive_agent":
            why += f"(经营区域:{customer.region.strip()})" if customer.region else ""
        why += f",按第十条(一)归为{SEGMENTS[segment]},不设星级"
    previous = outcome["previous_level"]
    return rules.OTHER_PRODUCT_CLASS.decide(
        "customer", customer.code,
        {**outcome, "level": segment, "level_label": SEGMENTS[segment], "customer_class": segment, "class_basis": basis,
         "missing_facts": missing, "conflicts": conflicts, "changed": previous is not None and previous != segment},
        why + "。",
    )
