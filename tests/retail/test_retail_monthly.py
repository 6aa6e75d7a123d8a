"""Per store and month: incidents by category and person, sanctions, uniform compensation due (store-month)."""

from datetime import date
from decimal import Decimal

import pytest

from retail_kit import SANCTION, context, incident, run, staff, uniform
from zhidu.core.errors import DecisionInputError
from zhidu.core.history import MemoryHistory

ROSTER = [staff("S1", store="A店"), staff("S2", store="A店"), staff("S3", store="B店", left_on=date(2026, 11, 10)), staff("S4", store="C店")]
INCIDENTS = [
    incident("I1", "S1", "2026-11-02 09:00", rule="uniform_not_worn"),
    incident("I2", "S1", "2026-11-05 09:00", rule="attendance"),
    incident("I3", "S2", "2026-11-06 09:00", rule="uniform_not_worn", severity="serious"),
    incident("I4", "S3", "2026-11-07 09:00", behaviour="在卖场大声喧哗并吃零食"),
    incident("I5", "S1", "2026-10-30 09:00", rule="uniform_not_worn"),   # October: not in the month
    incident("I6", "S2", "2026-11-08 09:00", rule="attendance", store="B店"),  # worked in B店 that day
]
UNIFORMS = [uniform("199.99", 2, code="U1", left_on=None), uniform("80.00", 1, code="U2", status="damaged", poor_care=True,
                                                                   left_on=None, noted_on=date(2026, 11, 3))]


def history(uniform_owner="S3"):
    incidents: dict[str, list] = {}
    for i in INCIDENTS:
        incidents.setdefault(i.staff_code, []).append(i)
    for u in UNIFORMS:
        u.staff_code = uniform_owner
    return MemoryHistory(records={"staff_incident": incidents, "uniform_issue": {uniform_owner: list(UNIFORMS)}})


def stores(ctx):
    return {d.outcome["store"]: d for d in run("store-month", ROSTER, ctx)}


def test_the_month_per_store():
    out = stores(context(history=history(), options={"month": "2026-11"}, track_sanctions={"rewards_penalties": SANCTION}))
    a = out["A店"].outcome
    assert a["incidents"] == 3 and a["by_person"] == {"S1": 2, "S2": 1}
    assert a["by_category"] == {"uniform_badge": 2, "attendance": 1}
    assert a["sanctions"] == {"口头警告": 1, "书面警告": 1, "罚款": 1} and a["fines_total"] == Decimal("50.00")
    b = out["B店"].outcome
    assert b["incidents"] == 2 and b["unmatched"] == ["I4"] and b["by_person"] == {"S3": 1, "S2": 1}
    # S3 left on 2026-11-10 with two coats: 199.99 x 2 x 0.6 = 239.99; the damaged trousers wait for the company's rate.
    assert b["compensation_due"] == Decimal("239.99") and b["compensation_by_person"] == {"S3": Decimal("239.99")}
    assert b["compensation_open"] == ["U2"]
    assert out["C店"].outcome["incidents"] == 0 and "无违纪事件" in out["C店"].explanation
    d = out["A店"]
    assert d.subject_kind == "store" and d.subject_id == "A店@2026-11" and d.rule_id == "retail.store_month"
    assert d.explanation.startswith("门店A店2026年11月违纪事件3起") and "罚款合计50.00元" in d.explanation


def test_another_month_sees_other_incidents_and_no_compensation():
    out = stores(context(history=history(), options={"month": "2026-10"}))
    assert out["A店"].outcome["incidents"] == 1 and out["B店"].outcome["compensation_due"] == Decimal("0.00")


def test_unconfigured_sanctions_are_counted_as_such():
    a = stores(context(history=history(), options={"month": "2026-11"}))["A店"].outcome
    assert a["sanctions_not_configured"] == ["I2"] and "处罚企业尚未配置" in stores(context(history=history(), options={"month": "2026-11"}))["A店"].explanation


def test_repeat_offences_in_the_summary_count_the_persons_earlier_incidents():
    ladder = [{"offence": 2, "sanction": {"code": "written_warning", "label": "书面警告"}}]
    a = stores(context(history=history(), options={"month": "2026-11"}, repeat_period_days=30, repeat_ladder=ladder))["A店"].outcome
    # I1 (11-02) follows I5 (10-30): a second uniform offence for S1 -> the ladder's written warning.
    assert a["sanctions"] == {"书面警告": 2}


def test_a_month_not_begun_or_unreadable_is_refused():
    with pytest.raises(DecisionInputError, match="has not begun"):
        run("store-month", ROSTER, context(options={"month": "2026-12"}))
    with pytest.raises(DecisionInputError, match="month"):
        run("store-month", ROSTER, context(options={"month": "十一月"}))


def test_the_as_of_month_is_the_default():
    assert {d.outcome["month"] for d in run("store-month", ROSTER, context(history=history()))} == {"2026-11"}
