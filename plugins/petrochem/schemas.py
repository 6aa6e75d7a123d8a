"""marshmallow schemas admitting the plugin commands' input rows (CSV or JSON, English or Chinese headers)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError, fields, validate

from ...core.fields import Amount, Choice, Code, Flag, LocalDate, NonNegative, RecordSchema, zh
from .admission import AdmissionApplication
from .allocation import AllocationRequest
from .visits import VisitReport
from .vocabulary import SEGMENTS, VISIT_FORM, VISIT_ITEMS

_SPLIT = re.compile(r"[;；,，、|\s]+")


def quoted(value) -> str:
    """A cell's text for an error message, on one line (a line break would split the error away
    from the line naming the file, row and column)."""
    return repr(str(value)) if any(c in str(value) for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029") else f"'{value}'"


class RateField(fields.Decimal):
    """A rate between 0 and 1, also written as a percentage (``85%``); NaN and infinities are refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and value.strip().endswith(("%", "％")):
            try:
                rate = Decimal(value.strip()[:-1]) / 100
            except InvalidOperation:
                raise ValidationError(f"{quoted(value)} is not a percentage") from None
            if not rate.is_finite():
                raise ValidationError(f"{quoted(value)} is not a percentage")
            return rate
        return super()._deserialize(value, attr, data, **kwargs)


class TonnageList(fields.Field):
    """Weekly tonnages: a JSON list or a string such as ``120;130;125``; each a finite figure >= 0."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = value if isinstance(value, list) else [p for p in _SPLIT.split(str(value).strip()) if p]
        try:
            result = [Decimal(str(item)) for item in items]
        except InvalidOperation:
            raise ValidationError(f"{quoted(value)} is not a list of tonnages") from None
        if not all(t.is_finite() for t in result):
            raise ValidationError(f"{quoted(value)} is not a list of tonnages (NaN or infinity)")
        if any(t < 0 for t in result):
            raise ValidationError("tonnages must not be negative")
        return result


_Rate = validate.Range(min=0, max=1)


class AllocationRequestSchema(RecordSchema):
    record_class = AllocationRequest
    customer_code = fields.String(required=True, validate=Code, **zh("客户编码"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200), **zh("客户名称"))
    segment = Choice(SEGMENTS, required=True, **zh("客户类别"))
    requested = Amount(digits=18, places=3, required=True, validate=NonNegative, **zh("申请量"))
    completion_rate = RateField(load_default=None, validate=_Rate, **zh("提货完成率"))
    weekly_pickups = TonnageList(load_default=list, **zh("周提货量"))
    suspended = Flag(load_default=False, **zh("暂停业务"))
    # 第十条(三)2 配合度: the sales department's score of the agent's co-operation, 0-100 (higher = better).
    cooperation = Amount(digits=5, places=2, load_default=None, validate=validate.Range(min=0, max=100), **zh("配合度"))


class Rating(fields.String):
    """One item of a visit report (附件1): an option of the form, or the score the form prints for
    one (read as that option: ``30`` in 服务态度 is 不好); blank = not rated."""

    def __init__(self, item: str, **kwargs):
        super().__init__(**kwargs)
        self.item = item

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            value = str(value)
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            return None
        options = VISIT_FORM[self.item]
        if text in options:
            return text
        if text.isascii() and text.isdigit() and len(text) <= 3:
            by_score = {score: option for option, score in options.items()}
            if int(text) in by_score:
                return by_score[int(text)]
        listed = "、".join(f"{option}({score})" for option, score in options.items())
        raise ValidationError(f"{quoted(text)} is not an option of the form's {VISIT_ITEMS[self.item]} row; options: {listed}")


class VisitReportSchema(RecordSchema):
    record_class = VisitReport
    customer_code = fields.String(required=True, validate=Code, **zh("客户编码"))
    visited_on = LocalDate(required=True, **zh("走访日期"))
    customer_name = fields.String(load_default=None, **zh("客户单位名称"))
    report_code = fields.String(load_default=None, **zh("报告单编号"))
    quality = Rating("quality", load_default=None, allow_none=True, **zh("质量"))
    service = Rating("service", load_default=None, allow_none=True, **zh("服务态度"))
    awareness = Rating("awareness", load_default=None, allow_none=True, **zh("产品的知名度"))


def _fact(label: str, default=None):
    return Flag(load_default=default, allow_none=default is None, **zh(label))


class AdmissionSchema(RecordSchema):
    record_class = AdmissionApplication
    code = fields.String(required=True, validate=Code, **zh("客户编码"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200), **zh("客户名称"))
    segment = Choice(SEGMENTS, required=True, **zh("客户类别"))
    region = fields.String(load_default=None, **zh("经营区域"))
    manufacturer = _fact("生产型企业")
    direct_user = _fact("直接使用公司产品")
    production_scale = _fact("具有一定生产规模")
    good_credit = _fact("资金诚信良好")
    sound_business = _fact("经营理念稳健诚信")
    strong_capital = _fact("资金实力较强")
    good_reputation = _fact("市场信誉和经营能力优良")
    only_our_products = _fact("只经营本公司化工产品")
    accepts_prepayment = _fact("接受款到发货", True)
    accepts_self_pickup = _fact("接受自提", True)
