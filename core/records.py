"""Record kinds: the plain domain objects hooks receive, and the marshmallow schemas that admit them.

Each kind has a dataclass (what plugins see), a marshmallow schema (the single source of truth for
validation rules and error messages), the Chinese column headers a Chinese firm's export would use,
and its natural key (what makes a re-import idempotent). Storage lives in ``core.storage.models``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable

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
            if len(parts) != 2 or not (1 <= month <= 12) or not (1900 <= year <= 2999):
                raise ValueError
        except (ValueError, IndexError):
            raise ValidationError(f"'{text}' is not a month like 2026-03") from None
        return f"{year:04d}-{month:02d}"


class Flag(fields.Boolean):
    """A yes/no column; also accepts 是/否, 有/无, √/×, Y/N as a Chinese export writes them."""

    truthy = fields.Boolean.truthy | {"是", "有", "√", "Y", "y", "已批准", "通过"}
    falsy = fields.Boolean.falsy | {"否", "无", "×", "N", "n", "未批准", "不通过"}


CHINA_TZ = timezone(timedelta(hours=8))


class LocalDateTime(fields.NaiveDateTime):
    """Local (Beijing) time; an ISO value with an offset is converted to Beijing time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(timezone=CHINA_TZ, **kwargs)


def zh(label: str, **kwargs: Any) -> dict[str, Any]:
    """Field metadata naming the Chinese column header."""
    return {"metadata": {"zh": label}, **kwargs}


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


# --- customers ---------------------------------------------------------------------------------

SEGMENTS = {"distributor": "经销商", "direct": "直销客户", "exclusive_agent": "独家代理商"}
SALES_FORMS = {"auction": "网拍", "plan": "计划"}
PRODUCT_LINES = {"polyolefin": "聚烯烃", "other": "其他"}


@dataclass(slots=True)
class Customer:
    code: str
    name: str
    segment: str | None = None
    sales_form: str | None = None
    product_line: str | None = None
    level: str | None = None
    month: str | None = None
    monthly_volume: Decimal | None = None
    pickup_completion_rate: Decimal | None = None
    developed_on: date | None = None
    qualification_expires: date | None = None
    # Month -> tonnes, filled by the core from ``monthly_volume`` records for period reviews.
    volumes: dict[str, Decimal] = field(default_factory=dict)


class CustomerSchema(RecordSchema):
    record_class = Customer
    code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("客户编码"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200), **zh("客户名称"))
    segment = Choice(SEGMENTS, load_default=None, **zh("客户类别"))
    sales_form = Choice(SALES_FORMS, load_default=None, **zh("销售形式"))
    product_line = Choice(PRODUCT_LINES, load_default=None, **zh("产品线"))
    level = fields.String(load_default=None, validate=validate.Length(max=32), **zh("当前级别"))
    month = Month(load_default=None, **zh("月份"))
    monthly_volume = fields.Decimal(load_default=None, validate=NonNegative, **zh("月提货量"))
    pickup_completion_rate = fields.Decimal(load_default=None, validate=Rate, **zh("提货完成率"))
    developed_on = fields.Date(load_default=None, **zh("开发日期"))
    qualification_expires = fields.Date(load_default=None, **zh("资质到期日"))


@dataclass(slots=True)
class MonthlyVolume:
    customer_code: str
    month: str
    volume: Decimal


class MonthlyVolumeSchema(RecordSchema):
    record_class = MonthlyVolume
    customer_code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("客户编码"))
    month = Month(required=True, **zh("月份"))
    volume = fields.Decimal(required=True, validate=NonNegative, **zh("提货量"))


# --- staff -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Staff:
    code: str
    name: str
    role: str | None = None
    team: str | None = None


class StaffSchema(RecordSchema):
    record_class = Staff
    code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("工号"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100), **zh("姓名"))
    role = fields.String(load_default=None, **zh("岗位"))
    team = fields.String(load_default=None, **zh("部门"))


