"""第十条 admission conditions, 第二条 terms of trade, 第十七条 disqualification."""

from dataclasses import replace
from datetime import date

import pytest

from zhidu.plugins.petrochem.admission import CONDITIONS, AdmissionApplication, check_admission, disqualification
from zhidu.plugins.petrochem.findings import CustomerFinding

AS_OF = date(2026, 11, 20)

DIRECT = AdmissionApplication(
    "N1", "北方管业", "direct", manufacturer=True, direct_user=True, production_scale=True, good_credit=True,
)
AGENT = AdmissionApplication(
    "N2", "冀中代理", "exclusive_agent", region="河北", sound_business=True, strong_capital=True,
    good_reputation=True, only_our_products=True,
)
DISTRIBUTOR = AdmissionApplication(
    "N3", "华中经销", "distributor", region="湖北", sound_business=True, strong_capital=True,
    good_reputation=True, only_our_products=False,
)


@pytest.mark.parametrize("app, rule", [(DIRECT, "petrochem.admission_direct"), (AGENT, "petrochem.admission_exclusive_agent"), (DISTRIBUTOR, "petrochem.admission_distributor")])
def test_applicants_meeting_every_condition_are_admitted(app, rule):
    d = check_admission(app)
    assert d.outcome["admitted"] is True and d.outcome["unmet"] == []
    assert d.rule_id == rule and app.name in d.explanation and "可以准入" in d.explanation


@pytest.mark.parametrize(
    "app, attr",
    [(DIRECT, attr) for attr, _ in CONDITIONS["direct"]]
    + [(AGENT, attr) for attr, _ in CONDITIONS["exclusive_agent"]]
    + [(DISTRIBUTOR, attr) for attr, _ in CONDITIONS["distributor"]],
)
def test_each_condition_refused_or_unconfirmed(app, attr):
    for value, words in ((False if attr != "region" else "", "不符合"), (None, "未确认")):
        d = check_admission(replace(app, **{attr: value}))
        assert d.outcome["admitted"] is False
        assert [u["condition"] for u in d.outcome["unmet"]] == [attr]
        assert words in d.explanation


def test_agent_selling_other_brands_is_not_an_exclusive_agent():
    d = check_admission(replace(AGENT, only_our_products=False))
    assert d.outcome["admitted"] is False and "只经营本公司化工产品" in d.explanation


def test_distributor_may_sell_other_brands_and_one_that_does_not_is_pointed_to_the_agent_route():
    assert check_admission(DISTRIBUTOR).outcome["notes"] == []
    d = check_admission(replace(DISTRIBUTOR, only_our_products=True))
    assert d.outcome["admitted"] is True and "独家代理商" in d.outcome["notes"][0]


def test_admitted_exclusive_agent_is_told_its_duties():
    assert "下月销售计划" in check_admission(AGENT).outcome["notes"][0]


@pytest.mark.parametrize("attr, words", [("accepts_prepayment", "款到发货"), ("accepts_self_pickup", "自提")])
def test_every_customer_pays_first_and_picks_up(attr, words):
    d = check_admission(replace(DIRECT, **{attr: False}))
    assert d.outcome["admitted"] is False
    assert d.outcome["unmet"] == [{"condition": attr, "clause": "第二条", "reason": d.outcome["unmet"][0]["reason"]}]
    assert words in d.explanation


def finding(kind, on=date(2026, 3, 2), code="F1", revoked_on=None, source="邯郸市市场监督管理局立案通知书"):
    return CustomerFinding(code, "N1", kind, on, source, revoked_on=revoked_on)


@pytest.mark.parametrize("kind, item", [("false_information", "(一)"), ("economic_loss", "(二)"), ("under_investigation", "(三)")])
def test_a_standing_finding_disqualifies_naming_its_date_and_source(kind, item):
    d = check_admission(DIRECT, [finding(kind)], AS_OF)
    assert d.rule_id == "petrochem.disqualification"
    assert d.outcome["disqualified"] is True and d.outcome["admitted"] is False
    assert d.outcome["items"] == ["第十七条" + item]
    assert d.outcome["findings"] == [{"code": "F1", "finding": kind, "item": "第十七条" + item, "found_on": date(2026, 3, 2),
                                      "source": "邯郸市市场监督管理局立案通知书"}]
    assert d.explanation.startswith("北方管业(N1)2026年3月2日经“邯郸市市场监督管理局立案通知书”认定其")
    assert "取消其客户资格" in d.explanation


@pytest.mark.parametrize("found", [
    [],
    [finding("false_information", on=date(2026, 11, 21))],  # made after the day decided
    [finding("economic_loss", revoked_on=date(2026, 6, 1))],  # revoked by then
])
def test_no_disqualification_without_a_standing_finding(found):
    assert disqualification("N1", "北方管业", found, AS_OF) is None
    d = check_admission(DIRECT, found, AS_OF)
    assert d.rule_id == "petrochem.admission_direct" and d.outcome["admitted"] is True


def test_a_finding_revoked_after_the_day_decided_still_stands():
    d = disqualification("N1", "北方管业", [finding("economic_loss", revoked_on=date(2026, 12, 1))], AS_OF)
    assert d is not None and d.outcome["items"] == ["第十七条(二)"]


def test_several_findings_are_all_named_in_the_articles_order():
    found = [finding("under_investigation", code="F2", on=date(2026, 1, 5)), finding("false_information", code="F1")]
    d = disqualification("N2", "冀中代理", found, AS_OF)
    assert d is not None and d.outcome["items"] == ["第十七条(一)", "第十七条(三)"]
    assert [f["code"] for f in d.outcome["findings"]] == ["F2", "F1"]  # oldest first
