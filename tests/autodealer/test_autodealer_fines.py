"""The month's fines per person: 客户管理制度14 五.6 doubling (a sales consultant's 2nd penalised
violation in a month and every later one, a service advisor's 3rd and later), 五.10 repeat fines,
the earlier violations of the month read from the committed decisions (context.history), never
replayed; and 汽车客户管理制度's KPI points and favouritism fines."""

from datetime import date
from decimal import Decimal

import pytest

from autodealer_files import drop_doc, drop_sig, faw_sales, faw_service, history, load, run, skoda_sales, skoda_service


def consultant_file(code, day, late=False, unsigned=False, person="C201"):
    row = skoda_sales(code=code, responsible=person, delivered_at=f"2026-10-{day:02d} 10:00",
                      submitted_at=f"2026-10-{day + (6 if late else 1):02d} 09:00")
    if unsigned:
        drop_sig(row, "交车检查表", "客户")
    return load(row)


def advisor_file(code, day, missing=None, person="A301", **extra):
    row = skoda_service(code=code, responsible=person, delivered_at=f"2026-10-{day:02d} 10:00", submitted_at=f"2026-10-{day:02d} 17:00", **extra)
    if missing:
        drop_doc(row, missing)
    return load(row)


def fines(files, month="2026-10", **kw):
    return run("vehicle-fines", files, options={"month": month}, **kw)


def steps(d):
    return [(v["file"], v["ordinal"], v["factor"], v["amount"]) for v in d.outcome["violations"]]


def test_a_sales_consultants_second_violation_and_every_later_one_is_doubled():
    files = [consultant_file("K1", 12, unsigned=True), consultant_file("K2", 13, late=True), consultant_file("K3", 20, unsigned=True)]
    [d] = fines(files)
    assert d.subject_kind == "staff" and d.subject_id == "C201@2026-10" and d.rule_id == "autodealer.skoda_fines"
    assert steps(d) == [("K1", 1, Decimal(1), Decimal(20)), ("K2", 2, Decimal(2), Decimal(100)), ("K3", 3, Decimal(2), Decimal(40))]
    assert d.outcome["fine_total"] == Decimal(160) and d.outcome["performance_cut"]["permitted"] is False
    assert d.explanation == ("销售顾问(工号C201)2026年10月档案违规受处罚3次:第1次K1(10月13日)检查类档案无用户签名20元;"
                             "第2次起翻倍,第2次K2(10月19日)超时上交50元,计50元×2=100元;第3次K3(10月21日)检查类档案无用户签名20元,计20元×2=40元;"
                             "合计罚款160元。")


def test_a_service_advisors_second_violation_is_not_doubled_the_third_is():
    files = [advisor_file("W1", 12, "接车单"), advisor_file("W2", 14, "接车单"), advisor_file("W3", 16, "接车单")]
    [d] = fines(files)
    assert steps(d) == [("W1", 1, Decimal(1), Decimal(20)), ("W2", 2, Decimal(1), Decimal(20)), ("W3", 3, Decimal(2), Decimal(40))]
    cut = d.outcome["performance_cut"]
    assert cut == {"permitted": True, "range": [Decimal("0.10"), Decimal("0.30")], "decided_by": "经理视情况决定"}
    assert "经理可视情况扣罚当月绩效工资10%—30%" in d.explanation


def test_two_violations_of_an_advisor_permit_no_pay_cut():
    [d] = fines([advisor_file("W1", 12, "接车单"), advisor_file("W2", 14, "接车单")])
    assert d.outcome["fine_total"] == Decimal(40) and d.outcome["performance_cut"]["permitted"] is False


def test_one_file_with_several_defects_is_one_violation_by_default_or_several():
    row = skoda_service(code="W1", delivered_at="2026-10-12 10:00", submitted_at="2026-10-12 17:00")
    drop_doc(row, "接车单")
    drop_doc(row, "12项免费检查表")
    [d] = fines([load(row), advisor_file("W2", 14, "接车单")])
    assert steps(d) == [("W1", 1, Decimal(1), Decimal(40)), ("W2", 2, Decimal(1), Decimal(20))]
    [d] = fines([load(row), advisor_file("W2", 14, "接车单")], overrides={"skoda_violation_unit": "item"})
    assert steps(d) == [("W1", 1, Decimal(1), Decimal(20)), ("W1", 2, Decimal(1), Decimal(20)), ("W2", 3, Decimal(2), Decimal(40))]


