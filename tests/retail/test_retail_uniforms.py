"""Uniform compensation: 六折 for a uniform not returned on leaving (篇4第3条), 按规定 for damage or loss (篇4第1条)."""

from datetime import date
from decimal import Decimal

import pytest

from retail_kit import context, history_of, run, staff, uniform
from zhidu.core.params import ParameterError
from zhidu.plugins.retail.params import SPEC


def one(record, ctx=None):
    [d] = run("uniforms", [record], ctx)
    return d


@pytest.mark.parametrize("price, quantity, due", [
    ("199.99", 1, "119.99"),   # 119.994 -> 119.99
    ("199.99", 2, "239.99"),   # 239.988 -> 239.99 (rounded once, on the total)
    ("0.05", 1, "0.03"),       # 0.030 exactly
    ("0.01", 1, "0.01"),       # 0.006 -> 0.01 (half up)
    ("99.99", 3, "179.98"),    # 179.982
    ("12.25", 1, "7.35"),      # 7.350
    ("10.75", 1, "6.45"),      # 6.450
    ("0.00", 1, "0.00"),
])
def test_not_returned_on_leaving_is_sixty_percent_rounded_to_the_fen(price, quantity, due):
    d = one(uniform(price, quantity))
    amount = d.outcome["compensation"]
    assert isinstance(amount, Decimal) and amount == Decimal(due) and amount.as_tuple().exponent == -2
    assert d.outcome["status"] == "compensate" and d.outcome["rate"] == Decimal("0.6") and d.outcome["pieces"] == quantity
    assert d.rule_id == "retail.uniform_return" and str(d.citation) == "销售客户管理制度 篇4第3条"
    assert d.outcome["due"] is (Decimal(due) > 0)


def test_the_explanation_shows_the_computation():
    d = one(uniform("199.99", 2))
    assert d.explanation == "员工S1于2026年11月10日离职,工服外套(单价199.99元)2件未退回,按销售客户管理制度 篇4第3条以六折赔偿:199.99元×2件×0.6=239.99元。"


def test_only_the_pieces_not_returned_are_compensated():
    d = one(uniform("100.00", 3, returned_quantity=1))
    assert d.outcome["pieces"] == 2 and d.outcome["compensation"] == Decimal("120.00") and "退回1件" in d.explanation


def test_nothing_is_due_while_employed_or_once_returned():
    employed = one(uniform("199.99", left_on=None, status="in_use"))
    assert employed.outcome["status"] == "in_use" and employed.outcome["compensation"] == Decimal("0.00") and employed.outcome["due"] is False
    leaving_later = one(uniform("199.99", left_on=date(2026, 12, 31), status="in_use"))
    assert leaving_later.outcome["status"] == "in_use" and "将于2026年12月31日离职" in leaving_later.explanation
    returned = one(uniform("199.99", 2, status="returned", returned_on=date(2026, 11, 12)))
    assert returned.outcome["status"] == "returned" and returned.outcome["returned_late"] is True and returned.outcome["compensation"] == 0


def test_the_leaving_date_comes_from_the_roster_when_the_record_lacks_it():
    roster = history_of(staff("S1", left_on=date(2026, 11, 1)), kind="store_staff", field="code")
    d = one(uniform("50.00", left_on=None, status="in_use"), context(history=roster))
    assert d.outcome["status"] == "compensate" and d.outcome["compensation"] == Decimal("30.00") and d.outcome["left_on"] == date(2026, 11, 1)


def test_a_company_rate_other_than_sixty_percent():
    d = one(uniform("199.99"), context(uniform_not_returned_rate="0.65"))
    assert d.outcome["compensation"] == Decimal("129.99") and "65%" in d.explanation  # 129.9935


def test_damage_through_poor_care_needs_the_company_rate():
    d = one(uniform("129.50", status="damaged", poor_care=True, left_on=None))
    assert d.rule_id == "retail.uniform_damage" and str(d.citation) == "销售客户管理制度 篇4第1条"
    assert d.outcome["status"] == "not_configured" and d.outcome["compensation"] is None and d.outcome["configure"] == ["uniform_poor_care_rate"]
    assert "待企业设定赔偿比例" in d.explanation and "rate" not in d.explanation
    configured = one(uniform("129.50", status="damaged", poor_care=True, left_on=None), context(uniform_poor_care_rate="0.5"))
    assert configured.outcome["compensation"] == Decimal("64.75") and configured.outcome["status"] == "compensate"


def test_damage_not_through_poor_care_or_not_yet_established_is_not_compensated():
    assert one(uniform("129.50", status="lost", poor_care=False), context(uniform_poor_care_rate="1")).outcome["status"] == "not_poor_care"
    d = one(uniform("129.50", status="lost", poor_care=None), context(uniform_poor_care_rate="1"))
    assert d.outcome["status"] == "undetermined" and d.outcome["compensation"] is None


def test_lost_pieces_exclude_the_returned_ones():
    d = one(uniform("80.00", 3, status="lost", poor_care=True, returned_quantity=1), context(uniform_poor_care_rate="1"))
    assert d.outcome["pieces"] == 2 and d.outcome["compensation"] == Decimal("160.00")


def test_more_returned_than_issued_is_reported_not_computed():
    d = one(uniform("80.00", 1, returned_quantity=2))
    assert d.outcome["status"] == "invalid" and d.outcome["compensation"] is None


def test_rates_are_checked():
    with pytest.raises(ParameterError, match="uniform_not_returned_rate"):
        SPEC.resolve(overrides={"uniform_not_returned_rate": "1.5"})
    assert SPEC.resolve()["uniform_poor_care_rate"] is None and SPEC.resolve()["uniform_not_returned_rate"] == Decimal("0.6")
