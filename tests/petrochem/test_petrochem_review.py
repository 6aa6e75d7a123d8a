"""第十六条: quarterly, half-yearly and yearly reviews over the period's monthly tonnages."""

from datetime import date
from decimal import Decimal

import pytest

from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.history import MemoryHistory
from zhidu.plugins.petrochem.records import ChemCustomer as Customer
from zhidu.plugins.petrochem.records import MonthlyVolume
from zhidu.plugins.petrochem import rules, tiers
from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.periods import parse_period
from zhidu.testing import decide

P = SPEC.resolve()
Q3 = parse_period("2026Q3")
AFTER_Q3 = date(2026, 10, 8)


def customer(volumes, level=None, **kw):
    return Customer(
        "C7", "华东化工", segment="distributor", sales_form="plan", level=level,
        volumes={m: Decimal(v) for m, v in volumes.items()}, **kw,
    )


@pytest.mark.parametrize(
    "text, kind, months, label",
    [
        ("2026Q3", "quarter", ("2026-07", "2026-08", "2026-09"), "2026年第三季度"),
        ("2026q1", "quarter", ("2026-01", "2026-02", "2026-03"), "2026年第一季度"),
        ("2026H1", "half", tuple(f"2026-{m:02d}" for m in range(1, 7)), "2026年上半年"),
        ("2026H2", "half", tuple(f"2026-{m:02d}" for m in range(7, 13)), "2026年下半年"),
        ("2026", "year", tuple(f"2026-{m:02d}" for m in range(1, 13)), "2026年度"),
        ("2026-07", "month", ("2026-07",), "2026年7月"),
    ],
)
def test_periods(text, kind, months, label):
    period = parse_period(text)
    assert (period.kind, period.months, period.label_zh) == (kind, months, label)