def test_a_repeat_fine_is_the_same_amount_and_does_not_count_by_default():
    # W1 ordered to correct on 13 October, corrected on the 15th: not corrected by the end of the 14th -> one repeat fine.
    w1 = advisor_file("W1", 12, "接车单", returned_at="2026-10-13 10:00", resubmitted_at="2026-10-15 09:00")
    [d] = fines([w1, advisor_file("W2", 20, "接车单"), advisor_file("W3", 21, "接车单")])
    assert steps(d) == [("W1", 1, Decimal(1), Decimal(20)), ("W1", None, Decimal(1), Decimal(20)),
                        ("W2", 2, Decimal(1), Decimal(20)), ("W3", 3, Decimal(2), Decimal(40))]
    assert "W1(10月14日)逾期未改正再罚20元(同额,不计次数)" in d.explanation
    # read as a new violation (视同再次违规) it counts, and the third penalised violation is already W1's repeat
    [d] = fines([w1, advisor_file("W2", 20, "接车单"), advisor_file("W3", 21, "接车单")], overrides={"skoda_refine_reading": "new_violation"})
    assert steps(d) == [("W1", 1, Decimal(1), Decimal(20)), ("W1", 2, Decimal(1), Decimal(20)),
                        ("W2", 3, Decimal(2), Decimal(40)), ("W3", 4, Decimal(2), Decimal(40))]


def test_a_repeat_fine_of_a_doubled_violation_is_doubled_too():
    files = [advisor_file("W1", 12, "接车单"), advisor_file("W2", 13, "接车单"),
             advisor_file("W3", 14, "接车单", returned_at="2026-10-15 10:00", resubmitted_at="2026-10-19 09:00")]
    [d] = fines(files)
    # the repeat fines: not corrected by the end of 16 October (limit) -> repeat on 16th; by the end of 17th? Saturday is no working day.
    assert steps(d)[2:] == [("W3", 3, Decimal(2), Decimal(40)), ("W3", None, Decimal(2), Decimal(40))]


def test_lateness_is_not_repeated_only_the_uncorrected_items():
    w = advisor_file("W1", 9, "接车单", returned_at="2026-10-12 10:00", resubmitted_at="2026-10-14 09:00")
    w.submitted_at = w.submitted_at.replace(day=13)  # late (due 10 October) and incomplete
    [d] = fines([w])
    assert [(v["kind"], v["amount"]) for v in d.outcome["violations"]] == [("file", Decimal(70)), ("refine", Decimal(20))]


def test_the_earlier_violations_of_the_month_come_from_history_not_a_replay():
    first_week = [consultant_file("K1", 12, unsigned=True)]
    [earlier] = fines(first_week)
    earlier.decision_id = 41
    later = [consultant_file("K2", 20, unsigned=True)]
    [d] = fines(later, history=history(earlier))
    assert steps(d) == [("K1", 1, Decimal(1), Decimal(20)), ("K2", 2, Decimal(2), Decimal(40))]
    assert d.outcome["violations"][0]["decided_in"] == 41 and d.outcome["new_fine_total"] == Decimal(40)
    assert "其中1次已在决策#41中处罚" in d.explanation and "本次新增40元" in d.explanation


def test_rerunning_the_same_files_decides_the_same_ladder():
    files = [consultant_file("K1", 12, unsigned=True), consultant_file("K2", 13, late=True)]
    [first] = fines(files)
    first.decision_id = 7
    [again] = fines(files, history=history(first))
    assert steps(again) == steps(first) and again.outcome["new_fine_total"] == Decimal(0)
    assert again.outcome["fine_total"] == first.outcome["fine_total"] == Decimal(120)


