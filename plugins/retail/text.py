"""Facts written the way a store manager reads them: dates, times, yuan, rates, people."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def day(value: date | datetime) -> str:
    """``2026年3月2日``; a datetime also shows the minute (``2026年3月2日09:15``)."""
    text = f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, datetime):
        text += f"{value.hour:02d}:{value.minute:02d}"
    return text


def yuan(value: Decimal) -> str:
    """``119.99元``: always two places, the way a payslip writes it."""
    return f"{value.quantize(FEN, rounding=ROUND_HALF_UP):f}元"


def to_fen(value: Decimal) -> Decimal:
    """Rounded to the fen, half up (四舍五入)."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def rate(value: Decimal) -> str:
    """``0.6`` -> ``六折(60%)``-style text is left to callers; this gives ``60%``."""
    text = f"{(value * 100).normalize():f}"
    return text + "%"


def discount(value: Decimal) -> str:
    """``0.6`` -> ``六折``; a rate that is not a whole tenth -> ``65%``."""
    tenths = value * 10
    names = "零一二三四五六七八九"
    if tenths == tenths.to_integral_value() and 0 < tenths < 10:
        return names[int(tenths)] + "折"
    return rate(value)


def person(code: str, name: str | None) -> str:
    return f"{name}({code})" if name else code


def hours(value: Decimal) -> str:
    """``23.5`` hours -> ``23.5小时``; whole hours without a point."""
    text = f"{value.normalize():f}" if value != value.to_integral_value() else f"{int(value)}"
    return text + "小时"


def month_label(month: str) -> str:
    """``2026-03`` -> ``2026年3月``."""
    return f"{int(month[:4])}年{int(month[5:7])}月"


def month_text(text: str) -> str:
    """A month option: ``2026-03``, ``2026/03`` or ``2026年3月`` -> ``2026-03`` (ValueError otherwise)."""
    from marshmallow import ValidationError

    from ...core.fields import Month

    try:
        return Month().deserialize(text)
    except ValidationError as exc:
        raise ValueError(" ".join(str(m) for m in exc.messages)) from None