# --- complaints --------------------------------------------------------------------------------

COMPLAINT_SEVERITIES = {"general": "一般", "major": "较大", "serious": "严重"}


@dataclass(slots=True)
class Complaint:
    code: str
    customer_code: str
    received_at: datetime
    severity: str = "general"
    special_approval: bool = False
    content: str | None = None
    handler: str | None = None
    resolved_at: datetime | None = None


class ComplaintSchema(RecordSchema):
    record_class = Complaint
    code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("投诉编号"))
    customer_code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("投诉客户"))
    received_at = LocalDateTime(required=True, **zh("投诉时间"))
    severity = Choice(COMPLAINT_SEVERITIES, load_default="general", **zh("投诉级别"))
    special_approval = Flag(load_default=False, **zh("特殊情况批准"))
    content = fields.String(load_default=None, **zh("投诉内容"))
    handler = fields.String(load_default=None, **zh("经办人"))
    resolved_at = LocalDateTime(load_default=None, **zh("处理完成时间"))


# --- archives (customer dossiers) --------------------------------------------------------------


@dataclass(slots=True)
class ArchiveDocument:
    # Nested inside an archive the code comes from the parent, hence the empty default.
    archive_code: str = ""
    doc_type: str = ""
    doc_number: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    received_on: date | None = None
    complete: bool = True
    note: str | None = None


class ArchiveDocumentSchema(RecordSchema):
    record_class = ArchiveDocument
    archive_code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("档案编号"))
    doc_type = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("资料类型"))
    doc_number = fields.String(load_default=None, **zh("证件号码"))
    issued_on = fields.Date(load_default=None, **zh("发证日期"))
    expires_on = fields.Date(load_default=None, **zh("有效期至"))
    received_on = fields.Date(load_default=None, **zh("收取日期"))
    complete = Flag(load_default=True, **zh("资料齐全"))
    note = fields.String(load_default=None, **zh("备注"))


@dataclass(slots=True)
class ArchiveApproval:
    archive_code: str = ""
    stage: str = ""
    approver: str | None = None
    approved_on: date | None = None
    approved: bool = True
    note: str | None = None


class ArchiveApprovalSchema(RecordSchema):
    record_class = ArchiveApproval
    archive_code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("档案编号"))
    stage = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("审批环节"))
    approver = fields.String(load_default=None, **zh("审批人"))
    approved_on = fields.Date(load_default=None, **zh("审批日期"))
    approved = Flag(load_default=True, **zh("审批通过"))
    note = fields.String(load_default=None, **zh("审批意见"))


@dataclass(slots=True)
class Archive:
    code: str
    customer_code: str
    segment: str | None = None
    opened_on: date | None = None
    keeper: str | None = None
    status: str | None = None
    documents: list[ArchiveDocument] = field(default_factory=list)
    approvals: list[ArchiveApproval] = field(default_factory=list)


class ArchiveSchema(RecordSchema):
    record_class = Archive
    code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("档案编号"))
    customer_code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("客户编码"))
    segment = Choice(SEGMENTS, load_default=None, **zh("客户类别"))
    opened_on = fields.Date(load_default=None, **zh("建档日期"))
    keeper = fields.String(load_default=None, **zh("档案管理人"))
    status = fields.String(load_default=None, **zh("档案状态"))
    documents = fields.List(fields.Nested(ArchiveDocumentSchema(exclude=("archive_code",), partial=("archive_code",))), load_default=list, metadata={"zh": "资料"})
    approvals = fields.List(fields.Nested(ArchiveApprovalSchema(exclude=("archive_code",), partial=("archive_code",))), load_default=list, metadata={"zh": "审批"})


# --- staff conduct -----------------------------------------------------------------------------


@dataclass(slots=True)
class ConductIncident:
    code: str
    staff_code: str
    occurred_at: datetime
    incident_type: str
    severity: str = "general"
    description: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


