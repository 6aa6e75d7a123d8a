"""The realestate plugin's record kinds: sales-floor events (registrations among them), deals and
floor-conduct incidents. Floor events are append-only and replayed in time order: registrations
are the basis of pay, so a correction is a new event that references the old one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from ...core.fields import Amount, Choice, Code, LocalDateTime, NonNegative, RecordSchema, zh
from ...core.kinds import RecordKind

_Staff = validate.Length(max=64)


@dataclass(slots=True)
class FloorEvent:
    event_id: str
    occurred_at: datetime
    event_type: str
    staff_code: str | None = None
    customer_code: str | None = None
    other_staff_code: str | None = None
    related_customer_code: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


class FloorEventSchema(RecordSchema):
    record_class = FloorEvent
    event_id = fields.String(required=True, validate=Code, **zh("事件编号"))
    occurred_at = LocalDateTime(required=True, **zh("发生时间"))
    event_type = fields.String(required=True, validate=Code, **zh("事件类型"))
    staff_code = fields.String(load_default=None, validate=_Staff, **zh("置业顾问"))
    customer_code = fields.String(load_default=None, validate=_Staff, **zh("客户编码"))
    other_staff_code = fields.String(load_default=None, validate=_Staff, **zh("相关置业顾问"))
    related_customer_code = fields.String(load_default=None, validate=_Staff, **zh("相关客户"))
    details = fields.Dict(keys=fields.String(), load_default=dict, **zh("详情"))


@dataclass(slots=True)
class Deal:
    code: str
    customer_code: str
    staff_code: str
    signed_at: datetime
    commission: Decimal
    price: Decimal | None = None
    unit: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


class DealSchema(RecordSchema):
    record_class = Deal
    code = fields.String(required=True, validate=Code, **zh("成交编号"))
    customer_code = fields.String(required=True, validate=Code, **zh("客户编码"))
    staff_code = fields.String(required=True, validate=Code, **zh("置业顾问"))
    signed_at = LocalDateTime(required=True, **zh("成交时间"))
    commission = Amount(digits=18, places=2, required=True, validate=NonNegative, **zh("佣金"))
    price = Amount(digits=18, places=2, load_default=None, validate=NonNegative, **zh("成交价"))
    unit = fields.String(load_default=None, validate=_Staff, **zh("房号"))
    details = fields.Dict(keys=fields.String(), load_default=dict, **zh("详情"))


@dataclass(slots=True)
class ConductIncident:
    code: str
    staff_code: str
    occurred_at: datetime
    incident_type: str
    severity: str = "general"
    description: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


INCIDENT_TYPES = {
    "grab": "抢客",
    "fight": "争客",
    "neglect": "怠慢客户",
    "not_dressed": "未按规范着装",
    "not_prepared": "未做好接待准备",
    "provoke_dispute": "故意挑起事端",
}
INCIDENT_ALIASES = {"怠慢": "neglect", "未着装": "not_dressed", "未准备": "not_prepared", "挑起事端": "provoke_dispute"}
SEVERITY = {"general": "一般", "serious": "严重"}
SEVERITY_ALIASES = {"情节严重": "serious"}


def _choice(choices: dict[str, str], aliases: dict[str, str], **kwargs: Any) -> Choice:
    """A code field accepting its Chinese label and the usual short forms; anything else is refused
    (a mistyped "severe" must not be read as 一般: it changes the sanction)."""
    field_ = Choice(choices, **kwargs)
    field_.by_label.update(aliases)
    return field_


class ConductFigures(Schema):
    """The wage and bonus figures a sanction is computed from (Decimal strings); any other key is
    refused, so a typo cannot silently drop a figure."""

    class Meta:
        unknown = RAISE

    daily_base_wage = fields.Decimal(load_default=None, allow_none=True, validate=validate.Range(min=0))
    monthly_base_wage = fields.Decimal(load_default=None, allow_none=True, validate=validate.Range(min=0))
    monthly_bonus = fields.Decimal(load_default=None, allow_none=True, validate=validate.Range(min=0))
    monthly_deal_bonus = fields.Decimal(load_default=None, allow_none=True, validate=validate.Range(min=0))


_FIGURES = ConductFigures()


class FiguresDict(fields.Dict):
    """The incident's ``details``: checked against :class:`ConductFigures`, kept as written."""

    def _deserialize(self, value, attr, data, **kwargs):
        loaded = super()._deserialize(value, attr, data, **kwargs)
        try:
            _FIGURES.load(loaded)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return loaded


class ConductIncidentSchema(RecordSchema):
    record_class = ConductIncident
    code = fields.String(required=True, validate=Code, **zh("事件编号"))
    staff_code = fields.String(required=True, validate=Code, **zh("工号"))
    occurred_at = LocalDateTime(required=True, **zh("发生时间"))
    incident_type = _choice(INCIDENT_TYPES, INCIDENT_ALIASES, required=True, **zh("事件类型"))
    severity = _choice(SEVERITY, SEVERITY_ALIASES, load_default="general", **zh("情节"))
    description = fields.String(load_default=None, validate=validate.Length(max=4000), **zh("事件描述"))
    details = FiguresDict(keys=fields.String(), load_default=dict, **zh("详情"))


KINDS: tuple[RecordKind, ...] = (
    RecordKind("floor_event", "案场事件", FloorEventSchema, ("event_id",), "event_id", order_by="occurred_at", group_field="customer_code", append_only=True,
               description="a sales-floor event (roster, visit, registration, follow-up, ...), replayed in time order"),
    RecordKind("deal", "成交", DealSchema, ("code",), "code"),
    RecordKind("conduct_incident", "员工行为事件", ConductIncidentSchema, ("code",), "code"),
)
