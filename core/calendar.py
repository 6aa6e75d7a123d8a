"""The Chinese working-day calendar: statutory holidays and make-up workdays (调休) from the
``chinesecalendar`` package, plus the company's own overrides from its profile.

A year the package does not cover yet is not a crash: the calendar warns once per year and falls
back to Monday-Friday for that year, and every answer says whether it came from the fallback.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from typing import Iterable

import chinese_calendar


class CalendarCoverageWarning(UserWarning):
    """A date fell in a year the holiday data does not cover; weekends-only was used."""


class WorkCalendar:
    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()) -> None:
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        overlap = self.extra_holidays & self.extra_workdays
        if overlap:
            days = ", ".join(sorted(d.isoformat() for d in overlap))
            raise ValueError(f"dates listed both as company holiday and company workday: {days}")
        self.uncovered_years: set[int] = set()
        self._cache: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        if day in self.extra_workdays:
            result = True
        elif day in self.extra_holidays:
            result = False
        elif day.year in self.uncovered_years:
            result = day.weekday() < 5
        else:
            try:
                result = chinese_calendar.is_workday(day)
            except NotImplementedError:
                self._fall_back(day.year)
                result = day.weekday() < 5
        if len(self._cache) > 200_000:  # a long span (a complaint resolved decades later) must not grow memory
            self._cache.clear()
        self._cache[day] = result
        return result

    def _fall_back(self, year: int) -> None:
        # One warning per calendar (per run), however many years a long span crosses; the run
        # records every fallen-back year in its calendar fingerprint.
        if not self.uncovered_years:
            warnings.warn(
                f"法定节假日数据未覆盖{year}年(chinesecalendar {chinese_calendar.__version__}),"
                f"该年及其后未覆盖的年份按周一至周五为工作日计算;请升级 chinesecalendar 或在企业配置中补充节假日。",
                CalendarCoverageWarning,
                stacklevel=3,
            )
        self.uncovered_years.add(year)

    def holiday_name(self, day: date) -> str | None:
        """The statutory holiday's name (e.g. 'Spring Festival') or None."""
        if day in self.extra_holidays:
            return "company holiday"
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        return name if on_holiday and name else None

    def is_fallback(self, day: date) -> bool:
        return day.year in self.uncovered_years

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day strictly after ``start`` (n >= 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day = start
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days have elapsed after ``start``."""
        if end <= start:
            return 0
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count