class ConductIncidentSchema(RecordSchema):
    record_class = ConductIncident
    code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("事件编号"))
    staff_code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("工号"))
    occurred_at = LocalDateTime(required=True, **zh("发生时间"))
    incident_type = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("事件类型"))
    severity = fields.String(load_default="general", **zh("情节"))
    description = fields.String(load_default=None, **zh("事件描述"))
    details = fields.Dict(keys=fields.String(), load_default=dict, **zh("详情"))


# --- sales floor (registrations, visits and the rest of a floor day) --------------------------


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
    event_id = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("事件编号"))
    occurred_at = LocalDateTime(required=True, **zh("发生时间"))
    event_type = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("事件类型"))
    staff_code = fields.String(load_default=None, **zh("置业顾问"))
    customer_code = fields.String(load_default=None, **zh("客户编码"))
    other_staff_code = fields.String(load_default=None, **zh("相关置业顾问"))
    related_customer_code = fields.String(load_default=None, **zh("相关客户"))
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
    code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("成交编号"))
    customer_code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("客户编码"))
    staff_code = fields.String(required=True, validate=validate.Length(min=1, max=64), **zh("置业顾问"))
    signed_at = LocalDateTime(required=True, **zh("成交时间"))
    commission = fields.Decimal(required=True, validate=NonNegative, **zh("佣金"))
    price = fields.Decimal(load_default=None, validate=NonNegative, **zh("成交价"))
    unit = fields.String(load_default=None, **zh("房号"))
    details = fields.Dict(keys=fields.String(), load_default=dict, **zh("详情"))


# --- the registry ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordKind:
    name: str
    title_zh: str
    schema: type[RecordSchema]
    record_class: type
    natural_key: tuple[str, ...]
    # Which field is the decision subject id (for kinds that are decided on).
    subject_field: str | None = None

    def headers(self) -> dict[str, str]:
        """Map every accepted header (English field name or Chinese label) to the field name."""
        mapping: dict[str, str] = {}
        for name, fld in self.schema._declared_fields.items():
            mapping[name] = name
            label = fld.metadata.get("zh")
            if label:
                mapping[label] = name
        return mapping

    @classmethod
    def for_schema(cls, name: str, schema: type[RecordSchema], title_zh: str = "") -> "RecordKind":
        """A kind for a plugin's own input (a plugin command's file): validated like core records, not stored."""
        return cls(name, title_zh or name, schema, schema.record_class, ())

    def key_of(self, record: Any) -> tuple:
        return tuple(getattr(record, k) for k in self.natural_key)


KINDS: dict[str, RecordKind] = {
    k.name: k
    for k in (
        RecordKind("customer", "客户", CustomerSchema, Customer, ("code",), "code"),
        RecordKind("monthly_volume", "月提货量", MonthlyVolumeSchema, MonthlyVolume, ("customer_code", "month")),
        RecordKind("staff", "员工", StaffSchema, Staff, ("code",), "code"),
        RecordKind("complaint", "投诉", ComplaintSchema, Complaint, ("code",), "code"),
        RecordKind("archive", "客户档案", ArchiveSchema, Archive, ("code",), "code"),
        RecordKind("archive_document", "档案资料", ArchiveDocumentSchema, ArchiveDocument, ("archive_code", "doc_type")),
        RecordKind("archive_approval", "档案审批", ArchiveApprovalSchema, ArchiveApproval, ("archive_code", "stage")),
        RecordKind("conduct_incident", "员工行为事件", ConductIncidentSchema, ConductIncident, ("code",), "code"),
        RecordKind("floor_event", "案场事件", FloorEventSchema, FloorEvent, ("event_id",), "event_id"),
        RecordKind("deal", "成交", DealSchema, Deal, ("code",), "code"),
    )
}


def get_kind(name: "str | RecordKind") -> RecordKind:
    if isinstance(name, RecordKind):
        return name
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown record kind '{name}'; known kinds: {', '.join(KINDS)}") from None


RecordFactory = Callable[[dict[str, Any]], Any]
