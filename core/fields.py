"""marshmallow field types that every record kind may use, and the base schema of a record kind.

Plugins build their kinds' schemas from these (``from zhidu.core.fields import Choice, zh, ...``):
the schema is the single source of validation rules and error messages, the ``zh`` metadata the
Chinese column header an export uses.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate


class Choice(fields.String):
    """A code field that also accepts its Chinese label (``一般`` for ``general``)."""

    def __init__(self, choices: dict[str, str], **kwargs: Any) -> None:
        self.choices = choices
        self.by_label = {label: code for code, label in choices.items()}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if text in self.choices:
            return text
        if text in self.by_label:
            return self.by_label[text]
        allowed = "、".join(f"{code}({label})" for code, label in self.choices.items())
        raise ValidationError(f"'{text}' is not one of: {allowed}")


class Month(fields.String):
    """A calendar month written ``YYYY-MM`` (``2026-03``), also ``2026/03`` or ``2026年3月``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (date, datetime)):
            return f"{value.year:04d}-{value.month:02d}"
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        norm = text.replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
        parts = norm.split("-")
        try:
            year, month = int(parts[0]), int(parts[1])
            if len(parts) != 2 or not (1 <= month <= 12) or not (MIN_YEAR <= year <= MAX_YEAR):
                raise ValueError
        except (ValueError, IndexError):
            raise ValidationError(f"'{text}' is not a month like 2026-03") from None
        return f"{year:04d}-{month:02d}"


class Flag(fields.Boolean):
    """A yes/no column; also accepts 是/否, 有/无, √/×, Y/N as a Chinese export writes them."""

    truthy = fields.Boolean.truthy | {"是", "有", "√", "Y", "y", "已批准", "通过"}
    falsy = fields.Boolean.falsy | {"否", "无", "×", "N", "n", "未批准", "不通过"}


#: Dates and times outside these years are refused: no policy decides on them, and both backends
#: (and the working-day calendar) must accept exactly the same inputs.
MIN_YEAR, MAX_YEAR = 1900, 2999

CHINA_TZ = timezone(timedelta(hours=8))


def _check_year(value: date) -> None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(f"year {value.year} is outside {MIN_YEAR}-{MAX_YEAR}")


_CN_DATE = re.compile(r"^\s*(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})(?:\s*日)?", re.ASCII)


def _normal_date_text(value: Any) -> Any:
    """``2026/3/2``, ``2026年3月2日``, ``2026.3.2`` -> ``2026-03-02`` (the rest of the text kept)."""
    if not isinstance(value, str):
        return value
    match = _CN_DATE.match(value)
    if match is None:
        return value
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}" + value[match.end():]


class LocalDate(fields.Date):
    """A calendar date within the years any policy decides on; also written ``2026/3/2`` or
    ``2026年3月2日``, and an Excel date cell (a datetime at midnight) is that date."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            _check_year(value)
            return value
        text = _normal_date_text(value)
        if isinstance(text, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]00:00(:00(\.0+)?)?", text.strip(), re.ASCII):
            text = text.strip()[:10]
        result = super()._deserialize(text, attr, data, **kwargs)
        _check_year(result)
        return result


class LocalDateTime(fields.NaiveDateTime):
    """Local (Beijing) time; an ISO value with an offset is converted to Beijing time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(timezone=CHINA_TZ, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = _normal_date_text(value).strip()
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
                value += "T00:00:00"
        try:
            result = super()._deserialize(value, attr, data, **kwargs)
        except OverflowError:
            raise ValidationError("not a valid datetime (out of range)") from None
        _check_year(result)
        return result


class Amount(fields.Decimal):
    """An exact decimal with at most ``digits`` significant digits, ``places`` of them after the point.

    Stored as an exact string on every backend, so a value decides the same on SQLite and
    PostgreSQL; a value with more places than the policy counts is refused, never rounded.
    """

    def __init__(self, digits: int = 18, places: int = 4, **kwargs: Any) -> None:
        self.digits, self.scale = digits, places
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and len(value) > 64:
            raise ValidationError("not a valid number (too long)")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** self.digits:
            raise ValidationError(f"more than {self.digits - self.scale} digits before the decimal point")
        result = super()._deserialize(value, attr, data, **kwargs)
        try:
            sign, digits, exponent = result.as_tuple()
        except (AttributeError, InvalidOperation):  # pragma: no cover - Decimal always has a tuple
            raise ValidationError("not a valid number") from None
        if not isinstance(exponent, int):
            raise ValidationError("not a finite number")
        places = max(0, -exponent)
        if places > self.scale:
            raise ValidationError(f"more than {self.scale} decimal places")
        whole = max(0, len(digits) + exponent)
        if any(digits) and whole > self.digits - self.scale:
            raise ValidationError(f"more than {self.digits - self.scale} digits before the decimal point")
        # 1E+3 and 1000 are the same amount: keep the plain written form.
        return result if exponent <= 0 else result.quantize(Decimal(1))


def zh(label: str, **kwargs: Any) -> dict[str, Any]:
    """Field metadata naming the Chinese column header."""
    return {"metadata": {"zh": label}, **kwargs}


def personal(label: str, **kwargs: Any) -> dict[str, Any]:
    """Metadata of a personal field (phone, ID number, address): masked in output, kept out of the log."""
    return {"metadata": {"zh": label, "personal": True}, **kwargs}


class RecordSchema(Schema):
    """Base schema: unknown columns are dropped (the importer reports them), ``post_load`` builds the dataclass."""

    class Meta:
        unknown = EXCLUDE

    record_class: type = dict

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Any:
        return self.record_class(**data)


NonNegative = validate.Range(min=0)
Rate = validate.Range(min=0, max=1)
Code = validate.Length(min=1, max=64)