@pytest.mark.parametrize("text", ["2026Q5", "2026H3", "2026-13", "Q3", "26Q3", ""])
def test_bad_periods_are_rejected(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_quarter_reports_to_operating_meeting_year_to_gm_office():
    assert parse_period("2026Q3").report_to == "公司经营例会"
    assert parse_period("2026").report_to == "产品经销公司总经理办公会"


def test_every_month_basis_uses_the_weakest_month():
    c = customer({"2026-07": "3500", "2026-08": "2999.999", "2026-09": "3100"}, level="三星")
    d = tiers.classify(c, P, period=Q3, as_of=AFTER_Q3)
    assert d.rule_id == "petrochem.tier_review"
    assert d.outcome["basis_volume"] == Decimal("2999.999") and d.outcome["basis_month"] == "2026-08"
    assert d.outcome["level"] == "star2" and d.outcome["change"] == "down"
    assert d.outcome["report_to"] == "公司经营例会" and d.outcome["period"] == "2026Q3"
    assert "8月2999.999吨" in d.explanation and "2026年第三季度" in d.explanation


def test_every_month_basis_all_months_at_the_bound_keeps_three_star():
    c = customer({"2026-07": "3000", "2026-08": "3000", "2026-09": "3000"}, level="三星")
    assert tiers.classify(c, P, period=Q3, as_of=AFTER_Q3).outcome["level"] == "star3"


def test_average_basis_truncates_to_the_kilogram():
    p = SPEC.resolve(overrides={"review_basis": "average"})
    # (1000 + 1000 + 999.999) / 3 = 999.999666...: below 1000, shown as 999.999
    c = customer({"2026-07": "1000", "2026-08": "1000", "2026-09": "999.999"})
    d = tiers.classify(c, p, period=Q3, as_of=AFTER_Q3)
    assert d.outcome["basis_volume"] == Decimal("999.999") and d.outcome["level"] == "ordinary"
    c = customer({"2026-07": "3500", "2026-08": "2500", "2026-09": "3000"})
    d = tiers.classify(c, p, period=Q3, as_of=AFTER_Q3)
    assert d.outcome["basis_volume"] == Decimal("3000.000") and d.outcome["level"] == "star3"
    assert "月均3000吨" in d.explanation


def test_last_month_basis():
    p = SPEC.resolve(overrides={"review_basis": "last_month"})
    c = customer({"2026-07": "100", "2026-08": "100", "2026-09": "2000"}, level="一星")
    d = tiers.classify(c, p, period=Q3, as_of=AFTER_Q3)
    assert d.outcome["basis_month"] == "2026-09" and d.outcome["level"] == "star2"


def test_missing_month_counts_as_zero_by_default():
    c = customer({"2026-07": "1500", "2026-09": "1500"}, level="一星")
    d = tiers.classify(c, P, period=Q3, as_of=AFTER_Q3)
    assert d.outcome["months"]["2026-08"] == Decimal(0)
    assert d.outcome["level"] == "ordinary"


def test_missing_month_skipped_when_configured():
    p = SPEC.resolve(overrides={"missing_month": "skip"})
    c = customer({"2026-07": "1500", "2026-09": "1500"}, level="一星")
    d = tiers.classify(c, p, period=Q3, as_of=AFTER_Q3)
    assert "2026-08" not in d.outcome["months"] and d.outcome["level"] == "star1"


def test_months_before_development_do_not_count():
    c = customer({"2026-08": "1200", "2026-09": "1300"}, developed_on=date(2026, 8, 10))
    d = tiers.classify(c, P, period=Q3, as_of=AFTER_Q3)
    assert list(d.outcome["months"]) == ["2026-08", "2026-09"] and d.outcome["level"] == "star1"


def test_months_not_yet_begun_do_not_count():
    c = customer({"2026-07": "1200", "2026-08": "1300"}, level="一星")
    d = tiers.classify(c, P, period=Q3, as_of=date(2026, 8, 31))
    assert list(d.outcome["months"]) == ["2026-07", "2026-08"] and d.outcome["level"] == "star1"


def test_no_countable_month_keeps_the_level():
    c = customer({}, level="二星")
    d = tiers.classify(c, P, period=Q3, as_of=date(2026, 6, 30))
    assert d.outcome["level"] == "star2" and d.outcome["rated"] is False


def test_review_moves_one_level_too():
    c = customer({"2026-07": "5000", "2026-08": "5000", "2026-09": "5000"}, level="普通")
    d = tiers.classify(c, P, period=Q3, as_of=AFTER_Q3)
    assert d.outcome["earned_level"] == "star3" and d.outcome["level"] == "star1"


def volumes(code, figures):
    return [MonthlyVolume(code, month, Decimal(v)) for month, v in figures.items()]


def review_context(records=None, decisions=(), commands=None, period="2026Q3"):
    history = MemoryHistory(records={"monthly_volume": records or {}}, decisions=decisions, commands=commands)
    return DecisionContext(company="t", as_of=AFTER_Q3, calendar=WorkCalendar(), params={"petrochem": P},
                           period=period, history=history)


def test_review_through_the_hook_reports_changes():
    # The hook reads the period's monthly volumes through context.history (a month outside the
    # period is not counted: June's 9000 t would otherwise lift C9).
    context = review_context({
        "C7": volumes("C7", {"2026-07": "2100", "2026-08": "2200", "2026-09": "2300"}),
        "C9": volumes("C9", {"2026-06": "9000", "2026-07": "1500", "2026-08": "1500", "2026-09": "1500"}),
    })
    customers = [
        customer({}, level="一星"),
        Customer("C8", "西南塑胶", segment="direct", level="普通"),
        Customer("C9", "外省石化", product_line="polyolefin", segment="distributor", sales_form="plan", level="一星"),
    ]
    decisions = decide(["petrochem"], "classify", customers, context)
    by_id = {d.subject_id: d for d in decisions}
    assert by_id["C7"].outcome["previous_level"] == "star1" and by_id["C7"].outcome["level"] == "star2"
    assert by_id["C8"].outcome["level"] == "ordinary" and by_id["C8"].outcome["changed"] is False
    assert by_id["C9"].outcome["changed"] is False
    assert "2026-06" not in by_id["C9"].outcome["months"]
    assert all(d.plugin == "petrochem" and d.fingerprint for d in decisions)
    assert by_id["C7"].to_dict()["outcome"]["months"]["2026-07"] == "2100"


def earlier_review(code, period, level, decision_id):
    """A committed review decision as the log returns it (only period and level are read)."""
    d = rules.TIER_REVIEW.decide("customer", code, {"level": level, "period": period}, "earlier review")
    d.decision_id = decision_id
    return d


Q3_FIGURES = {"2026-07": "2100", "2026-08": "2200", "2026-09": "2300"}  # earns star2


def test_review_chains_from_the_previous_periods_committed_level():
    # The customer's own record still says 普通; the committed Q2 review left it at 三星, so the
    # Q3 review moves from 三星 down one level to 二星 (依次升降), not up from 普通 to 一星.
    context = review_context({"C7": volumes("C7", Q3_FIGURES)},
                             decisions=[earlier_review("C7", "2026Q2", "star3", 1)], commands={1: "classify"})
    (d,) = decide(["petrochem"], "classify", [customer({}, level="普通")], context)
    assert d.outcome["previous_level"] == "star3" and d.outcome["level"] == "star2" and d.outcome["change"] == "down"
    # Without the earlier review the record's level is the starting point.
    (d,) = decide(["petrochem"], "classify", [customer({}, level="普通")], review_context({"C7": volumes("C7", Q3_FIGURES)}))
    assert d.outcome["previous_level"] == "ordinary" and d.outcome["level"] == "star1"


def test_review_chains_only_from_an_earlier_period_of_the_classify_command():
    committed = [
        earlier_review("C7", "2026Q1", "star1", 1),
        earlier_review("C7", "2026Q2", "star3", 2),
        earlier_review("C7", "2026Q3", "ordinary", 3),  # an earlier run of this very period: not a start
        earlier_review("C7", "2026Q4", "ordinary", 4),  # a later period
        earlier_review("C7", "2026-06", "auction", 5),  # taken by another command
    ]
    context = review_context({"C7": volumes("C7", Q3_FIGURES)}, decisions=committed,
                             commands={1: "classify", 2: "classify", 3: "classify", 4: "classify", 5: "other"})
    (d,) = decide(["petrochem"], "classify", [customer({}, level="普通")], context)
    assert d.outcome["previous_level"] == "star3" and d.outcome["level"] == "star2"


def test_review_chains_from_the_latest_earlier_period_not_the_latest_run():
    # Q2 was re-run (to 一星) after Q3 was committed (三星): Q4 still starts from Q3's level.
    committed = [
        earlier_review("C7", "2026Q2", "star2", 1),
        earlier_review("C7", "2026Q3", "star3", 2),
        earlier_review("C7", "2026Q2", "star1", 3),
    ]
    q4 = {"2026-10": "2100", "2026-11": "2200", "2026-12": "2300"}  # earns star2
    context = review_context({"C7": volumes("C7", q4)}, decisions=committed, period="2026Q4")
    context.as_of = date(2027, 1, 5)
    (d,) = decide(["petrochem"], "classify", [customer({}, level="普通")], context)
    assert d.outcome["previous_level"] == "star3" and d.outcome["level"] == "star2"
    # Two runs of the same earlier period: the last committed one counts.
    committed.append(earlier_review("C7", "2026Q3", "ordinary", 4))
    context = review_context({"C7": volumes("C7", q4)}, decisions=committed, period="2026Q4")
    context.as_of = date(2027, 1, 5)
    (d,) = decide(["petrochem"], "classify", [customer({}, level="普通")], context)
    assert d.outcome["previous_level"] == "ordinary" and d.outcome["level"] == "star1"


def test_a_customer_with_no_volume_recorded_in_the_period_is_not_reviewed_as_zero():
    c = customer({"2026-04": "3000"}, level="一星")  # a record outside the period does not count
    d = tiers.classify(c, P, period=Q3, as_of=AFTER_Q3)
    assert d.rule_id == "petrochem.tier_review" and d.outcome["rated"] is False and d.outcome["volumes_recorded"] is False
    assert d.outcome["level"] == "star1" and d.outcome["months"] == {}
    assert d.explanation == "华东化工(C7)在2026年第三季度内没有任何月提货量记录,无法评审,维持一星客户。"


@pytest.mark.parametrize("missing_month", ["zero", "skip"])
def test_one_recorded_month_is_enough_for_a_review(missing_month):
    p = SPEC.resolve(overrides={"missing_month": missing_month})
    d = tiers.classify(customer({"2026-09": "1500"}, level="一星"), p, period=Q3, as_of=AFTER_Q3)
    assert d.outcome["volumes_recorded"] is True and "rated" not in d.outcome
    assert d.outcome["level"] == ("ordinary" if missing_month == "zero" else "star1")


def test_a_review_of_a_month_written_in_chinese():
    d = tiers.classify(customer({"2026-09": "2500"}, level="二星"), P, period=parse_period("2026年9月"), as_of=AFTER_Q3)
    assert d.outcome["period"] == "2026-09" and d.outcome["level"] == "star2"
