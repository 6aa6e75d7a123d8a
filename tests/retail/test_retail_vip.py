"""VIP classes (vip客户管理制度 第2条、第5条): no criteria in the text, so none invented; the profile duties it fixes."""

from datetime import date
from decimal import Decimal

import pytest

from retail_kit import context, history_of, purchase, run, staff, vip
from zhidu.core.params import ParameterError
from zhidu.plugins.retail.params import EXAMPLE_VIP, SPEC
from zhidu.plugins.retail.vip import months_before

SPEND = [{"class": "D", "min": "0", "max": "1000"}, {"class": "C", "min": "1000", "max": "5000"},
         {"class": "B", "min": "5000", "max": "10000"}, {"class": "A", "min": "10000", "max": None}]
VISITS = [{"class": "D", "min": 0, "max": 2}, {"class": "C", "min": 2, "max": 5},
          {"class": "B", "min": 5, "max": 10}, {"class": "A", "min": 10, "max": None}]


def one(record, ctx=None):
    [d] = run("classify", [record], ctx)
    return d


def bought(customer="V1", *rows):
    return history_of(*[purchase(f"P{i}", customer, when, amount) for i, (when, amount) in enumerate(rows)],
                      kind="store_purchase", field="customer_code")


def test_an_unconfigured_company_gets_not_configured_never_a_class():
    d = one(vip(spend=Decimal("50000"), visits=40))
    assert d.rule_id == "retail.vip_not_configured" and str(d.citation) == "vip客户管理制度 第2条"
    assert d.outcome["status"] == "not_configured" and d.outcome["class"] is None and d.outcome["level"] is None
    assert "未定分类标准" in d.explanation and d.outcome["configure"] == ["vip_spend_bands", "vip_visit_bands"]
    assert "bands" not in d.explanation
    assert SPEC.resolve()["vip_spend_bands"] is None and SPEC.resolve()["vip_visit_bands"] is None


@pytest.mark.parametrize("spend, visits, combine, expected", [
    ("12000", 12, "both", "A"),
    ("12000", 3, "both", "C"),      # the lower of A (spend) and C (visits)
    ("12000", 3, "either", "A"),    # the higher
    ("999.99", 0, "both", "D"),
    ("1000", 2, "both", "C"),       # lower bounds are inclusive
    ("9999.99", 9, "both", "B"),    # upper bounds exclusive
])
def test_classes_from_spend_and_visit_bands(spend, visits, combine, expected):
    ctx = context(vip_spend_bands=SPEND, vip_visit_bands=VISITS, vip_combine=combine)
    d = one(vip(spend=Decimal(spend), visits=visits), ctx)
    assert d.rule_id == "retail.vip_class" and d.outcome["class"] == expected and d.outcome["level"] == expected
    assert d.outcome["status"] == "classified" and d.outcome["figures_from"] == "record"


def test_one_dimension_alone_classifies_and_a_missing_figure_is_said():
    assert one(vip(spend=Decimal("6000")), context(vip_spend_bands=SPEND)).outcome["class"] == "B"
    d = one(vip(spend=Decimal("6000")), context(vip_spend_bands=SPEND, vip_visit_bands=VISITS))
    assert d.outcome["status"] == "no_data" and d.outcome["missing"] == ["visits"] and "到店次数" in d.explanation
    assert one(vip(spend=Decimal("6000")), context(vip_spend_bands=SPEND, vip_visit_bands=VISITS, vip_combine="either")).outcome["class"] == "B"


def test_purchases_give_spend_and_visit_days_within_the_period():
    history = bought("V1", ("2025-10-01 10:00", "9000"), ("2026-03-01 10:00", "3000"), ("2026-03-01 15:00", "1000"),
                     ("2026-06-01 10:00", "1500"), ("2026-11-21 10:00", "8000"), ("2026-07-01 10:00", "-500"))
    ctx = context(history=history, vip_spend_bands=SPEND, vip_visit_bands=VISITS, vip_period_months=12)
    d = one(vip(), ctx)
    # 2025-10-01 is before the 12 months; 2026-11-21 after the as-of date; the refund counts in spend, not as a visit.
    assert d.outcome["spend"] == Decimal("5000") and d.outcome["visits"] == 2 and d.outcome["figures_from"] == "purchases"
    assert d.outcome["since"] == date(2025, 11, 20) and d.outcome["class"] == "C"  # spend B, visits C
    lifetime = one(vip(), context(history=history, vip_spend_bands=SPEND))
    assert lifetime.outcome["spend"] == Decimal("14000") and lifetime.outcome["class"] == "A"


def test_months_before_clamps_to_the_month_end():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28) and months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


@pytest.mark.parametrize("bands, message", [
    (SPEND[:3] + [{"class": "A", "min": "10000", "max": "20000"}], "class A must be open-ended"),
    ([{"class": "D", "min": "100", "max": "1000"}] + SPEND[1:], "class D must start at 0"),
    ([SPEND[0], {"class": "C", "min": "1200", "max": "5000"}] + SPEND[2:], "gap between class D"),
    ([SPEND[0], {"class": "C", "min": "900", "max": "5000"}] + SPEND[2:], "overlap between class D"),
    (list(reversed(SPEND)), "from the lowest up"),
    (SPEND[:2] + [SPEND[3]], "from the lowest up"),
    ([SPEND[0], {"class": "C", "min": "1000", "max": "1000"}] + SPEND[2:], "must be above min"),
])
def test_bands_are_checked_for_gaps_and_overlaps(bands, message):
    with pytest.raises(ParameterError, match=message):
        SPEC.resolve(overrides={"vip_spend_bands": bands})


def test_the_example_preset_is_labelled_and_classifies():
    assert "示例" in SPEC.preset_descriptions["example"] and "非原文" in SPEC.preset_descriptions["example"]
    params = SPEC.resolve("example")
    assert params["vip_spend_bands"][3]["min"] == Decimal(EXAMPLE_VIP["vip_spend_bands"][3]["min"])
    assert one(vip(spend=Decimal("25000"), visits=20), context(preset="example")).outcome["class"] == "A"


def test_the_profile_duties_are_checked_even_without_criteria():
    clean = one(vip())
    assert clean.outcome["findings"] == [] and "分类与档案符合第2条、第5条" in clean.explanation
    d = one(vip(assigned_class=None, profile_kept=False, contact_channels="导购"))
    assert [f["code"] for f in d.outcome["findings"]] == ["unclassified", "no_profile", "single_channel"]
    assert [f["clause"] for f in d.outcome["findings"]] == ["第2条", "第2条", "第5条"]


def test_the_classifier_must_be_a_manager():
    assert one(vip(classified_by="S3", classified_by_role="sales")).outcome["findings"][0]["code"] == "classifier_not_manager"
    roster = history_of(staff("S2", role="supervisor"), kind="store_staff", field="code")
    assert one(vip(classified_by="S2", classified_by_role=None), context(history=roster)).outcome["findings"] == []
    assert one(vip(classified_by="S9", classified_by_role=None)).outcome["findings"][0]["code"] == "classifier_unverified"


def test_a_managers_class_that_differs_from_the_companys_criteria_is_a_finding():
    d = one(vip(assigned_class="B", spend=Decimal("20000"), visits=20), context(vip_spend_bands=SPEND, vip_visit_bands=VISITS))
    assert d.outcome["class"] == "A" and d.outcome["matches_assigned"] is False
    assert d.outcome["findings"] == [{"code": "class_mismatch", "clause": "第2条", "text": "店长分类为B类,按企业标准应为A类"}]
