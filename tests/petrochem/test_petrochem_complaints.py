"""第十二条: complaint handlers and due dates on the real Chinese working-day calendar."""

import json
import warnings
from datetime import date, datetime, timedelta, timezone

import pytest

from zhidu.core.calendar import CalendarCoverageWarning, WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.plugins.petrochem.records import Complaint
from zhidu.plugins.petrochem.complaints import route
from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.rules import DOC, DOC_YOUPIN
from zhidu.testing import decide

P = SPEC.resolve()
AS_OF = date(2026, 12, 1)


def complaint(received, severity="general", special=False, resolved=None, code="K1"):
    return Complaint(code, "C001", received, severity, special, resolved_at=resolved)


def due(received, severity="general", special=False, params=P, calendar=None):
    decision = route(complaint(received, severity, special), params, calendar or WorkCalendar(), AS_OF)
    return decision.outcome["due_at"], decision


@pytest.mark.parametrize(
    "received, severity, special, due_day",
    [
        # Spring Festival 2026: holiday 15-23 Feb, make-up Saturdays 14 and 28 Feb.
        (datetime(2026, 2, 13, 16, 0), "general", False, date(2026, 2, 14)),  # make-up Saturday counts
        (datetime(2026, 2, 14, 10, 0), "general", False, date(2026, 2, 24)),  # skips the whole holiday
        (datetime(2026, 2, 12, 9, 0), "major", False, date(2026, 2, 24)),  # 13, 14, 24 Feb
        (datetime(2026, 2, 12, 9, 0), "major", True, date(2026, 2, 28)),  # 13,14,24,25,26,27,28(Sat)
        (datetime(2026, 2, 12, 9, 0), "serious", False, date(2026, 2, 24)),
        # National Day 2026: holiday 1-7 Oct, make-up Saturday 10 Oct, make-up Sunday 20 Sep.
        (datetime(2026, 9, 30, 11, 0), "general", False, date(2026, 10, 8)),
        (datetime(2026, 9, 30, 11, 0), "major", False, date(2026, 10, 10)),  # 8, 9, 10(Sat)
        (datetime(2026, 9, 30, 11, 0), "major", True, date(2026, 10, 15)),  # 8,9,10,12,13,14,15
        (datetime(2026, 9, 19, 11, 0), "general", False, date(2026, 9, 20)),  # make-up Sunday
        # Spring Festival 2025: make-up Sunday 26 Jan and Saturday 8 Feb.
        (datetime(2025, 1, 25, 9, 0), "general", False, date(2025, 1, 26)),
        (datetime(2025, 1, 27, 9, 0), "general", False, date(2025, 2, 5)),
        (datetime(2025, 2, 7, 9, 0), "general", False, date(2025, 2, 8)),
        # An ordinary week: Friday -> Monday.
        (datetime(2026, 3, 6, 15, 0), "general", False, date(2026, 3, 9)),
    ],
)
def test_due_dates_across_holidays_and_make_up_days(received, severity, special, due_day):
    due_at, decision = due(received, severity, special)
    assert due_at == datetime.combine(due_day, P["end_of_day"])
    assert decision.outcome["due_date"] == due_day
    assert decision.outcome["calendar_fallback"] is False


def test_explanation_names_the_holiday_and_make_up_day():
    _, d = due(datetime(2026, 2, 12, 9, 0), "major", True)
    assert d.outcome["holidays_crossed"] == ["春节"]
    assert d.outcome["makeup_workdays"] == [date(2026, 2, 14), date(2026, 2, 28)]
    assert "春节" in d.explanation and "2月14日、2月28日为调休上班日" in d.explanation
    assert "2026年2月28日23:59" in d.explanation and "C001" in d.explanation


def test_general_complaint_goes_to_sales_with_supervisor_approval():
    _, d = due(datetime(2026, 3, 2, 9, 0))
    assert d.rule_id == "petrochem.complaint_general"
    assert d.citation.document == DOC and "第十二条" in d.citation.clause
    assert d.outcome["handler"] == "销售部" and d.outcome["approver"] == "主管领导"
    assert d.outcome["special_meeting"] is False and d.outcome["working_days"] == 1 and d.outcome["track"] == "general"


@pytest.mark.parametrize("severity", ["major", "serious", "较大", "严重"])
def test_major_and_serious_go_to_the_general_managers_meeting(severity):
    _, d = due(datetime(2026, 3, 2, 9, 0), severity)
    assert d.rule_id == "petrochem.complaint_major"
    assert d.outcome["handler"] == "总经理专题会议" and d.outcome["special_meeting"] is True
    assert d.outcome["approver"] is None and d.outcome["working_days"] == 3


def test_special_approval_extends_a_major_complaint_to_seven_days():
    _, d = due(datetime(2026, 3, 2, 9, 0), "major", True)
    assert d.rule_id == "petrochem.complaint_special_approval"
    assert d.outcome["working_days"] == 7 and d.outcome["track"] == "major_extended"
    assert d.outcome["due_date"] == date(2026, 3, 11)


def test_special_approval_does_not_extend_a_general_complaint():
    _, d = due(datetime(2026, 3, 2, 9, 0), "general", True)
    assert d.rule_id == "petrochem.complaint_general"
    assert d.outcome["working_days"] == 1 and d.outcome["special_approval_applied"] is False
    assert "时限不延长" in d.explanation


def test_unknown_severity_is_handled_as_general_and_said_so():
    _, d = due(datetime(2026, 3, 2, 9, 0), "紧急")
    assert d.outcome["severity"] == "general" and "无法识别" in d.explanation


