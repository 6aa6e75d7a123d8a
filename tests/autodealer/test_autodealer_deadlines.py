"""Hand-in deadlines on the working-day calendar: across National Day 2026 (1-7 October) and the
make-up Saturday (10 October), the company's own days, FAW-VW's Monday and 10:00, Skoda's 3 and 1
working days; the corrections (24 hours; 1 working day, then a repeat fine per working day)."""

from datetime import date, datetime

import pytest

from autodealer_files import AS_OF, audit, codes, faw_sales, faw_service, load, skoda_sales, skoda_service
from zhidu.core.calendar import WorkCalendar
from zhidu.plugins.autodealer.deadlines import faw_correction, hand_in, skoda_correction
from zhidu.plugins.autodealer.params import SPEC

FAW = SPEC.resolve("faw_vw")
SKODA = SPEC.resolve("skoda")
CAL = WorkCalendar()


def due(row, policy, params, cal=CAL, as_of=AS_OF):
    return hand_in(load(row), policy, params, cal, as_of)


# --- FAW-VW sales: every Monday ----------------------------------------------------------------

@pytest.mark.parametrize("delivered, expected", [
    ("2026-10-12 16:00", date(2026, 10, 19)),   # a Monday delivery goes in the next Monday's batch
    ("2026-10-18 16:00", date(2026, 10, 19)),   # Sunday -> the next day
    ("2026-09-28 15:00", date(2026, 10, 8)),    # Monday 5 October is National Day: the next working day, Thursday 8 October
    ("2026-09-30 15:00", date(2026, 10, 8)),
])
def test_faw_sales_files_every_monday(delivered, expected):
    d = due(faw_sales(delivered_at=delivered, submitted_at=None), "faw_vw", FAW)
    assert d.due_day == expected


def test_faw_sales_late_and_on_time_at_the_day_boundary():
    assert audit(faw_sales(submitted_at="2026-10-19 23:59")).outcome["deadline"]["status"] == "on_time"
    d = audit(faw_sales(submitted_at="2026-10-20 08:00"))
    assert d.outcome["status"] == "late" and codes(d, "late") == ["faw_sales_deadline"]
    assert d.outcome["deadline"]["late_working_days"] == 1
    assert "应于其后第一个周一2026年10月19日交至客服部,实际2026年10月20日08:00上交,逾期1个工作日" in d.explanation


def test_faw_sales_with_a_promise_signed_by_the_sales_manager():
    row = faw_sales(submitted_at="2026-10-22 09:00", promised_on="2026-10-23", delay_approved_by="高峰")
    assert audit(row).outcome["status"] == "qualified"
    row["delay_approved_by"] = None  # a promise without the manager's signature does not count
    assert audit(row).outcome["status"] == "late"


def test_faw_sales_not_yet_invoiced_is_not_due():
    d = audit(faw_sales(submitted_at=None, status="未开发票"))
    assert d.outcome["status"] == "not_submitted" and d.outcome["deadline"]["status"] == "not_due"


def test_an_unsubmitted_file_is_pending_then_overdue():
    row = faw_sales(submitted_at=None)
    assert audit(row, as_of=date(2026, 10, 19)).outcome["deadline"]["status"] == "pending"
    d = audit(row, as_of=date(2026, 10, 20))
    assert d.outcome["deadline"]["status"] == "overdue" and d.outcome["status"] == "not_submitted"
    assert codes(d, "late") == ["faw_sales_deadline"]


# --- FAW-VW service: 10:00 of the next working day -----------------------------------------------

@pytest.mark.parametrize("submitted, status", [("2026-10-14 09:59", "on_time"), ("2026-10-14 10:00", "on_time"), ("2026-10-14 10:01", "late")])
def test_faw_service_by_ten_exactly_ten_counts_as_on_time(submitted, status):
    assert audit(faw_service(submitted_at=submitted)).outcome["deadline"]["status"] == status


def test_exactly_ten_is_late_when_the_dealer_reads_before_strictly():
    d = audit(faw_service(submitted_at="2026-10-14 10:00"), overrides={"faw_service_cutoff_inclusive": False})
    assert d.outcome["deadline"]["status"] == "late"


def test_faw_service_across_national_day_and_on_the_make_up_saturday():
    # handed over on 30 September: next working day 8 October
    assert due(faw_service(delivered_at="2026-09-30 17:00"), "faw_vw", FAW).due_at == datetime(2026, 10, 8, 10, 0)
    # handed over on Friday 9 October: the make-up Saturday 10 October is a working day
    assert due(faw_service(delivered_at="2026-10-09 17:00"), "faw_vw", FAW).due_at == datetime(2026, 10, 10, 10, 0)
    # a company day off moves it on
    company = WorkCalendar(extra_holidays=[date(2026, 10, 10)])
    assert due(faw_service(delivered_at="2026-10-09 17:00"), "faw_vw", FAW, company).due_at == datetime(2026, 10, 12, 10, 0)


