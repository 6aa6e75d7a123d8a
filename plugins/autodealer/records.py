"""The autodealer plugin's record kinds: one vehicle file (一车一档: the sales file, or one service
file per visit) with its documents, signatures and measured values as child kinds, the dealer
systems' entries the files are counted against (AAK scans, 小R3 / DMS work orders) and the DSERP
master data of each vehicle.

Every kind can be filled by a clerk from the paper file: a whole file as one JSON object (its
documents, signatures and measurements nested), or flat sheets with Chinese headers, one row per
file, per document, per signature box and per measured value. Names (documents, roles, visit
types) are plain text columns normalised by ``vocabulary``; item lists are one cell separated by
、 , ; (``更换机油四滤、检查刹车片``). Times of day are separate ``HH:MM`` columns so that a date
written without a time stays a date (the 24-hour and 10:00 checks need to know which was written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from marshmallow import ValidationError, fields, validate, validates_schema

from ...core.fields import Amount, Choice, Code, Flag, LocalDate, LocalDateTime, NonNegative, RecordSchema, personal, zh
from ...core.kinds import ChildKind, RecordKind
from .vocabulary import DAMAGE, GEARBOXES, VEHICLE_STATUS

_TIME = re.compile(r"([01]?\d|2[0-3])[:：]([0-5]\d)([:：][0-5]\d)?")
_BRANDS = {
    "faw_vw": "faw_vw", "一汽-大众": "faw_vw", "一汽大众": "faw_vw", "FAW-VW": "faw_vw", "一汽-大众奥迪": "faw_vw",
    "skoda": "skoda", "上汽斯柯达": "skoda", "斯柯达": "skoda", "上海大众斯柯达": "skoda", "Skoda": "skoda", "SKODA": "skoda",
}

Text = validate.Length(max=200)
LongText = validate.Length(max=2000)
Count = {"digits": 6, "places": 0}


def brand_code(text: str | None) -> str | None:
    """一汽-大众 / 斯柯达 (or the codes) -> the policy code; None for a blank."""
    if not text:
        return None
    return _BRANDS.get(text.strip().replace(" ", ""))


def _check_brand(data, name: str = "brand") -> None:
    value = data.get(name)
    if value and brand_code(value) is None:
        raise ValidationError("must be 一汽-大众 (faw_vw) or 斯柯达 (skoda)", name)


def parse_time(text: str | None) -> tuple[int, int] | None:
    """``09:30`` (also ``9:30``, ``09：30``, ``09:30:00``) -> (9, 30); None when blank."""
    if not text:
        return None
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"'{text}' is not a time of day like 09:30")
    return int(match.group(1)), int(match.group(2))


def _check_times(data, *names: str) -> None:
    for name in names:
        try:
            parse_time(data.get(name))
        except ValueError as exc:
            raise ValidationError(str(exc), name) from None


# --- documents ------------------------------------------------------------------------------

@dataclass(slots=True)
class VehicleDocument:
    # Nested inside a file the code comes from the parent, hence the empty default.
    file_code: str = ""
    doc_type: str = ""
    seq: Decimal | None = None
    doc_date: date | None = None
    doc_time: str | None = None
    stamp_date: date | None = None
    stamps: str | None = None
    name: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    printed_phone: str | None = None
    landline: str | None = None
    address: str | None = None
    labour: Decimal | None = None
    parts_amount: Decimal | None = None
    total: Decimal | None = None
    items: str | None = None
    parts: str | None = None
    suggestions: str | None = None
    advice: str | None = None
    blank_items: Decimal | None = None
    missing_fields: str | None = None
    complete: bool | None = None
    legible: bool | None = None
    both_sides: bool | None = None
    altered: bool | None = None
    items_changed: bool | None = None
    added_items: bool | None = None
    after_hours: bool | None = None
    special_case: str | None = None
    note: str | None = None


class VehicleDocumentSchema(RecordSchema):
    record_class = VehicleDocument
    file_code = fields.String(required=True, validate=Code, **zh("档案编号"))
    doc_type = fields.String(required=True, validate=Code, **zh("资料名称"))
    seq = Amount(**Count, load_default=None, validate=NonNegative, **zh("顺序"))
    doc_date = LocalDate(load_default=None, **zh("日期"))
    doc_time = fields.String(load_default=None, validate=validate.Length(max=8), **zh("时间"))
    stamp_date = LocalDate(load_default=None, **zh("盖章日期"))
    stamps = fields.String(load_default=None, validate=Text, **zh("印章"))
    name = fields.String(load_default=None, validate=Text, **zh("名称"))
    contact_name = fields.String(load_default=None, validate=Text, **zh("联系人"))
    phone = fields.String(load_default=None, validate=validate.Length(max=32), **personal("联系电话"))
    printed_phone = fields.String(load_default=None, validate=validate.Length(max=32), **personal("打印电话"))
    landline = fields.String(load_default=None, validate=validate.Length(max=32), **personal("固定电话"))
    address = fields.String(load_default=None, validate=Text, **personal("联系地址"))
    labour = Amount(digits=14, places=2, load_default=None, validate=NonNegative, **zh("工时费"))
    parts_amount = Amount(digits=14, places=2, load_default=None, validate=NonNegative, **zh("备件费"))
    total = Amount(digits=14, places=2, load_default=None, validate=NonNegative, **zh("合计"))
    items = fields.String(load_default=None, validate=LongText, **zh("维修项目"))
    parts = fields.String(load_default=None, validate=LongText, **zh("备件"))
    suggestions = fields.String(load_default=None, validate=LongText, **zh("建议项目"))
    advice = fields.String(load_default=None, validate=LongText, **zh("使用建议"))
    blank_items = Amount(**Count, load_default=None, validate=NonNegative, **zh("空白项"))
    missing_fields = fields.String(load_default=None, validate=LongText, **zh("缺项"))
    complete = Flag(load_default=None, allow_none=True, **zh("填写完整"))
    legible = Flag(load_default=None, allow_none=True, **zh("清晰"))
    both_sides = Flag(load_default=None, allow_none=True, **zh("两面"))
    altered = Flag(load_default=None, allow_none=True, **zh("涂改"))
    items_changed = Flag(load_default=None, allow_none=True, **zh("项目变更"))
    added_items = Flag(load_default=None, allow_none=True, **zh("增项"))
    after_hours = Flag(load_default=None, allow_none=True, **zh("下班后"))
    special_case = fields.String(load_default=None, validate=Text, **zh("特殊情况说明"))
    note = fields.String(load_default=None, validate=LongText, **zh("备注"))

    @validates_schema
    def _times(self, data, **kwargs):
        _check_times(data, "doc_time")


# --- signatures -----------------------------------------------------------------------------

@dataclass(slots=True)
class VehicleSignature:
    file_code: str = ""
    doc_type: str = ""
    role: str = ""
    seq: Decimal = Decimal(1)
    signer: str | None = None
    signed_on: date | None = None
    signed_time: str | None = None
    status: str | None = None
    in_place: bool | None = None
    marked: bool | None = None
    purpose: str | None = None


class VehicleSignatureSchema(RecordSchema):
    record_class = VehicleSignature
    file_code = fields.String(required=True, validate=Code, **zh("档案编号"))
    doc_type = fields.String(required=True, validate=Code, **zh("资料名称"))
    role = fields.String(required=True, validate=Code, **zh("签字角色"))
    seq = Amount(**Count, load_default=Decimal(1), validate=validate.Range(min=1), **zh("第几次"))
    signer = fields.String(load_default=None, validate=Text, **zh("签字人"))
    signed_on = LocalDate(load_default=None, **zh("签字日期"))
    signed_time = fields.String(load_default=None, validate=validate.Length(max=8), **zh("签字时间"))
    status = fields.String(load_default=None, validate=validate.Length(max=16), **zh("签字状态"))
    in_place = Flag(load_default=None, allow_none=True, **zh("签在指定位置"))
    marked = Flag(load_default=None, allow_none=True, **zh("多项标识"))
    purpose = fields.String(load_default=None, validate=Text, **zh("签字事项"))

    @validates_schema
    def _times(self, data, **kwargs):
        _check_times(data, "signed_time")


# --- measured values ------------------------------------------------------------------------

@dataclass(slots=True)
class VehicleMeasurement:
    file_code: str = ""
    doc_type: str = ""
    item: str = ""
    value: Decimal | None = None
    unit: str | None = None
    quantity: str | None = None
    standard: Decimal | None = None


class VehicleMeasurementSchema(RecordSchema):
    record_class = VehicleMeasurement
    file_code = fields.String(required=True, validate=Code, **zh("档案编号"))
    doc_type = fields.String(required=True, validate=Code, **zh("资料名称"))
    item = fields.String(required=True, validate=Code, **zh("测量项目"))
    value = Amount(digits=12, places=3, load_default=None, validate=NonNegative, **zh("数值"))
    unit = fields.String(load_default=None, validate=validate.Length(max=16), **zh("单位"))
    quantity = Choice({"pressure": "胎压", "tread": "花纹深度", "mileage": "行驶里程", "other": "其他"}, load_default=None, **zh("类别"))
    standard = Amount(digits=12, places=3, load_default=None, validate=NonNegative, **zh("标准值"))


# --- the vehicle file -----------------------------------------------------------------------

@dataclass(slots=True)
class VehicleFile:
    code: str
    vin: str
    file_type: str
    brand: str | None = None
    visit_type: str | None = None
    order_number: str | None = None
    order_type: str | None = None
    plate: str | None = None
    plate_exception: str | None = None
    owner_name: str | None = None
    sold_on: date | None = None
    received_at: datetime | None = None
    delivered_at: datetime | None = None
    submitted_at: datetime | None = None
    opened_on: date | None = None
    status: str | None = None
    promised_on: date | None = None
    delay_approved_by: str | None = None
    mileage_km: Decimal | None = None
    gearbox: str | None = None
    production_date: str | None = None
    registration_date: date | None = None
    contact_verified: bool | None = None
    rescue: bool | None = None
    special_customer: bool | None = None
    handover_signed: bool | None = None
    not_applicable: str | None = None
    responsible: str | None = None
    responsible_name: str | None = None
    responsible_role: str | None = None
    department: str | None = None
    archivist: str | None = None
    returned_at: datetime | None = None
    resubmitted_at: datetime | None = None
    resubmitted_unchanged: bool | None = None
    correction_approved_by: str | None = None
    damage: str | None = None
    damaged_on: date | None = None
    damaged_by: str | None = None
    favouritism: bool | None = None
    sealed_on: date | None = None
    documents: list[VehicleDocument] = field(default_factory=list)
    signatures: list[VehicleSignature] = field(default_factory=list)
    measurements: list[VehicleMeasurement] = field(default_factory=list)


def _nested(schema: type[RecordSchema], zh_label: str) -> fields.List:
    return fields.List(fields.Nested(schema(exclude=("file_code",), partial=("file_code",))), load_default=list, metadata={"zh": zh_label})


class VehicleFileSchema(RecordSchema):
    record_class = VehicleFile
    code = fields.String(required=True, validate=Code, **zh("档案编号"))
    vin = fields.String(required=True, validate=Code, **zh("底盘号"))
    file_type = Choice({"sales": "销售档案", "service": "服务档案"}, required=True, **zh("档案类型"))
    brand = fields.String(load_default=None, validate=validate.Length(max=32), **zh("品牌"))
    visit_type = fields.String(load_default=None, validate=validate.Length(max=32), **zh("维修类别"))
    order_number = fields.String(load_default=None, validate=validate.Length(max=64), **zh("工单号"))
    order_type = fields.String(load_default=None, validate=validate.Length(max=16), **zh("工单类别"))
    plate = fields.String(load_default=None, validate=validate.Length(max=16), **zh("车牌号码"))
    plate_exception = fields.String(load_default=None, validate=Text, **zh("车牌特殊情况"))
    owner_name = fields.String(load_default=None, validate=Text, **zh("车主名称"))
    sold_on = LocalDate(load_default=None, **zh("销售日期"))
    received_at = LocalDateTime(load_default=None, **zh("接车时间"))
    delivered_at = LocalDateTime(load_default=None, **zh("交车时间"))
    submitted_at = LocalDateTime(load_default=None, **zh("上交时间"))
    opened_on = LocalDate(load_default=None, **zh("建档日期"))
    status = Choice(VEHICLE_STATUS, load_default=None, **zh("车辆状态"))
    promised_on = LocalDate(load_default=None, **zh("承诺上交日期"))
    delay_approved_by = fields.String(load_default=None, validate=Text, **zh("延期签字人"))
    mileage_km = Amount(digits=10, places=1, load_default=None, validate=NonNegative, **zh("行驶里程"))
    gearbox = Choice(GEARBOXES, load_default=None, **zh("变速箱"))
    production_date = fields.String(load_default=None, validate=validate.Length(max=32), **zh("生产日期"))
    registration_date = LocalDate(load_default=None, **zh("行驶证登记日期"))
    contact_verified = Flag(load_default=None, allow_none=True, **zh("核对联系人"))
    rescue = Flag(load_default=None, allow_none=True, **zh("救援"))
    special_customer = Flag(load_default=None, allow_none=True, **zh("特定客户"))
    handover_signed = Flag(load_default=None, allow_none=True, **zh("签收薄签字"))
    not_applicable = fields.String(load_default=None, validate=LongText, **zh("不适用资料"))
    responsible = fields.String(load_default=None, validate=validate.Length(max=64), **zh("责任人"))
    responsible_name = fields.String(load_default=None, validate=validate.Length(max=100), **zh("责任人姓名"))
    responsible_role = fields.String(load_default=None, validate=validate.Length(max=32), **zh("责任人岗位"))
    department = fields.String(load_default=None, validate=validate.Length(max=64), **zh("部门"))
    archivist = fields.String(load_default=None, validate=validate.Length(max=64), **zh("档案管理员"))
    returned_at = LocalDateTime(load_default=None, **zh("退回整改时间"))
    resubmitted_at = LocalDateTime(load_default=None, **zh("整改上交时间"))
    resubmitted_unchanged = Flag(load_default=None, allow_none=True, **zh("原封返回"))
    correction_approved_by = fields.String(load_default=None, validate=Text, **zh("整改延期签字人"))
    damage = Choice(DAMAGE, load_default=None, **zh("遗失毁损"))
    damaged_on = LocalDate(load_default=None, **zh("遗失毁损日期"))
    damaged_by = fields.String(load_default=None, validate=validate.Length(max=64), **zh("遗失毁损责任人"))
    favouritism = Flag(load_default=None, allow_none=True, **zh("徇私舞弊"))
    sealed_on = LocalDate(load_default=None, **zh("封存日期"))
    documents = _nested(VehicleDocumentSchema, "资料")
    signatures = _nested(VehicleSignatureSchema, "签字")
    measurements = _nested(VehicleMeasurementSchema, "测量")

    @validates_schema
    def _brand(self, data, **kwargs):
        _check_brand(data)


# --- the dealer systems' entries (AAK, 小R3, DMS, CRM) ----------------------------------------

@dataclass(slots=True)
class SystemEntry:
    code: str
    system: str
    vin: str
    entry_date: date
    file_type: str | None = None
    brand: str | None = None
    order_number: str | None = None
    status: str | None = None
    unreported_reason: str | None = None
    responsible: str | None = None
    responsible_name: str | None = None
    department: str | None = None
    checked_on: date | None = None


class SystemEntrySchema(RecordSchema):
    record_class = SystemEntry
    code = fields.String(required=True, validate=Code, **zh("记录编号"))
    system = fields.String(required=True, validate=validate.Length(min=1, max=32), **zh("系统"))
    vin = fields.String(required=True, validate=Code, **zh("底盘号"))
    entry_date = LocalDate(required=True, **zh("日期"))
    file_type = Choice({"sales": "销售档案", "service": "服务档案"}, load_default=None, **zh("档案类型"))
    brand = fields.String(load_default=None, validate=validate.Length(max=32), **zh("品牌"))
    order_number = fields.String(load_default=None, validate=validate.Length(max=64), **zh("工单号"))
    status = Choice(VEHICLE_STATUS, load_default=None, **zh("车辆状态"))
    unreported_reason = fields.String(load_default=None, validate=Text, **zh("未上报原因"))
    responsible = fields.String(load_default=None, validate=validate.Length(max=64), **zh("责任人"))
    responsible_name = fields.String(load_default=None, validate=validate.Length(max=100), **zh("责任人姓名"))
    department = fields.String(load_default=None, validate=validate.Length(max=64), **zh("部门"))
    checked_on = LocalDate(load_default=None, **zh("核对日期"))

    @validates_schema
    def _brand(self, data, **kwargs):
        _check_brand(data)


# --- DSERP master data ------------------------------------------------------------------------

@dataclass(slots=True)
class DserpRecord:
    vin: str
    brand: str | None = None
    owner_name: str | None = None
    owner_is_company: bool | None = None
    landline: str | None = None
    mobile: str | None = None
    customer_category: str | None = None
    evaluation_category: str | None = None
    province: str | None = None
    city: str | None = None
    address: str | None = None
    rural: bool | None = None
    postcode: str | None = None
    plate: str | None = None
    product_code: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    series: str | None = None
    color: str | None = None
    maintained_by: str | None = None


class DserpRecordSchema(RecordSchema):
    record_class = DserpRecord
    vin = fields.String(required=True, validate=Code, **zh("底盘号"))
    brand = fields.String(load_default=None, validate=validate.Length(max=32), **zh("品牌"))
    owner_name = fields.String(load_default=None, validate=Text, **zh("车主姓名"))
    owner_is_company = Flag(load_default=None, allow_none=True, **zh("单位车主"))
    landline = fields.String(load_default=None, validate=validate.Length(max=32), **personal("客户固定电话"))
    mobile = fields.String(load_default=None, validate=validate.Length(max=32), **personal("客户手机"))
    customer_category = fields.String(load_default=None, validate=validate.Length(max=32), **zh("客户类别"))
    evaluation_category = fields.String(load_default=None, validate=validate.Length(max=32), **zh("客户评价类别"))
    province = fields.String(load_default=None, validate=validate.Length(max=32), **zh("省份"))
    city = fields.String(load_default=None, validate=validate.Length(max=32), **zh("城市"))
    address = fields.String(load_default=None, validate=Text, **personal("地址"))
    rural = Flag(load_default=None, allow_none=True, **zh("农村地址"))
    postcode = fields.String(load_default=None, validate=validate.Length(max=16), **zh("邮编"))
    plate = fields.String(load_default=None, validate=validate.Length(max=16), **zh("车牌号码"))
    product_code = fields.String(load_default=None, validate=validate.Length(max=64), **zh("产品代码车型"))
    contact_name = fields.String(load_default=None, validate=Text, **zh("联系人姓名"))
    contact_phone = fields.String(load_default=None, validate=validate.Length(max=32), **personal("联系人联系方式"))
    series = fields.String(load_default=None, validate=validate.Length(max=64), **zh("车系"))
    color = fields.String(load_default=None, validate=validate.Length(max=32), **zh("颜色"))
    maintained_by = fields.String(load_default=None, validate=validate.Length(max=64), **zh("维护人"))

    @validates_schema
    def _brand(self, data, **kwargs):
        _check_brand(data)


KINDS: tuple[RecordKind, ...] = (
    RecordKind("vehicle_file", "车辆档案", VehicleFileSchema, ("code",), "vin",
               children=(ChildKind("documents", "vehicle_document", "file_code"),
                         ChildKind("signatures", "vehicle_signature", "file_code"),
                         ChildKind("measurements", "vehicle_measurement", "file_code")),
               description="one vehicle's sales file or one service visit's file (一车一档), with its documents, signatures and measured values"),
    RecordKind("vehicle_document", "档案资料", VehicleDocumentSchema, ("file_code", "doc_type"),
               description="one document of a vehicle file: dates, stamps, names, amounts, items, blanks"),
    RecordKind("vehicle_signature", "档案签字", VehicleSignatureSchema, ("file_code", "doc_type", "role", "seq"),
               description="one signature box of a document: role, signer, date and time, status"),
    RecordKind("vehicle_measurement", "档案测量值", VehicleMeasurementSchema, ("file_code", "doc_type", "item"),
               description="one measured value of a document (tyre pressure, tread depth, mileage) with its unit"),
    RecordKind("system_entry", "系统台账记录", SystemEntrySchema, ("code",), "vin",
               description="one entry in a dealer system (AAK scan, 小R3 / DMS work order, CRM) a file is counted against"),
    RecordKind("dserp_record", "DSERP客户主数据", DserpRecordSchema, ("vin",), "vin",
               description="the DSERP master data of one vehicle and its owner"),
)
