"""第三条(二), 第十条(三)2, 第十条(四)3: direct sales first, then exclusive agents, then distributors."""

import random
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhidu.plugins.petrochem.allocation import AllocationRequest, allocate, weekly_variation
from zhidu.core.params import ParameterError
from zhidu.plugins.petrochem.findings import CustomerFinding
from zhidu.plugins.petrochem.params import SPEC

P = SPEC.resolve()
PRO_RATA = SPEC.resolve(overrides={"allocation_mode": "pro_rata"})
D = Decimal


def req(code, segment, requested, rate=None, weeks=(), suspended=False):
    return AllocationRequest(code, f"客户{code}", segment, D(requested), None if rate is None else D(rate), [D(w) for w in weeks], suspended)


def allocated(decisions):
    return {d.subject_id: d.outcome["allocated"] for d in decisions}


def test_direct_sales_first_even_against_better_distributors():
    requests = [req("X1", "distributor", "1000", "1.0"), req("E1", "exclusive_agent", "600", "0.5"), req("D1", "direct", "500", "0.1")]
    decisions, summary = allocate(requests, D("1200"), P, "2026-08")
    assert allocated(decisions) == {"D1": D(500), "E1": D(600), "X1": D(100)}
    assert [d.subject_id for d in decisions] == ["D1", "E1", "X1"]
    assert summary["allocated"] == D(1200) and summary["unallocated"] == D(0)
    x1 = decisions[-1]
    assert x1.outcome["shortfall"] == D(900) and "缺口900吨" in x1.explanation and "8月" in x1.explanation


def test_enough_for_everyone():
    requests = [req("X1", "distributor", "100"), req("D1", "direct", "200")]
    decisions, summary = allocate(requests, D("1000"), P)
    assert allocated(decisions) == {"D1": D(200), "X1": D(100)}
    assert summary["unallocated"] == D(700)
    assert all("全额分配" in d.explanation for d in decisions)


def test_higher_completion_rate_first_within_a_class():
    requests = [req("X1", "distributor", "500", "0.80"), req("X2", "distributor", "500", "0.95")]
    decisions, _ = allocate(requests, D("600"), P)
    assert allocated(decisions) == {"X2": D(500), "X1": D(100)}
    assert decisions[0].outcome["rank_in_class"] == 1 and decisions[0].subject_id == "X2"


def test_balanced_weekly_pickup_breaks_a_tie_in_completion_rate():
    even = req("X9", "distributor", "500", "0.9", weeks=("100", "100", "100", "100"))
    lumpy = req("X1", "distributor", "500", "0.9", weeks=("0", "0", "0", "400"))
    decisions, _ = allocate([lumpy, even], D("500"), P)
    assert allocated(decisions) == {"X9": D(500), "X1": D(0)}
    assert "未能分配" in decisions[1].explanation


def test_unknown_rate_ranks_last():
    decisions, _ = allocate([req("X1", "distributor", "500"), req("X2", "distributor", "500", "0.1")], D("500"), P)
    assert allocated(decisions) == {"X2": D(500), "X1": D(0)}


def test_result_does_not_depend_on_input_order():
    requests = [req(f"X{i}", ["direct", "exclusive_agent", "distributor"][i % 3], str(100 + i * 7), str(Decimal(i % 5) / 5)) for i in range(20)]
    first = allocated(allocate(requests, D("1500"), P)[0])
    shuffled = requests[:]
    random.Random(7).shuffle(shuffled)
    assert allocated(allocate(shuffled, D("1500"), P)[0]) == first


def test_suspended_customer_gets_nothing():
    decisions, summary = allocate([req("D1", "direct", "500", suspended=True), req("X1", "distributor", "300")], D("1000"), P)
    by_id = {d.subject_id: d for d in decisions}
    assert by_id["D1"].outcome["allocated"] == 0 and by_id["D1"].rule_id == "petrochem.allocation_suspended"
    assert by_id["X1"].outcome["allocated"] == D(300)
    assert summary["allocated"] == D(300)


