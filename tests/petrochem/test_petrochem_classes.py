"""第十条(一): other products' customers are 直销客户, 独家代理商 or 经销商 — the registered class, or
the class the clause's facts give when none is registered; products other than polyolefin by name."""

import pytest

from zhidu.plugins.petrochem import tiers
from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.records import ChemCustomer
from zhidu.testing import records

P = SPEC.resolve()


def other(**kw):
    kw.setdefault("product_line", "other")
    return ChemCustomer("S1", "沧州苯化", **kw)


@pytest.mark.parametrize("facts, segment", [
    ({"direct_user": True}, "direct"),
    ({"direct_user": True, "sells_other_brands": True}, "direct"),  # defined by use alone
    ({"direct_user": False, "sells_other_brands": False, "region": "冀中"}, "exclusive_agent"),
    ({"direct_user": False, "sells_other_brands": True}, "distributor"),
])
def test_the_class_follows_from_the_clauses_facts(facts, segment):
    d = tiers.classify(other(**facts), P)
    assert d.rule_id == "petrochem.other_product_class" and d.outcome["customer_class"] == segment
    assert d.outcome["class_basis"] == "facts" and d.outcome["missing_facts"] == []
    assert d.explanation.startswith("沧州苯化(S1)为聚烯烃以外其他产品客户,未登记客户类别;该客户") and "按第十条(一)归为" in d.explanation


@pytest.mark.parametrize("facts, missing", [
    ({}, ["是否直接使用公司产品", "是否销售其他品牌同类产品"]),
    ({"direct_user": False}, ["是否销售其他品牌同类产品"]),
    ({"direct_user": False, "sells_other_brands": False}, ["经营区域"]),  # an exclusive agent needs its area
    ({"sells_other_brands": True}, ["是否直接使用公司产品"]),  # a direct user may also resell
])
def test_facts_not_recorded_leave_the_class_open_and_are_named(facts, missing):
    d = tiers.classify(other(**facts), P)
    assert d.outcome["customer_class"] is None and d.outcome["level"] is None and d.outcome["missing_facts"] == missing
    assert "无法按直销客户、独家代理商、经销商归类" in d.explanation and "、".join(missing) in d.explanation


def test_a_registered_class_stands_and_the_facts_do_not_override_it():
    d = tiers.classify(other(segment="distributor", direct_user=False, sells_other_brands=True), P)
    assert d.outcome["customer_class"] == "distributor" and d.outcome["class_basis"] == "registered" and d.outcome["conflicts"] == []
    assert "核实" not in d.explanation


@pytest.mark.parametrize("segment, facts, conflict", [
    ("exclusive_agent", {"sells_other_brands": True}, "登记为销售其他品牌同类产品"),
    ("distributor", {"sells_other_brands": False}, "登记为不销售其他品牌同类产品"),
    ("distributor", {"direct_user": True}, "登记为直接使用公司产品"),
    ("direct", {"direct_user": False}, "登记为不直接使用公司产品"),
])
def test_a_registered_class_the_facts_contradict_is_kept_and_flagged(segment, facts, conflict):
    d = tiers.classify(other(segment=segment, **facts), P)
    assert d.outcome["customer_class"] == segment and d.outcome["conflicts"] == [conflict]
    assert conflict in d.explanation and "请核实客户类别" in d.explanation


@pytest.mark.parametrize("row, line, product", [
    ({"产品线": "苯乙烯"}, "other", None),
    ({"产品": "苯乙烯"}, "other", "苯乙烯"),
    ({"产品": "某新型助剂"}, "other", "某新型助剂"),  # any product named that is not a polyolefin
    ({"产品线": "聚丙烯"}, "polyolefin", None),
    ({"产品": "LLDPE"}, "polyolefin", "LLDPE"),
])
def test_products_are_named_and_accepted(row, line, product):
    (customer,) = records("petrochem", "customer", [{"客户编码": "S1", "客户名称": "沧州苯化", "客户类别": "经销商", **row}])
    assert customer.product == product
    d = tiers.classify(customer, P)
    if line == "other":
        assert d.rule_id == "petrochem.other_product_class" and d.outcome["customer_class"] == "distributor"
        if product:
            assert d.explanation.startswith(f"沧州苯化(S1)为{product}(聚烯烃以外产品)客户")
    else:
        assert d.rule_id != "petrochem.other_product_class"


def test_a_polyolefin_customer_is_never_classed_by_the_other_product_clause():
    d = tiers.classify(ChemCustomer("P1", "甲塑", segment="distributor", sales_form="plan", product="聚乙烯", direct_user=True), P)
    assert d.rule_id != "petrochem.other_product_class"


@pytest.mark.parametrize("level", ["一星级", "1星", "VIP", "一级"])
def test_a_recorded_level_in_a_form_the_plugin_does_not_know_is_refused_by_the_column(level):
    with pytest.raises(Exception, match="当前级别"):
        records("petrochem", "customer", [{"客户编码": "S1", "客户名称": "甲", "当前级别": level}])


@pytest.mark.parametrize("level, code", [("一星", "star1"), ("一星客户", "star1"), ("star1", "star1"), ("网拍客户", "auction"),
                                         ("经销商", "distributor"), ("", None)])
def test_the_recorded_level_forms_the_plugin_knows(level, code):
    (customer,) = records("petrochem", "customer", [{"客户编码": "S1", "客户名称": "甲", "当前级别": level}])
    assert customer.level == code
