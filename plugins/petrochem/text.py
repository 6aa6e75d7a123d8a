"""Formatting facts for Chinese explanations: tonnages, rates, dates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal


def tonnes(value: Decimal) -> str:
    """``1000`` not ``1E+3``; ``999.999`` as is; trailing zeros dropped (``1200.500`` -> ``1200.5``)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(rate: Decimal) -> str:
    """``0.9000`` -> ``90%``; ``0.855`` -> ``85.5%``."""
    return tonnes(rate * 100) + "%"


def day(value: date | datetime) -> str:
    """``2026-02-14`` -> ``2026年2月14日``; a datetime also shows the minute."""
    text = f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, datetime):
        text += f"{value.hour:02d}:{value.minute:02d}"
    return text


def customer_label(name: str | None, code: str) -> str:
    """How an explanation names a customer: its name, then its code in brackets
    (``沧州塑业有限公司(HB001)``; without a name ``客户(HB001)``), so that a code never runs into the
    figure or date after it ("PC-0552026年1月1日")."""
    name = (name or "").strip()
    return f"{name if name and name != code else '客户'}({code})"
