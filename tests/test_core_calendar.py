"""The working-day calendar: statutory holidays, make-up workdays, company overrides, uncovered years."""

import warnings
from datetime import date

import pytest

from zhidu.core.calendar import CalendarCoverageWarning, WorkCalendar


def test_spring_festival_2026_holiday_and_makeup_workdays():
    cal = WorkCalendar()
    # 2026 Spring Festival: 15-23 Feb off; Sat 14 Feb and Sat 28 Feb are make-up workdays.
    assert cal.is_workday(date(2026, 2, 14)) is True  # Saturday, but a make-up workday
    assert all(not cal.is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert cal.is_workday(date(2026, 2, 28)) is True
    assert cal.holiday_name(date(2026, 2, 17)) == "Spring Festival"


def test_add_working_days_skips_national_day_and_counts_makeup_saturday():
    cal = WorkCalendar()
    # 2026 National Day: 1-7 Oct off; Sun 20 Sep and Sat 10 Oct are make-up workdays; 25 Sep is Mid-Autumn.
    assert cal.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)  # the make-up Saturday counts
    assert cal.add_working_days(date(2026, 9, 19), 1) == date(2026, 9, 20)   # make-up Sunday
    assert cal.add_working_days(date(2026, 9, 24), 1) == date(2026, 9, 28)   # Mid-Autumn Friday and weekend


def test_plain_weekend_is_not_a_workday():
    cal = WorkCalendar()
    assert cal.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Fri -> Mon


def test_company_overrides_win_over_statutory_calendar():
    cal = WorkCalendar(extra_holidays=[date(2026, 11, 23)], extra_workdays=[date(2026, 11, 21)])
    assert cal.is_workday(date(2026, 11, 21)) is True   # company Saturday shift
    assert cal.is_workday(date(2026, 11, 23)) is False  # company day off
    assert cal.add_working_days(date(2026, 11, 20), 2) == date(2026, 11, 24)


def test_same_day_as_holiday_and_workday_is_refused():
    with pytest.raises(ValueError, match="2026-11-23"):
        WorkCalendar(extra_holidays=[date(2026, 11, 23)], extra_workdays=[date(2026, 11, 23)])


def test_uncovered_year_warns_once_and_falls_back_to_weekdays():
    cal = WorkCalendar()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert cal.is_workday(date(2027, 1, 1)) is True  # Friday: fallback knows no New Year's Day
        assert cal.is_workday(date(2027, 1, 2)) is False  # Saturday
        assert cal.is_workday(date(2027, 1, 4)) is True
    coverage = [w for w in caught if issubclass(w.category, CalendarCoverageWarning)]
    assert len(coverage) == 1 and "2027" in str(coverage[0].message)
    assert cal.is_fallback(date(2027, 3, 1)) and not cal.is_fallback(date(2026, 3, 1))


def test_working_days_between_counts_after_start_up_to_end():
    cal = WorkCalendar()
    assert cal.working_days_between(date(2026, 11, 20), date(2026, 11, 20)) == 0
    assert cal.working_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 1
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
