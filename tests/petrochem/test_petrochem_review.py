"""第十六条: quarterly, half-yearly and yearly reviews over the period's monthly tonnages."""

from datetime import date
from decimal import Decimal

import pytest

from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.engine import decide_chunk
from zhidu.core.plugins import PolicyPlugins
from zhidu.core.records import Customer
from zhidu.plugins.petrochem import tiers
from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.periods import parse_period

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


def test_review_through_the_hook_reports_changes():
    context = DecisionContext(
        company="t", as_of=AFTER_Q3, calendar=WorkCalendar(), params={"petrochem": P}, period="2026Q3",
    )
    customers = [
        customer({"2026-07": "2100", "2026-08": "2200", "2026-09": "2300"}, level="一星"),
        Customer("C8", "西南塑胶", segment="direct", level="普通"),
        Customer("C9", "外省石化", product_line="polyolefin", segment="distributor", sales_form="plan", level="一星",
                 volumes={"2026-07": Decimal("1500"), "2026-08": Decimal("1500"), "2026-09": Decimal("1500")}),
    ]
    decisions = decide_chunk(PolicyPlugins(["petrochem"]), "classify_customer", customers, context)
    by_id = {d.subject_id: d for d in decisions}
    assert by_id["C7"].outcome["previous_level"] == "star1" and by_id["C7"].outcome["level"] == "star2"
    assert by_id["C8"].outcome["level"] == "ordinary" and by_id["C8"].outcome["changed"] is False
    assert by_id["C9"].outcome["changed"] is False
    assert all(d.plugin == "petrochem" and d.fingerprint for d in decisions)
    assert by_id["C7"].to_dict()["outcome"]["months"]["2026-07"] == "2100"