def test_year_not_covered_warns_and_falls_back_to_weekdays():
    calendar = WorkCalendar()
    with pytest.warns(CalendarCoverageWarning, match="2027"):
        due_at, d = due(datetime(2027, 1, 8, 10, 0), calendar=calendar)  # Friday
    assert due_at.date() == date(2027, 1, 11)  # Monday
    assert d.outcome["calendar_fallback"] is True
    assert "2027年法定节假日数据缺失" in d.explanation


def test_window_from_a_covered_into_an_uncovered_year_does_not_crash():
    with pytest.warns(CalendarCoverageWarning):
        due_at, d = due(datetime(2026, 12, 31, 10, 0), "major")
    # 1 Jan 2027 is a weekday under the fallback: 1, 4, 5 January.
    assert due_at.date() == date(2027, 1, 5)
    assert d.outcome["calendar_fallback"] is True


def test_covered_year_sets_no_fallback_even_after_an_uncovered_one():
    calendar = WorkCalendar()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalendarCoverageWarning)
        due(datetime(2027, 3, 1, 10, 0), calendar=calendar)
    _, d = due(datetime(2026, 3, 2, 10, 0), calendar=calendar)
    assert d.outcome["calendar_fallback"] is False


def test_company_holiday_and_workday_overrides():
    received = datetime(2026, 2, 14, 10, 0)
    assert due(received, calendar=WorkCalendar(extra_holidays=[date(2026, 2, 24)]))[0].date() == date(2026, 2, 25)
    assert due(received, calendar=WorkCalendar(extra_workdays=[date(2026, 2, 21)]))[0].date() == date(2026, 2, 21)


def test_same_time_reading():
    p = SPEC.resolve(overrides={"due_reading": "same_time"})
    due_at, _ = due(datetime(2026, 3, 2, 10, 30), params=p)
    assert due_at == datetime(2026, 3, 3, 10, 30)
    # received on a Saturday: the clock starts on Monday, so the limit is Monday's end
    due_at, _ = due(datetime(2026, 3, 7, 10, 30), params=p)
    assert due_at == datetime.combine(date(2026, 3, 9), p["end_of_day"])


def test_office_hours_end_of_day():
    p = SPEC.resolve(overrides={"end_of_day": "17:30:00"})
    assert due(datetime(2026, 3, 2, 10, 30), params=p)[0] == datetime(2026, 3, 3, 17, 30)


def test_time_zone_is_kept():
    tz = timezone(timedelta(hours=8))
    due_at, d = due(datetime(2026, 3, 2, 10, 30, tzinfo=tz))
    assert due_at.tzinfo == tz
    json.dumps(d.outcome, default=str)


@pytest.mark.parametrize(
    "resolved, as_of, status, overdue",
    [
        (datetime(2026, 3, 3, 23, 59, 59), AS_OF, "resolved_on_time", False),  # exactly at the limit
        (datetime(2026, 3, 4, 0, 0, 0), AS_OF, "resolved_late", True),
        (None, date(2026, 3, 3), "open", False),  # on the due day itself
        (None, date(2026, 3, 4), "open_overdue", True),
    ],
)
def test_overdue(resolved, as_of, status, overdue):
    d = route(complaint(datetime(2026, 3, 2, 9, 0), resolved=resolved), P, WorkCalendar(), as_of)
    assert d.outcome["status"] == status and d.outcome["overdue"] is overdue
    assert ("已超期" in d.explanation) is overdue


def test_elapsed_working_days_of_a_resolved_complaint():
    d = route(complaint(datetime(2026, 2, 13, 9, 0), resolved=datetime(2026, 2, 24, 9, 0)), P, WorkCalendar(), AS_OF)
    assert d.outcome["elapsed_working_days"] == 2  # 14 Feb (make-up Saturday) and 24 Feb
    assert d.outcome["overdue"] is True


def test_youpin_preset_routes_to_the_managers_office_meeting():
    p = SPEC.resolve("youpin")
    _, d = due(datetime(2026, 3, 2, 9, 0), "serious", params=p)
    assert d.outcome["handler"] == "经理办公会专题会议"
    assert d.citation.document == DOC_YOUPIN and "第十一条" in d.citation.clause
    assert d.rule_id == "petrochem.youpin_complaint_major"
    _, d = due(datetime(2026, 3, 2, 9, 0), "general", params=p)
    assert d.outcome["handler"] == "企业发展部" and d.rule_id == "petrochem.youpin_complaint_general"


def test_youpin_special_approval_extends_a_major_complaint_to_seven_working_days_not_a_general_one():
    p = SPEC.resolve("youpin")
    due_at, d = due(datetime(2026, 3, 2, 9, 0), "major", special=True, params=p)
    assert d.rule_id == "petrochem.youpin_complaint_special_approval" and d.citation.clause == "第十一条(三)"
    assert due_at == datetime(2026, 3, 11, 23, 59, 59) and d.outcome["working_days"] == 7
    due_at, d = due(datetime(2026, 3, 2, 9, 0), "general", special=True, params=p)
    assert d.rule_id == "petrochem.youpin_complaint_general" and due_at == datetime(2026, 3, 3, 23, 59, 59)


def test_through_the_hook_decisions_are_stamped_and_serialisable():
    context = DecisionContext(company="t", as_of=date(2026, 3, 10), calendar=WorkCalendar(), params={"petrochem": P})
    records = [complaint(datetime(2026, 3, 2, 9, 0), code="K1"), complaint(datetime(2026, 3, 9, 9, 0), code="K2")]
    decisions = decide(["petrochem"], "route", records, context)
    assert [d.outcome["overdue"] for d in decisions] == [True, False]
    for d in decisions:
        row = d.to_dict()
        json.dumps(row, ensure_ascii=False)
        assert row["plugin"] == "petrochem" and row["outcome"]["due_at"].startswith("2026-03-")