def test_an_earlier_violation_keeps_its_number_even_when_a_later_run_finds_an_earlier_date():
    [earlier] = fines([consultant_file("K2", 20, unsigned=True)])
    earlier.decision_id = 3
    [d] = fines([consultant_file("K1", 12, unsigned=True)], history=history(earlier))
    assert steps(d) == [("K2", 1, Decimal(1), Decimal(20)), ("K1", 2, Decimal(2), Decimal(40))]


def test_other_months_and_other_people_are_apart():
    files = [consultant_file("K1", 12, unsigned=True), consultant_file("K2", 13, unsigned=True, person="C202"),
             load(skoda_sales(code="K3", delivered_at="2026-09-21 10:00", submitted_at="2026-09-22 09:00") | {}), ]
    drop = skoda_sales(code="K4", delivered_at="2026-09-21 10:00", submitted_at="2026-09-22 09:00")
    drop_sig(drop, "交车检查表", "客户")
    decisions = fines(files + [load(drop)])
    assert sorted((d.subject_id, d.outcome["fine_total"]) for d in decisions) == [("C201@2026-10", Decimal(20)), ("C202@2026-10", Decimal(20))]
    [september] = fines(files + [load(drop)], month="2026-09")
    assert september.subject_id == "C201@2026-09"


def test_a_lost_file_is_the_violation_of_whoever_lost_it():
    row = skoda_service(code="W1", delivered_at="2026-10-12 10:00", submitted_at="2026-10-12 17:00", damage="毁损", damaged_on="2026-10-30",
                        damaged_by="K009")
    [d] = fines([load(row)])
    assert d.subject_id == "K009@2026-10" and d.outcome["fine_total"] == Decimal(20)
    assert "不在五.6翻倍之列" in d.explanation


def test_an_overdue_file_is_fined_for_lateness_on_the_first_late_day():
    row = skoda_sales(code="K1", delivered_at="2026-10-12 10:00", submitted_at=None)
    [d] = fines([load(row)])
    assert d.outcome["violations"][0]["date"] == date(2026, 10, 16) and d.outcome["fine_total"] == Decimal(50)


def test_the_doubling_thresholds_and_factor_are_parameters():
    files = [consultant_file("K1", 12, unsigned=True), consultant_file("K2", 13, unsigned=True)]
    [d] = fines(files, overrides={"skoda_doubling_from": {"sales_consultant": 3, "service_advisor": 3}})
    assert d.outcome["fine_total"] == Decimal(40)


def test_faw_kpi_points_not_configured_until_the_profile_sets_them():
    row = faw_sales()
    row["documents"][0]["blank_items"] = "1"
    [d] = run("vehicle-fines", [load(row)], options={"month": "2026-10"})
    assert d.rule_id == "autodealer.faw_kpi" and d.outcome["status"] == "not_configured"
    assert d.outcome["kpi_points_total"] == Decimal(0) and d.outcome["not_configured"] == ["unqualified_file"]
    assert "faw_kpi_points_unqualified_file" in d.explanation
    [d] = run("vehicle-fines", [load(row)], options={"month": "2026-10"}, overrides={"faw_kpi_points_unqualified_file": "2"})
    assert d.outcome["status"] == "decided" and d.outcome["kpi_points_total"] == Decimal(2)


def test_faw_late_correction_unchanged_return_and_favouritism():
    late = faw_service(code="F1", returned_at="2026-10-15 09:00", resubmitted_at="2026-10-16 09:30", resubmitted_unchanged="是", favouritism="是")
    late["documents"][0]["blank_items"] = "1"
    decisions = run("vehicle-fines", [load(late)], options={"month": "2026-10"}, overrides={"faw_kpi_points_unqualified_file": "1"})
    by = {d.subject_id: d for d in decisions}
    advisor, archivist = by["A101@2026-10"], by["K001@2026-10"]
    assert [r["item"] for r in advisor.outcome["items"]] == ["favouritism", "unqualified_file", "late_correction", "unchanged_return"]
    assert advisor.outcome["kpi_points_total"] == Decimal(3) and advisor.outcome["fine_total"] == Decimal(10)
    assert archivist.outcome["fine_total"] == Decimal(10) and archivist.outcome["kpi_points_total"] == Decimal(0)


def test_the_month_must_have_begun():
    with pytest.raises(Exception, match="has not begun"):
        fines([], month="2026-12")
