"""Commission splits per preset, and the rounding rule."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhidu.plugins.realestate.rules_commission import allocate

from realestate_floor import floor  # noqa: F401  (the fixture)


def _new_customer_mid_reception(f, **designation):
    f.roster("3-02 09:00", "张三", "李四")
    f.visit("3-02 10:00", "C1")
    f.register("3-02 10:05", "张三", "C1")
    return f.ev("3-02 10:30", "designation", staff="李四", customer="C1", other="张三", stage="during", **designation)


@pytest.mark.parametrize("preset, first, second, clause", [("vanke", 7000, 3000, "§5.2"), ("consultant", 5500, 4500, "四.2")])
def test_mid_reception_designation_split(floor, preset, first, second, clause):
    f = floor(preset, lunch_desk=False)
    e = _new_customer_mid_reception(f, manager_approved=True)
    d = f.about("C1", e)
    assert d.rule_id == "realestate.designation_split" and d.outcome["receiver"] == "李四"
    deal = f.deal("C1", "李四", "3-10 10:00", "10000")
    assert deal.rule_id == "realestate.designation_split"
    assert f.shares(deal) == {"张三": first, "李四": second}
    assert clause in deal.explanation


@pytest.mark.parametrize("preset", ["vanke", "consultant"])
def test_designated_salesperson_who_instigated_gets_nothing(floor, preset):
    f = floor(preset, lunch_desk=False)
    e = _new_customer_mid_reception(f, manager_approved=True, instigated=True)
    assert f.about("C1", e).rule_id == "realestate.designation_instigated"
    deal = f.deal("C1", "李四", "3-10 10:00")
    assert deal.rule_id == "realestate.designation_instigated" and f.shares(deal) == {"张三": 10000}


def test_mid_reception_designation_not_approved_changes_nothing(floor):
    f = floor("vanke", lunch_desk=False)
    e = _new_customer_mid_reception(f)
    d = f.about("C1", e)
    assert d.outcome["supported"] is False and "不予支持" in d.explanation
    assert f.shares(f.deal("C1", "张三", "3-10 10:00")) == {"张三": 10000}


def test_xize_mid_reception_designation_is_escalated(floor):
    f = floor("xize")
    e = _new_customer_mid_reception(f, manager_approved=True)
    assert f.about("C1", e).rule_id == "realestate.escalate"
    assert f.deal("C1", "李四", "3-10 10:00").rule_id == "realestate.escalated_split"


@pytest.mark.parametrize("preset", ["vanke", "consultant"])
def test_returning_customer_designating_another_leaves_all_to_the_first_receiver(floor, preset):
    f = floor(preset, lunch_desk=False)
    f.register("3-01 10:00", "张三", "C1")
    f.roster("3-05 09:00", "张三", "李四")
    v = f.visit("3-05 10:00", "C1", visited_before=True, named_staff=["张三"], designated="李四", manager_approved=True)
    d = f.of(v)
    assert d.outcome["receiver"] == "李四" and d.outcome["counted"] is False and d.outcome["volunteer_for"] == "张三"
    e = f.register("3-05 10:05", "李四", "C1")
    assert f.about("C1", e).rule_id == "realestate.volunteer_registration"
    deal = f.deal("C1", "李四", "3-08 10:00")
    assert deal.rule_id == "realestate.returning_designation_first"
    assert f.shares(deal) == {"张三": 10000}


def test_xize_nth_visit_designation_halves(floor):
    f = floor("xize")
    f.register("3-01 10:00", "张三", "C1")
    f.roster("3-05 09:00", "张三", "李四")
    v = f.visit("3-05 10:00", "C1", visited_before=True, named_staff=["张三"], designated="李四")
    assert f.of(v).outcome["receiver"] == "李四"
    deal = f.deal("C1", "李四", "3-08 10:00", "10000")
    assert deal.rule_id == "realestate.nth_visit_split" and "(五)3(8)" in deal.explanation
    assert f.shares(deal) == {"李四": 5000, "张三": 5000}


@pytest.mark.parametrize("registered, expected", [("3-01 10:00", {"李四": 8000, "张三": 2000}), ("1-01 10:00", {"李四": 10000})])
def test_xize_customer_declining_the_original(floor, registered, expected):
    f = floor("xize")
    f.register(registered, "张三", "C1")
    f.roster("3-05 09:00", "李四", "张三")
    v = f.visit("3-05 10:00", "C1", visited_before=True, named_staff=["张三"], declines_original=True)
    assert f.of(v).outcome["receiver"] == "李四"
    deal = f.deal("C1", "李四", "3-20 10:00", "10000")
    assert f.shares(deal) == expected
    if len(expected) == 2:
        assert deal.rule_id == "realestate.declined_split" and "(五)3(2)" in deal.explanation


def test_xize_declined_with_expired_original_is_plain_new(floor):
    f = floor("xize")
    f.register("1-01 10:00", "张三", "C1")
    f.roster("3-05 09:00", "李四", "张三")
    v = f.visit("3-05 10:00", "C1", visited_before=True, named_staff=["张三"], declines_original=True)
    # no valid owner: 张三 was only named; still 细则(五)3(2) "若b属建档无效期,则与b无关"
    assert f.of(v).outcome["receiver"] == "李四"
    assert f.shares(f.deal("C1", "李四", "3-20 10:00")) == {"李四": 10000}


def test_xize_volunteer_closing_the_same_day_gets_twenty_percent(floor):
    f = floor("xize")
    f.register("3-01 10:00", "张三", "C1")
    f.roster("3-05 09:00", "李四", "王五")
    v = f.visit("3-05 10:00", "C1", visited_before=True, named_staff=["张三"])
    assert f.of(v).outcome["receiver"] == "李四"
    deal = f.deal("C1", "李四", "3-05 16:00", "10000")
    assert deal.rule_id == "realestate.volunteer_split"
    assert f.shares(deal) == {"张三": 8000, "李四": 2000}
    later = f.deal("C1", "张三", "3-06 16:00", "10000", code="D2")
    assert later.rule_id == "realestate.owner_full" and f.shares(later) == {"张三": 10000}


@pytest.mark.parametrize("preset", ["vanke", "consultant"])
def test_volunteer_closing_elsewhere_gets_nothing(floor, preset):
    f = floor(preset, lunch_desk=False)
    f.register("3-01 10:00", "张三", "C1")
    f.roster("3-05 09:00", "李四", "王五")
    f.visit("3-05 10:00", "C1", visited_before=True, named_staff=["张三"])
    deal = f.deal("C1", "王五", "3-05 16:00")
    assert deal.rule_id == "realestate.owner_full" and f.shares(deal) == {"张三": 10000}
    assert "登记为结算佣金的依据" in deal.explanation


@pytest.mark.parametrize("mode, rule, expected", [
    ("followed", "company_followed", {"张三": 7000, "company_pool": 3000}),
    ("arranged_sales", "company_arranged_sales", {"张三": 3000, "company_pool": 7000}),
    ("arranged_other", "company_arranged_other", {"company_pool": 10000}),
])
def test_company_customer_splits_by_how_the_deal_was_made(floor, mode, rule, expected):
    f = floor("vanke")
    f.ev("3-01 10:00", "company_introduction", customer="C7", introducer="董事长")
    f.register("3-02 10:05", "张三", "C7")
    deal = f.deal("C7", "张三", "3-10 10:00", "10000", company_mode=mode)
    assert deal.rule_id == f"realestate.{rule}"
    assert f.shares(deal) == expected


def test_unknown_company_mode_is_held(floor):
    f = floor("vanke")
    f.ev("3-01 10:00", "company_introduction", customer="C7", introducer="董事长")
    deal = f.deal("C7", "张三", "3-10 10:00", company_mode="whatever")
    assert deal.rule_id == "realestate.escalated_split"


def test_deal_after_the_window_goes_to_the_closer(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    inside = f.deal("C1", "李四", "4-02 10:00", code="D1")  # 3月2日 + one month: the last valid day
    outside = f.deal("C1", "李四", "4-03 10:00", code="D2")
    assert inside.rule_id == "realestate.owner_full" and f.shares(inside) == {"张三": 10000}
    assert outside.rule_id == "realestate.expired_to_closer" and f.shares(outside) == {"李四": 10000}


def test_deal_of_an_unknown_customer_goes_to_the_closer(floor):
    f = floor("vanke")
    deal = f.deal("NOBODY", "李四", "4-01 10:00")
    assert f.shares(deal) == {"李四": 10000} and "无有效登记" in deal.explanation


def test_split_outcome_shape_and_json(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    deal = f.deal("C1", "张三", "3-10 10:00", "12345.67")
    assert deal.subject_kind == "deal" and deal.subject_id == "D1"
    assert deal.outcome["shares"] == [{"party": "张三", "role": "salesperson", "share": "1", "amount": "12345.67"}]
    import json

    json.dumps(deal.to_dict(), ensure_ascii=False)


def test_rounding_rule_remainder_to_the_largest_share():
    out = allocate(Decimal("100.00"), [("A", "x", Decimal("0.3")), ("B", "y", Decimal("0.7"))], Decimal("0.01"))
    assert out == [{"party": "A", "role": "x", "share": "0.3", "amount": "30.00"}, {"party": "B", "role": "y", "share": "0.7", "amount": "70.00"}]
    out = allocate(Decimal("0.05"), [("A", "x", Decimal("0.55")), ("B", "y", Decimal("0.45"))], Decimal("0.01"))
    # B: 0.0225 -> 0.02 (half-up at the cent); A, the largest, takes the remainder 0.03.
    assert [o["amount"] for o in out] == ["0.03", "0.02"]
    out = allocate(Decimal("0.01"), [("A", "x", Decimal("0.5")), ("B", "y", Decimal("0.5"))], Decimal("0.01"))
    # equal shares: the first listed is "the largest"; B rounds 0.005 half-up to 0.01, A gets 0.00.
    assert [o["amount"] for o in out] == ["0.00", "0.01"]


def test_commission_beyond_cents_is_kept_exact():
    out = allocate(Decimal("100.005"), [("A", "x", Decimal("0.5")), ("B", "y", Decimal("0.5"))], Decimal("0.01"))
    assert [o["amount"] for o in out] == ["50.005", "50.00"]


def test_same_party_twice_is_merged():
    out = allocate(Decimal("10"), [("A", "first_receiver", Decimal("0.7")), ("A", "designated", Decimal("0.3"))], Decimal("0.01"))
    assert out == [{"party": "A", "role": "first_receiver+designated", "share": "1.0", "amount": "10.00"}]


@settings(max_examples=300, deadline=None)
@given(
    commission=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    weights=st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=5).filter(lambda w: sum(w) > 0),
)
def test_amounts_always_add_up_exactly(commission, weights):
    total = sum(weights)
    shares = [Decimal(w) / Decimal(total) for w in weights]
    shares[-1] = Decimal(1) - sum(shares[:-1])
    parts = [(f"P{i}", "r", s) for i, s in enumerate(shares)]
    out = allocate(commission, parts, Decimal("0.01"))
    assert sum(Decimal(o["amount"]) for o in out) == commission
    for o, s in zip(out, shares):
        assert abs(Decimal(o["amount"]) - commission * s) <= Decimal("0.01") * len(shares)


def test_designation_event_before_reception_is_not_counted(floor):
    f = floor("vanke", lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四")
    e = f.ev("3-02 10:00", "designation", staff="李四", customer="C1", other="张三", stage="before")
    d = f.of(e)
    assert d.rule_id == "realestate.designated_before" and d.outcome["counted"] is False
    assert f.of(f.visit("3-02 10:10", "C2")).outcome["receiver"] == "张三"


@pytest.mark.parametrize("preset, rule, expected", [
    ("vanke", "realestate.returning_designation_first", {"张三": 10000}),
    ("consultant", "realestate.returning_designation_first", {"张三": 10000}),
    ("xize", "realestate.nth_visit_split", {"李四": 5000, "张三": 5000}),
])
def test_designation_event_for_a_returning_customer(floor, preset, rule, expected):
    f = floor(preset, lunch_desk=False)
    f.register("3-01 10:00", "张三", "C1")
    e = f.ev("3-05 10:30", "designation", staff="李四", customer="C1", other="张三", manager_approved=True)
    assert f.about("C1", e).rule_id == "realestate.returning_designation"
    deal = f.deal("C1", "李四", "3-08 10:00")
    assert deal.rule_id == rule and f.shares(deal) == expected


def test_returning_designation_without_the_manager_changes_nothing(floor):
    f = floor("vanke")
    f.register("3-01 10:00", "张三", "C1")
    e = f.ev("3-05 10:30", "designation", staff="李四", customer="C1", other="张三")
    assert f.about("C1", e).outcome["supported"] is False
    assert f.shares(f.deal("C1", "李四", "3-08 10:00")) == {"张三": 10000}


def test_change_deal_with_the_original_salesperson_named(floor):
    f = floor("vanke")
    d = f.deal("C1", "李四", "6-01 10:00", "5000", original_deal="OLD-2025", original_staff="张三", change="rename")
    assert d.rule_id == "realestate.change_split" and f.shares(d) == {"张三": 5000}
