"""第十条 admission conditions, 第二条 terms of trade, 第十七条 disqualification."""

from dataclasses import replace

import pytest

from zhidu.plugins.petrochem.admission import CONDITIONS, AdmissionApplication, check_admission, disqualification

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


@pytest.mark.parametrize("attr, item", [("false_information", "(一)"), ("economic_loss", "(二)"), ("under_investigation", "(三)")])
def test_disqualification_items(attr, item):
    d = check_admission(replace(DIRECT, **{attr: True}))
    assert d.rule_id == "petrochem.disqualification"
    assert d.outcome["disqualified"] is True and d.outcome["admitted"] is False
    assert d.outcome["items"] == ["第十七条" + item] and "取消其客户资格" in d.explanation


def test_no_disqualification_without_a_fact():
    assert disqualification(DIRECT) is None


def test_several_disqualifying_facts_are_all_named():
    d = disqualification(replace(AGENT, false_information=True, under_investigation=True))
    assert d.outcome["items"] == ["第十七条(一)", "第十七条(三)"]
