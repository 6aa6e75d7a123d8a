"""The petrochem plugin's record kinds: chemical customers (the shared customer kind widened with
their class, sales form and tier fields), monthly volumes, complaints, customer dossiers with their
documents and approvals, and the inputs of the allocation, visit-score and admission commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from marshmallow import ValidationError, fields, validate, validates_schema

from ...core.fields import Amount, Choice, Code, Flag, LocalDate, LocalDateTime, Month, NonNegative, Rate, RecordSchema, zh
from ...core.kinds import ChildKind, RecordKind
from ...core.records import Customer, CustomerSchema
from .columns import Aliased
from .findings import CustomerFindingSchema
from .schemas import AdmissionSchema, AllocationRequestSchema, VisitReportSchema
from .vocabulary import LEVEL_LABELS, OTHER_PRODUCTS, POLYOLEFIN_PRODUCTS, RECORDED_LEVELS, SEGMENTS, SEVERITY_LABELS

SALES_FORMS = {"auction": "网拍", "plan": "计划"}
PRODUCT_LINES = {"polyolefin": "聚烯烃", "other": "其他"}


# 产品线 also takes a product's name: 聚乙烯 is a polyolefin line, 苯乙烯 another product's.
_PRODUCT_LINE_NAMES = {**{name: "polyolefin" for name in POLYOLEFIN_PRODUCTS}, **{name: "other" for name in OTHER_PRODUCTS}}

#: Tonnes are counted to the kilogram (three places), as the tier edges are.
Tonnes = {"digits": 18, "places": 3}


@dataclass(slots=True)
class ChemCustomer(Customer):
    segment: str | None = None
    sales_form: str | None = None
    product_line: str | None = None
    product: str | None = None
    level: str | None = None
    # 第十条(一): the facts an other-product customer's class follows from when 客户类别 is blank.
    direct_user: bool | None = None
    sells_other_brands: bool | None = None
    region: str | None = None
    month: str | None = None
    monthly_volume: Decimal | None = None
    pickup_completion_rate: Decimal | None = None
    developed_on: date | None = None
    qualification_expires: date | None = None
    # Month -> tonnes for period reviews, read by the hook from the monthly_volume records.
    volumes: dict[str, Decimal] = field(default_factory=dict)


class ChemCustomerSchema(CustomerSchema):
    record_class = ChemCustomer
    segment = Choice(SEGMENTS, load_default=None, **zh("客户类别"))
    sales_form = Choice(SALES_FORMS, load_default=None, **zh("销售形式"))
    product_line = Aliased(PRODUCT_LINES, _PRODUCT_LINE_NAMES, load_default=None, **zh("产品线"))
    product = fields.String(load_default=None, validate=validate.Length(max=100), **zh("产品"))
    level = Aliased(LEVEL_LABELS, RECORDED_LEVELS, load_default=None, **zh("当前级别"))
    direct_user = Flag(load_default=None, allow_none=True, **zh("直接使用公司产品"))
    sells_other_brands = Flag(load_default=None, allow_none=True, **zh("销售其他品牌同类产品"))
    region = fields.String(load_default=None, validate=validate.Length(max=200), **zh("经营区域"))
    month = Month(load_default=None, **zh("月份"))
    monthly_volume = Amount(**Tonnes, load_default=None, validate=NonNegative, **zh("月提货量"))
    pickup_completion_rate = Amount(digits=8, places=4, load_default=None, validate=Rate, **zh("提货完成率"))
    developed_on = LocalDate(load_default=None, **zh("开发日期"))
    qualification_expires = LocalDate(load_default=None, **zh("资质到期日"))


@dataclass(slots=True)
class MonthlyVolume:
    customer_code: str
    month: str
    volume: Decimal


class MonthlyVolumeSchema(RecordSchema):
    record_class = MonthlyVolume
    customer_code = fields.String(required=True, validate=Code, **zh("客户编码"))
    month = Month(required=True, **zh("月份"))
    volume = Amount(**Tonnes, required=True, validate=NonNegative, **zh("提货量"))


@dataclass(slots=True)
class WeeklyPickup:
    customer_code: str
    week_of: date
    volume: Decimal


class WeeklyPickupSchema(RecordSchema):
    record_class = WeeklyPickup
    customer_code = fields.String(required=True, validate=Code, **zh("客户编码"))
    week_of = LocalDate(required=True, **zh("周起始日"))
    volume = Amount(**Tonnes, required=True, validate=NonNegative, **zh("提货量"))


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
    code = fields.String(required=True, validate=Code, **zh("投诉编号"))
    customer_code = fields.String(required=True, validate=Code, **zh("投诉客户"))
    received_at = LocalDateTime(required=True, **zh("投诉时间"))
    severity = Choice(SEVERITY_LABELS, load_default="general", **zh("投诉级别"))
    special_approval = Flag(load_default=False, **zh("特殊情况批准"))
    content = fields.String(load_default=None, validate=validate.Length(max=4000), **zh("投诉内容"))
    handler = fields.String(load_default=None, validate=validate.Length(max=100), **zh("经办人"))
    resolved_at = LocalDateTime(load_default=None, **zh("处理完成时间"))

    @validates_schema
    def _resolved_after_received(self, data, **kwargs):
        received, resolved = data.get("received_at"), data.get("resolved_at")
        if received is not None and resolved is not None and _before(resolved, received):
            raise ValidationError(f"resolved at {resolved.isoformat()}, before the complaint was received ({received.isoformat()})", "resolved_at")


def _before(a: datetime, b: datetime) -> bool:
    """a < b, comparing wall-clock times when only one of them carries a time zone (as route does)."""
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return a < b


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
    archive_code = fields.String(required=True, validate=Code, **zh("档案编号"))
    doc_type = fields.String(required=True, validate=Code, **zh("资料类型"))
    doc_number = fields.String(load_default=None, validate=validate.Length(max=100), **zh("证件号码"))
    issued_on = LocalDate(load_default=None, **zh("发证日期"))
    expires_on = LocalDate(load_default=None, **zh("有效期至"))
    received_on = LocalDate(load_default=None, **zh("收取日期"))
    complete = Flag(load_default=True, **zh("资料齐全"))
    note = fields.String(load_default=None, validate=validate.Length(max=2000), **zh("备注"))


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
    archive_code = fields.String(required=True, validate=Code, **zh("档案编号"))
    stage = fields.String(required=True, validate=Code, **zh("审批环节"))
    approver = fields.String(load_default=None, validate=validate.Length(max=100), **zh("审批人"))
    approved_on = LocalDate(load_default=None, **zh("审批日期"))
    approved = Flag(load_default=True, **zh("审批通过"))
    note = fields.String(load_default=None, validate=validate.Length(max=2000), **zh("审批意见"))


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
    code = fields.String(required=True, validate=Code, **zh("档案编号"))
    customer_code = fields.String(required=True, validate=Code, **zh("客户编码"))
    segment = Choice(SEGMENTS, load_default=None, **zh("客户类别"))
    opened_on = LocalDate(load_default=None, **zh("建档日期"))
    keeper = fields.String(load_default=None, validate=validate.Length(max=100), **zh("档案管理人"))
    status = fields.String(load_default=None, validate=validate.Length(max=32), **zh("档案状态"))
    documents = fields.List(fields.Nested(ArchiveDocumentSchema(exclude=("archive_code",), partial=("archive_code",))), load_default=list, metadata={"zh": "资料"})
    approvals = fields.List(fields.Nested(ArchiveApprovalSchema(exclude=("archive_code",), partial=("archive_code",))), load_default=list, metadata={"zh": "审批"})


KINDS: tuple[RecordKind, ...] = (
    RecordKind("customer", "化工品客户", ChemCustomerSchema, ("code",), "code", extends="customer",
               description="a chemical customer: class, sales form, product line, level and the month's tonnage"),
    RecordKind("monthly_volume", "月提货量", MonthlyVolumeSchema, ("customer_code", "month"), "customer_code",
               description="one customer's pickups in one month (period reviews)"),
    RecordKind("weekly_pickup", "周提货量", WeeklyPickupSchema, ("customer_code", "week_of"), "customer_code",
               description="one customer's pickups in one week (第十条(四)3 周拿货量均衡, for allocate)"),
    RecordKind("complaint", "投诉", ComplaintSchema, ("code",), "code"),
    RecordKind("archive", "客户档案", ArchiveSchema, ("code",), "code",
               children=(ChildKind("documents", "archive_document", "archive_code"), ChildKind("approvals", "archive_approval", "archive_code")),
               description="a customer dossier with its documents and approvals"),
    RecordKind("archive_document", "档案资料", ArchiveDocumentSchema, ("archive_code", "doc_type")),
    RecordKind("archive_approval", "档案审批", ArchiveApprovalSchema, ("archive_code", "stage")),
    RecordKind("customer_finding", "客户资格认定", CustomerFindingSchema, ("code",), "customer_code",
               description="a 第十七条 finding about a customer (false information, economic loss, legal case), with its date and source"),
    RecordKind("allocation_request", "资源分配申请", AllocationRequestSchema, ("customer_code",), "customer_code"),
    RecordKind("visit_report", "走访报告", VisitReportSchema, ("customer_code", "visited_on", "report_code"), "customer_code"),
    RecordKind("admission_application", "客户准入申请", AdmissionSchema, ("code",), "code"),
)
