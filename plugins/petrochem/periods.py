"""Review periods (第十六条: 季度、半年、全年评审): ``2026Q3``, ``2026H1``, ``2026``, ``2026-07``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from marshmallow import ValidationError

from ...core.fields import Month

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-?H([12])$")
_YEAR = re.compile(r"^(\d{4})$")

_CN_NUMBERS = "一二三四"

# 第十六条: quarterly results (and the monthly allocation) go to the company's operating meeting,
# yearly results to the product-distribution company's general manager's office meeting. The text
# names no audience for half-yearly results; we read them as the quarterly ones (经营例会).
REPORT_TO = {
    "month": "公司经营例会",
    "quarter": "公司经营例会",
    "half": "公司经营例会",
    "year": "产品经销公司总经理办公会",
}


@dataclass(frozen=True, slots=True)
class Period:
    code: str
    kind: str  # month | quarter | half | year
    months: tuple[str, ...]
    label_zh: str

    @property
    def report_to(self) -> str:
        return REPORT_TO[self.kind]


def _months(year: int, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{year:04d}-{m:02d}" for m in range(first, last + 1))


def parse_period(text: str) -> Period:
    """Parse a review period; raises ValueError naming the accepted forms."""
    code = text.strip().upper()
    if m := _QUARTER.match(code):
        year, q = int(m[1]), int(m[2])
        return Period(f"{year}Q{q}", "quarter", _months(year, 3 * q - 2, 3 * q), f"{year}年第{_CN_NUMBERS[q - 1]}季度")
    if m := _HALF.match(code):
        year, h = int(m[1]), int(m[2])
        return Period(f"{year}H{h}", "half", _months(year, 6 * h - 5, 6 * h), f"{year}年{'上' if h == 1 else '下'}半年")
    if m := _YEAR.match(code):
        year = int(m[1])
        return Period(str(year), "year", _months(year, 1, 12), f"{year}年度")
    month_code = parse_month(text)
    if month_code is not None:
        year, month = int(month_code[:4]), int(month_code[5:])
        return Period(month_code, "month", _months(year, month, month), f"{year}年{month}月")
    raise ValueError(f"'{text}' is not a review period; use 2026Q3, 2026H1, 2026 or a month (2026-07, 2026年7月)")


def parse_month(text: str) -> str | None:
    """A month as the record kinds read one (``2026-07``, ``2026/7``, ``2026年7月``) -> ``2026-07``;
    None when the text is no month. One parser for records and options alike."""
    try:
        return Month().deserialize(text)
    except ValidationError:
        return None


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(month: str) -> str:
    """``2026-01`` -> ``2025-12``."""
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1:04d}-12" if mon == 1 else f"{year:04d}-{mon - 1:02d}"


def month_label(month: str) -> str:
    """``2026-07`` -> ``2026年7月``."""
    year, mon = month.split("-")
    return f"{year}年{int(mon)}月"
