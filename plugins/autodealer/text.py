"""Chinese renderings of dates, times, money and rates in explanations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal


def day(value: date | datetime | None) -> str:
    if value is None:
        return "(未登记)"
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def short_day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.month}月{value.day}日"


def moment(value: datetime | None) -> str:
    if value is None:
        return "(未登记)"
    return f"{day(value)}{value:%H:%M}"


def month_label(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:])}月"


def yuan(amount: Decimal) -> str:
    """50 -> 50元, 12.5 -> 12.50元 (exact; never a float)."""
    if amount == amount.to_integral_value():
        return f"{amount.quantize(Decimal(1))}元"
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}元"


def number(value: Decimal) -> str:
    """A Decimal as written, without a trailing exponent (2E+1 -> 20)."""
    text = format(value.normalize(), "f")
    return text


def points(value: Decimal) -> str:
    return f"{number(value)}分"


def percent(rate: Decimal) -> str:
    """0.9876 -> 98.76% (half up)."""
    return f"{(rate * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"