def test_pro_rata_shares_add_up_exactly():
    requests = [req("E1", "exclusive_agent", "100"), req("E2", "exclusive_agent", "100"), req("E3", "exclusive_agent", "100")]
    decisions, summary = allocate(requests, D("100"), PRO_RATA)
    shares = allocated(decisions)
    assert sum(shares.values()) == D(100)
    # 33.333 each plus one leftover kilogram to the first in rank order (E1, by code)
    assert shares == {"E1": D("33.334"), "E2": D("33.333"), "E3": D("33.333")}
    assert "按申请量比例分配" in decisions[0].explanation


def test_pro_rata_only_for_the_class_that_runs_short():
    requests = [req("D1", "direct", "300"), req("E1", "exclusive_agent", "300"), req("E2", "exclusive_agent", "100"), req("X1", "distributor", "50")]
    decisions, _ = allocate(requests, D("500"), PRO_RATA)
    assert allocated(decisions) == {"D1": D(300), "E1": D(150), "E2": D(50), "X1": D(0)}


def test_a_short_class_leaves_nothing_for_later_classes_not_even_a_sub_quantum_rest():
    requests = [req("E1", "exclusive_agent", "100"), req("E2", "exclusive_agent", "100"), req("X1", "distributor", "0.0004")]
    decisions, summary = allocate(requests, D("100.0005"), PRO_RATA)
    assert allocated(decisions)["X1"] == 0
    assert sum(allocated(decisions).values()) == D(100)
    assert summary["unallocated"] == D("0.0005")
    decisions, _ = allocate(requests, D("100.0005"), P)
    assert allocated(decisions) == {"E1": D(100), "E2": D("0.0005"), "X1": D(0)}


def test_weekly_variation():
    assert weekly_variation([D(100)] * 4) == D(0)
    assert weekly_variation([D(100), D(300)]) == D("0.5000")
    assert weekly_variation([D(100)]) is None
    assert weekly_variation([D(0), D(0)]) is None


tonnes = st.decimals(min_value=0, max_value=5000, places=3)
segments = st.sampled_from(["direct", "exclusive_agent", "distributor"])
rates = st.one_of(st.none(), st.decimals(min_value=0, max_value=1, places=2))


@given(
    rows=st.lists(st.tuples(segments, tonnes, rates, st.booleans()), min_size=1, max_size=12),
    available=tonnes,
    mode=st.sampled_from([P, PRO_RATA]),
)
def test_allocation_invariants(rows, available, mode):
    requests = [AllocationRequest(f"C{i}", f"客户{i}", s, q, r, [], susp) for i, (s, q, r, susp) in enumerate(rows)]
    decisions, summary = allocate(requests, available, mode)
    shares = {d.subject_id: d.outcome["allocated"] for d in decisions}
    assert len(decisions) == len(requests)
    assert sum(shares.values()) == summary["allocated"] <= available
    for r in requests:
        assert 0 <= shares[r.customer_code] <= r.requested
        if r.suspended:
            assert shares[r.customer_code] == 0
    # class priority: a later class gets tonnage only if every earlier class was served in full
    order = ["direct", "exclusive_agent", "distributor"]
    for i, segment in enumerate(order):
        got_later = any(shares[r.customer_code] > 0 for r in requests if r.segment in order[i + 1:])
        short = any(shares[r.customer_code] < r.requested for r in requests if r.segment == segment and not r.suspended)
        assert not (got_later and short)
    # nothing is left over while someone eligible is short (less than one quantum in pro-rata mode)
    if any(shares[r.customer_code] < r.requested for r in requests if not r.suspended):
        assert summary["unallocated"] < mode["allocation_quantum"]


# --- ranking criteria per class: 第十条(三)2 配合度, 第十条(四)3 周拿货量均衡 ----------------------------


def agent(code, rate, cooperation, weeks=()):
    r = req(code, "exclusive_agent", "500", rate, weeks)
    r.cooperation = None if cooperation is None else D(cooperation)
    return r


def test_exclusive_agents_with_the_same_completion_rate_rank_by_cooperation_not_weekly_balance():
    requests = [agent("E1", "0.9", "70", weeks=("100", "100", "100")), agent("E2", "0.9", "95", weeks=("10", "290", "0"))]
    decisions, _ = allocate(requests, D("500"), P, "2026-08")
    assert allocated(decisions) == {"E2": D(500), "E1": D(0)}
    assert "配合度95分" in decisions[0].explanation and "波动系数" not in decisions[0].explanation