def test_faw_service_in_repair_or_unsettled_is_not_due():
    for status in ("在修", "未结算"):
        assert due(faw_service(status=status, submitted_at=None), "faw_vw", FAW).status == "not_due"


def test_a_date_only_hand_in_is_noted():
    d = audit(faw_service(submitted_at="2026-10-14"))
    assert d.outcome["deadline"]["status"] == "on_time" and codes(d, "notice") == ["faw_service_deadline"]


# --- Skoda: 3 and 1 working days -------------------------------------------------------------------

@pytest.mark.parametrize("delivered, expected", [
    ("2026-09-29 10:00", date(2026, 10, 9)),    # 30 Sep, 8 Oct, 9 Oct: across National Day
    ("2026-10-08 10:00", date(2026, 10, 12)),   # 9 Oct, the make-up Saturday 10 Oct, 12 Oct
    ("2026-10-12 10:00", date(2026, 10, 15)),
])
def test_skoda_new_car_files_within_3_working_days(delivered, expected):
    assert due(skoda_sales(delivered_at=delivered), "skoda", SKODA).due_day == expected


def test_skoda_sales_deadline_from_the_sale_when_the_dealer_reads_it_so():
    row = skoda_sales(sold_on="2026-10-08", delivered_at="2026-10-12 10:00")
    assert due(row, "skoda", SKODA).due_day == date(2026, 10, 15)
    assert due(row, "skoda", SPEC.resolve("skoda", {"skoda_sales_deadline_from": "sale"})).due_day == date(2026, 10, 12)


@pytest.mark.parametrize("delivered, expected", [
    ("2026-09-30 16:00", date(2026, 10, 8)),    # across National Day
    ("2026-10-09 16:00", date(2026, 10, 10)),   # the make-up Saturday
    ("2026-10-10 16:00", date(2026, 10, 12)),
])
def test_skoda_service_files_within_1_working_day(delivered, expected):
    assert due(skoda_service(delivered_at=delivered), "skoda", SKODA).due_day == expected


def test_skoda_late_hand_in_is_fined_50_per_visit():
    d = audit(skoda_service(delivered_at="2026-10-09 16:00", submitted_at="2026-10-12 09:00"))
    assert d.outcome["status"] == "late" and d.outcome["base_fine_total"] == 50
    assert d.outcome["deadline"]["late_working_days"] == 1
    d = audit(skoda_sales(delivered_at="2026-10-08 10:00", submitted_at="2026-10-12 18:00"))
    assert d.outcome["status"] == "qualified"


# --- corrections --------------------------------------------------------------------------------

@pytest.mark.parametrize("back, status", [("2026-10-16 09:00", "on_time"), ("2026-10-16 09:01", "late")])
def test_faw_corrections_within_24_hours_exactly_24_passes(back, status):
    row = faw_service(returned_at="2026-10-15 09:00", resubmitted_at=back)
    assert faw_correction(load(row), FAW, CAL, AS_OF).status == status
    d = audit(row)
    assert ("faw_correction" in codes(d, "late")) is (status == "late")
    assert d.outcome["kpi_points"]["late_correction"] == (1 if status == "late" else 0)


def test_faw_correction_over_the_holiday_on_the_working_clock():
    row = load(faw_service(returned_at="2026-09-30 16:00", resubmitted_at="2026-10-08 09:00"))
    assert faw_correction(row, FAW, CAL, AS_OF).status == "late"
    working = SPEC.resolve("faw_vw", {"faw_correction_clock": "working"})
    fix = faw_correction(row, working, CAL, AS_OF)
    assert fix.status == "on_time" and fix.due_at == datetime(2026, 10, 8, 16, 0)


def test_faw_correction_excused_by_the_service_manager():
    row = load(faw_service(returned_at="2026-10-15 09:00", resubmitted_at="2026-10-19 09:00", correction_approved_by="郑经理"))
    assert faw_correction(row, FAW, CAL, AS_OF).status == "excused"


def test_skoda_repeat_violations_one_per_working_day_uncorrected():
    row = load(skoda_service(returned_at="2026-09-30 10:00", resubmitted_at="2026-10-09 11:00"))
    fix = skoda_correction(row, SKODA, CAL, AS_OF)
    # limit 8 October (the next working day after 30 September); not corrected by its end: repeat on the 8th; corrected on the 9th.
    assert fix.status == "late" and fix.refine_days == (date(2026, 10, 8),)
    row = load(skoda_service(returned_at="2026-10-08 10:00"))
    fix = skoda_correction(row, SKODA, CAL, date(2026, 10, 13))
    assert fix.status == "overdue" and fix.refine_days == (date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 12))
    row = load(skoda_service(returned_at="2026-10-08 10:00", resubmitted_at="2026-10-09 17:00"))
    assert skoda_correction(row, SKODA, CAL, AS_OF).status == "on_time"
