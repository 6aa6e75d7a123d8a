"""油品调运分公司客户管理办法 附件1: visit report scores, averaged per customer per period."""

from datetime import date
from decimal import Decimal

import pytest

from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.periods import parse_period
from zhidu.plugins.petrochem.visits import UnknownRating, VisitReport, average_by_customer, item_score, score_report

P = SPEC.resolve()
SCALES = P["visit_scales"]


@pytest.mark.parametrize(
    "item, answer, score",
    [
        ("quality", "非常优良", 100), ("quality", "优良", 90), ("quality", "良好", 85), ("quality", "一般", 80),
        ("quality", "合格", 70), ("quality", "不合格", 60),
        ("service", "非常优良", 100), ("service", "优良", 90), ("service", "良好", 85), ("service", "一般", 80),
        ("service", "不好", 30), ("service", "恶劣", 0),
        ("awareness", "非常驰名", 100), ("awareness", "驰名", 90), ("awareness", "知名度高", 85),
        ("awareness", "知名度较高", 80), ("awareness", "知名", 70), ("awareness", "知道", 60), ("awareness", "不知道", 50),
        ("service", "30", 30), ("awareness", " 知名 ", 70),
    ],
)
def test_item_scores(item, answer, score):
    assert item_score(item, answer, SCALES) == score


@pytest.mark.parametrize("item, answer", [("service", "合格"), ("quality", "不好"), ("awareness", "很有名"), ("service", "55")])
def test_answers_that_are_not_options_are_refused(item, answer):
    with pytest.raises(UnknownRating):
        item_score(item, answer, SCALES)


@pytest.mark.parametrize("answer", [None, "", "  "])
def test_blank_answer_is_not_rated(answer):
    assert item_score("quality", answer, SCALES) is None


def report(code, on, quality=None, service=None, awareness=None, name="华北塑料"):
    return VisitReport("C1", on, name, code, quality, service, awareness)


def test_report_score_is_the_mean_of_rated_items():
    d = score_report(report("R1", date(2026, 3, 1), "优良", "不好", "知名"), P)
    assert d.outcome["item_scores"] == {"quality": 90, "service": 30, "awareness": 70}
    assert d.outcome["score"] == Decimal("63.33")
    assert "服务态度“不好”30分" in d.explanation and "63.33" in d.explanation and "华北塑料" in d.explanation
    assert d.rule_id == "petrochem.visit_report_score"


def test_blank_item_does_not_pull_the_score_down():
    assert score_report(report("R1", date(2026, 3, 1), "优良", None, "驰名"), P).outcome["score"] == Decimal("90.00")


def test_report_with_nothing_rated():
    d = score_report(report("R1", date(2026, 3, 1)), P)
    assert d.outcome["score"] is None and "均未打分" in d.explanation


def test_half_up_rounding():
    # (100 + 85 + 0) / 3 = 61.666... -> 61.67; (85 + 80) / 2 = 82.5 -> 82.50
    assert score_report(report("R1", date(2026, 3, 1), "非常优良", "恶劣", "知名度高"), P).outcome["score"] == Decimal("61.67")
    assert score_report(report("R2", date(2026, 3, 1), "良好", "一般"), P).outcome["score"] == Decimal("82.50")


def test_yearly_average_per_customer_by_default():
    reports = [
        report("R1", date(2026, 3, 1), "优良", "优良", "驰名"),  # 90
        report("R2", date(2026, 9, 1), "一般", "一般", "知名度较高"),  # 80
        report("R3", date(2025, 9, 1), "不合格", "恶劣", "不知道"),  # 2025: (60+0+50)/3
        VisitReport("C2", date(2026, 5, 5), "华东化工", "R4", "良好", "良好", "知名度高"),  # 85
        report("R5", date(2026, 10, 1)),  # nothing rated: not counted
    ]
    decisions = average_by_customer(reports, P)
    rows = {(d.subject_id, d.outcome["period"]): d.outcome for d in decisions}
    assert rows[("C1", "2026")]["average_score"] == Decimal("85.00") and rows[("C1", "2026")]["reports"] == 2
    assert rows[("C1", "2025")]["average_score"] == Decimal("36.67")
    assert rows[("C2", "2026")]["average_score"] == Decimal("85.00")
    assert len(decisions) == 3
    c1 = next(d for d in decisions if d.subject_id == "C1" and d.outcome["period"] == "2026")
    assert "2026年度共2份" in c1.explanation and c1.rule_id == "petrochem.visit_average"


def test_average_over_a_chosen_period_only_counts_its_reports():
    reports = [report("R1", date(2026, 7, 1), "优良", "优良", "驰名"), report("R2", date(2026, 6, 30), "不合格", "恶劣", "不知道")]
    decisions = average_by_customer(reports, P, parse_period("2026H2"))
    assert len(decisions) == 1 and decisions[0].outcome["average_score"] == Decimal("90.00")
    assert decisions[0].outcome["period"] == "2026H2" and "2026年下半年" in decisions[0].explanation


def test_period_mean_uses_unrounded_report_scores():
    # 61.666... and 82.5 average 72.0833... -> 72.08; rounding the reports first (61.67, 82.50) would give 72.09
    reports = [report("R1", date(2026, 3, 1), "非常优良", "恶劣", "知名度高"), report("R2", date(2026, 4, 1), "良好", "一般")]
    assert average_by_customer(reports, P)[0].outcome["average_score"] == Decimal("72.08")