def test_cooperation_does_not_outrank_the_completion_rate():
    decisions, _ = allocate([agent("E1", "0.95", "10"), agent("E2", "0.9", "100")], D("500"), P)
    assert [d.subject_id for d in decisions] == ["E1", "E2"] and allocated(decisions)["E1"] == D(500)


def test_an_agent_without_a_cooperation_score_ranks_after_those_with_one():
    decisions, _ = allocate([agent("E1", "0.9", None), agent("E2", "0.9", "1")], D("500"), P)
    assert [d.subject_id for d in decisions] == ["E2", "E1"] and "配合度未评" in decisions[1].explanation


def test_distributors_rank_by_weekly_balance_not_cooperation():
    x1, x2 = req("X1", "distributor", "500", "0.9", ("100", "300")), req("X2", "distributor", "500", "0.9", ("200", "200"))
    x1.cooperation = D(100)
    decisions, _ = allocate([x1, x2], D("500"), P)
    assert allocated(decisions) == {"X2": D(500), "X1": D(0)}
    assert "4周" not in decisions[0].explanation and "2周提货量波动系数0" in decisions[0].explanation


def test_direct_customers_rank_by_completion_rate_alone_by_default():
    d1, d2 = req("D1", "direct", "500", "0.9", ("0", "500")), req("D2", "direct", "500", "0.9", ("250", "250"))
    decisions, _ = allocate([d2, d1], D("500"), P)
    assert [d.subject_id for d in decisions] == ["D1", "D2"]  # tie broken by code, balance not a criterion


def test_the_ranking_is_a_parameter():
    p = SPEC.resolve(overrides={"allocation_ranking": {"direct": ["weekly_balance"], "exclusive_agent": ["cooperation"], "distributor": []}})
    d1, d2 = req("D1", "direct", "500", "0.9", ("0", "500")), req("D2", "direct", "500", "0.1", ("250", "250"))
    decisions, _ = allocate([d1, d2], D("500"), p)
    assert [d.subject_id for d in decisions] == ["D2", "D1"]
    assert decisions[0].parameters["allocation_ranking"]["direct"] == ["weekly_balance"]


@pytest.mark.parametrize("ranking", [
    {"direct": [], "exclusive_agent": []},
    {"direct": ["luck"], "exclusive_agent": [], "distributor": []},
    {"direct": ["cooperation", "cooperation"], "exclusive_agent": [], "distributor": []},
])
def test_a_bad_ranking_is_refused(ranking):
    with pytest.raises(ParameterError, match="allocation_ranking"):
        SPEC.resolve(overrides={"allocation_ranking": ranking})


# --- 第十七条: a disqualified customer gets nothing ------------------------------------------------


def test_a_disqualified_customer_gets_nothing_and_its_tonnage_goes_to_the_next():
    found = CustomerFinding("RD1", "X1", "economic_loss", date(2026, 7, 1), "财务部损失核定单")
    requests = [req("X1", "distributor", "500", "1.0"), req("X2", "distributor", "500", "0.5")]
    decisions, summary = allocate(requests, D("500"), P, "2026-08", {"X1": [found]})
    assert allocated(decisions) == {"X1": D(0), "X2": D(500)}
    x1 = next(d for d in decisions if d.subject_id == "X1")
    assert x1.rule_id == "petrochem.allocation_disqualified" and x1.outcome["items"] == ["第十七条(二)"]
    assert x1.outcome["findings"][0]["code"] == "RD1" and x1.outcome["rank_in_class"] is None
    assert x1.explanation == ("客户X1(X1)2026年7月1日经“财务部损失核定单”认定其给公司造成经济损失或严重影响公司的市场信誉(RD1),"
                              "按第十七条(二)已取消客户资格,8月申请500吨不予分配。")
    assert summary["allocated"] == D(500)


def test_a_finding_about_another_customer_does_not_touch_this_one():
    found = CustomerFinding("RD1", "Z9", "economic_loss", date(2026, 7, 1), "财务部损失核定单")
    decisions, _ = allocate([req("X1", "distributor", "500", "1.0")], D("500"), P, None, {"Z9": [found]})
    assert decisions[0].rule_id == "petrochem.resource_allocation" and allocated(decisions) == {"X1": D(500)}
