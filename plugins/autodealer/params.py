"""Tunable numbers of the two dealers' archive rules, with each document's own values as defaults.

Parameters are named by document (``faw_*`` for 汽车客户管理制度·客户档案管理制度, ``skoda_*`` for
客户管理制度14), so one profile can hold both (a dealer group with an FAW-VW and a Skoda store:
each file's 品牌 column picks its document; a blank picks the preset's). The presets choose the
document; the numbers are the texts' own. Where a text sets a rule without a number (FAW-VW's
"按KPI考核扣分"), the parameter has no default and the decision says it is not configured.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ...core.params import ParameterSpec
from .vocabulary import DOCUMENTS, FAW_VW, POLICIES, ROLES, SKODA, VISIT_TYPES

PLUGIN = "autodealer"

DAY_BASES = ("working", "calendar")
CORRECTION_CLOCKS = ("clock", "working")
VIOLATION_UNITS = ("file", "item")
REFINE_READINGS = ("same_amount", "new_violation")
ATTACHMENT_READINGS = ("required", "if_present")
SKODA_SALES_FROM = ("delivery", "sale")
LEADER_RULES = ("all", "any")


def _faw_service_required() -> dict[str, list[str]]:
    # 五(二)1 and its 备注; 五(二)2(6) 试车记录 (except 2- 保养工单, see faw_test_drive_exempt_order_types).
    base = ["work_order", "settlement", "handover_check"]
    return {
        "first_service": ["first_service_voucher", *base, "maintenance_sheet", "warranty_proof", "maintenance_proof"],
        "maintenance": [*base, "maintenance_sheet"],
        "minor_repair": list(base),
        "major_repair": list(base),
        "claim": [*base, "warranty_proof", "maintenance_proof"],
    }


def _skoda_service_documents() -> dict[str, dict[str, list[str]]]:
    # 客户管理制度14 四.2 1)-5): the listed documents, and the 结算单's bracketed attachments.
    return {
        "minor_repair": {"required": ["reception_sheet", "work_order", "settlement", "free_check"],
                         "attachments": ["added_items_form", "test_drive", "damage_assessment", "special_tool_data", "estimate"]},
        "first_service": {"required": ["reception_sheet", "work_order", "settlement", "first_service_card", "free_check"], "attachments": []},
        "maintenance": {"required": ["reception_sheet", "work_order", "settlement", "free_check"], "attachments": []},
        "major_repair": {"required": ["reception_sheet", "work_order", "settlement", "test_drive", "estimate", "free_check"], "attachments": []},
        "claim": {"required": ["reception_sheet", "work_order", "settlement", "free_check"],
                  "attachments": ["parts_invoice_copy", "test_drive", "damage_photos", "fault_report", "special_tool_data"]},
    }


def _mileage_duties() -> list[dict]:
    # 五(二)2(3): 29000km-31000km and 59000km-61000km, both ends included.
    return [
        {"from_km": Decimal("29000"), "to_km": Decimal("31000"), "items": ["火花塞", "机油四滤"]},
        {"from_km": Decimal("59000"), "to_km": Decimal("61000"), "items": ["火花塞", "机油四滤", "变速箱油", "刹车油", "转向助力油"]},
    ]


def _duty_aliases() -> dict[str, list[str]]:
    # What counts as naming an item on the settlement (replaced) or among the suggestions.
    return {
        "火花塞": ["火花塞"],
        "机油四滤": ["机油四滤", "四滤"],
        "变速箱油": ["变速箱油", "变速器油", "齿轮油", "ATF", "DSG油"],
        "刹车油": ["刹车油", "制动液"],
        "转向助力油": ["转向助力油", "助力油", "方向机油"],
    }


class MileageDuty(Schema):
    from_km = fields.Decimal(required=True, validate=validate.Range(min=0))
    to_km = fields.Decimal(required=True, validate=validate.Range(min=0))
    items = fields.List(fields.String(), required=True, validate=validate.Length(min=1))


def _doc_list(**kwargs) -> fields.List:
    return fields.List(fields.String(validate=validate.OneOf(DOCUMENTS)), **kwargs)


class AutodealerParameters(Schema):
    policy = fields.String(
        load_default=FAW_VW, validate=validate.OneOf(POLICIES),
        metadata={"description": "品牌栏为空的档案按哪份制度审核:faw_vw 汽车客户管理制度·客户档案管理制度,skoda 客户管理制度14"})

    # --- 汽车客户管理制度·客户档案管理制度 (FAW-VW) -----------------------------------------
    faw_sales_documents = _doc_list(
        load_default=lambda: ["delivery_form", "invoice", "pdi_stamp_proof", "id_document", "certificate_copy", "purchase_agreement", "pre_pdi", "outbound_pdi"],
        metadata={"description": "销售档案的资料及整理顺序,五(一)1;(7)PDI保养表含预PDI(P-单子)与出库PDI(8-单子)两份,五(一)2(7)"})
    faw_service_order = _doc_list(
        load_default=lambda: ["first_service_voucher", "work_order", "settlement", "maintenance_sheet", "handover_check", "test_drive",
                              "rescue_form", "free_check", "warranty_proof", "maintenance_proof"],
        metadata={"description": "服务档案的整理顺序,五(二)1(十项)"})
    faw_service_required = fields.Dict(
        keys=fields.String(validate=validate.OneOf(VISIT_TYPES)), values=_doc_list(), load_default=_faw_service_required,
        metadata={"description": "各维修类别服务档案必备的资料(五(二)1备注:首保、索赔须有保修证明和保养证明复印件);救援单随救援、试车记录见下"})
    faw_invoice_pdi_max_hours = fields.Integer(
        load_default=24, validate=validate.Range(min=0),
        metadata={"description": "购车发票日期与PDI盖章证明日期最多相差的小时数(含本数),五(一)2(2)"})
    faw_estimate_tolerance = fields.Decimal(
        load_default=lambda: Decimal("0.10"), validate=validate.Range(min=0, max=1),
        metadata={"description": "预估价格与实收价格上下不能超过的比例(含本数),五(二)2(2)"})
    faw_estimate_exempt_order_types = fields.List(
        fields.String(), load_default=lambda: ["5"],
        metadata={"description": "免于项目齐全、价格与结算相符检查的工单类别(原文“5-单子除外”)"})
    faw_test_drive_exempt_order_types = fields.List(
        fields.String(), load_default=lambda: ["2"],
        metadata={"description": "不要求试车单的工单类别(原文“除2-保养工单外一律要求有试车单”)"})
    faw_mileage_duties = fields.List(
        fields.Nested(MileageDuty), load_default=_mileage_duties,
        metadata={"description": "里程段(公里,含两端)内未更换即须写入建议项目的项目,五(二)2(3)"})
    faw_duty_aliases = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), load_default=_duty_aliases,
        metadata={"description": "结算单维修项目或建议项目中,哪些写法算作该项目"})
    faw_manual_gearbox_exempt = fields.List(
        fields.String(), load_default=lambda: ["变速箱油"],
        metadata={"description": "手动变速箱车辆免于建议的项目(原文“变速箱油(手动变速箱除外)”)"})
    faw_tread_min_mm = fields.Decimal(
        load_default=lambda: Decimal("3.0"), validate=validate.Range(min=0),
        metadata={"description": "轮胎花纹深度低于此值(毫米,不含本数)须报建议更换,五(二)2(4)"})
    faw_sales_handin_weekday = fields.Integer(
        load_default=0, validate=validate.Range(min=0, max=6),
        metadata={"description": "销售档案每周交至客服部的日子(0=周一),五(一)3(1);该日非工作日则顺延至下一个工作日"})
    faw_service_cutoff = fields.Time(
        load_default=lambda: time(10, 0),
        metadata={"description": "服务档案交售后信息员的时限(交车后下一个工作日该时刻),五(二)4(1)"})
    faw_service_cutoff_inclusive = fields.Boolean(
        load_default=True,
        metadata={"description": "恰在时限时刻(10:00)上交是否算按时:true 算按时(“10:00之前”读作截至10:00)"})
    faw_missing_report_days = fields.Integer(
        load_default=2, validate=validate.Range(min=1),
        metadata={"description": "与系统数量不符时缺失档案的限期天数,二.4"})
    faw_missing_report_basis = fields.String(
        load_default="working", validate=validate.OneOf(DAY_BASES),
        metadata={"description": "“2日”按 working 工作日 或 calendar 自然日计(核对当日不计)"})
    faw_correction_hours = fields.Integer(
        load_default=24, validate=validate.Range(min=1),
        metadata={"description": "收到不合格档案后改正上交的时限(小时,含本数),五(二)4(5)"})
    faw_correction_clock = fields.String(
        load_default="clock", validate=validate.OneOf(CORRECTION_CLOCKS),
        metadata={"description": "24小时的读法:clock 连续24小时;working 下一个工作日的同一时刻(节假日不计)"})
    faw_kpi_points_unqualified_file = fields.Decimal(
        load_default=None, allow_none=True, validate=validate.Range(min=0),
        metadata={"description": "每份不合格档案的KPI扣分(五(一)3(3)、五(二)4(4)只写“KPI考核扣分”,原文未给分值,默认不设)"})
    faw_kpi_points_missing_file = fields.Decimal(
        load_default=None, allow_none=True, validate=validate.Range(min=0),
        metadata={"description": "每份缺失(或破损)档案的KPI扣分(五(一)3(2)、五(二)4(3),原文未给分值,默认不设)"})
    faw_kpi_points_late_correction = fields.Decimal(
        load_default=lambda: Decimal(1), validate=validate.Range(min=0),
        metadata={"description": "不合格档案未在时限内改正上交,每次KPI扣分,五(二)4(5)"})
    faw_kpi_points_unchanged_return = fields.Decimal(
        load_default=lambda: Decimal(1), validate=validate.Range(min=0),
        metadata={"description": "不合格档案未做更改原封返回,每份KPI扣分,五(二)4(6)"})
    faw_favouritism_fine = fields.Decimal(
        load_default=lambda: Decimal(10), validate=validate.Range(min=0),
        metadata={"description": "徇私舞弊,档案管理员及服务顾问各罚款(元/份),五(二)4(7)"})
    faw_completeness_target = fields.Decimal(
        load_default=lambda: Decimal("0.99"), validate=validate.Range(min=0, max=1),
        metadata={"description": "档案完整性目标(“99%以上”,含本数),五(二)5"})
    faw_authenticity_target = fields.Decimal(
        load_default=lambda: Decimal("0.95"), validate=validate.Range(min=0, max=1),
        metadata={"description": "档案真实性目标(“95%以上”,含本数),五(二)5"})
    faw_signing_order = fields.List(
        fields.String(validate=validate.OneOf(ROLES)), load_default=lambda: ["team_leader", "quality_inspector"],
        metadata={"description": "任务委托书上签字时间应有的先后顺序(原文“注意时间顺序”未写先后;默认组长自检在前、质检员终检在后)"})
    faw_rescue_leaders = fields.List(
        fields.String(validate=validate.OneOf(ROLES)), load_default=lambda: ["service_manager", "service_director"],
        metadata={"description": "上班期间救援须签字的领导,五(二)2(7)"})
    faw_rescue_leaders_rule = fields.String(
        load_default="all", validate=validate.OneOf(LEADER_RULES),
        metadata={"description": "all 服务经理和服务总监都须签字(与“下班以后服务经理和服务总监不用签字”相对);any 有其一即可"})
    faw_retention_years_after_service = fields.Integer(
        load_default=5, validate=validate.Range(min=1),
        metadata={"description": "在修车辆档案按末次维修期延长保管的年数,四.1"})
    faw_dormant_years = fields.Integer(
        load_default=3, validate=validate.Range(min=1),
        metadata={"description": "多少年内无本店维修、保养记录的车辆按建档起算保管,四.2"})
    faw_retention_years_from_creation = fields.Integer(
        load_default=5, validate=validate.Range(min=1),
        metadata={"description": "无维修记录车辆自建档起的保管年数,期满转入档案库封存,四.2"})

    # --- 客户管理制度14 (Skoda) --------------------------------------------------------------
    skoda_new_car_documents = _doc_list(
        load_default=lambda: ["green_card", "invoice", "purchase_agreement", "id_document", "delivery_check", "driving_licence_copy",
                              "insurance_copy", "derivative_services", "certificate_copy", "delivery_photo", "pdi_check", "other_proof"],
        metadata={"description": "新车档案构成(十二项),四.1;第12项其它证明类文件只对特定客户"})
    skoda_service_documents = fields.Dict(
        keys=fields.String(validate=validate.OneOf(VISIT_TYPES)),
        values=fields.Dict(keys=fields.String(validate=validate.OneOf(("required", "attachments"))), values=_doc_list()),
        load_default=_skoda_service_documents,
        metadata={"description": "各维修类别售后档案的资料构成(required)及结算单括号内的附件(attachments),四.2"})
    skoda_attachments = fields.String(
        load_default="required", validate=validate.OneOf(ATTACHMENT_READINGS),
        metadata={"description": "结算单括号内附件:required 均须附齐(档案“不适用资料”栏注明的除外);if_present 附有才查"})
    skoda_sales_working_days = fields.Integer(
        load_default=3, validate=validate.Range(min=1),
        metadata={"description": "新车档案上交时限(工作日),四.1、五.1"})
    skoda_sales_deadline_from = fields.String(
        load_default="delivery", validate=validate.OneOf(SKODA_SALES_FROM),
        metadata={"description": "新车档案时限起算:delivery 交车日(五.1“交车后3个工作日”);sale 销售(开票)日(四.1“销售车3个工作日内”)"})
    skoda_service_working_days = fields.Integer(
        load_default=1, validate=validate.Range(min=1),
        metadata={"description": "售后档案上交时限(交车后工作日),四.2、五.4"})
    skoda_correction_working_days = fields.Integer(
        load_default=1, validate=validate.Range(min=1),
        metadata={"description": "责令改正后须在几个工作日内改正,逾期每个工作日视同再次违规,五.10"})
    skoda_fine_sales_late = fields.Decimal(load_default=lambda: Decimal(50), validate=validate.Range(min=0),
                                          metadata={"description": "销售顾问超过交车后3个工作日上交档案(元/车次),五.1"})
    skoda_fine_sales_customer_signature = fields.Decimal(load_default=lambda: Decimal(20), validate=validate.Range(min=0),
                                                         metadata={"description": "销售顾问检查类档案无用户签名或签名错误(元/项),五.2"})
    skoda_fine_contact_unverified = fields.Decimal(load_default=lambda: Decimal(50), validate=validate.Range(min=0),
                                                   metadata={"description": "服务顾问接修时未核对当次联系人及唯一联系方式(元/车次),五.3"})
    skoda_fine_service_late = fields.Decimal(load_default=lambda: Decimal(50), validate=validate.Range(min=0),
                                             metadata={"description": "服务顾问未在交车后一个工作日内移交档案(元/车次),五.4"})
    skoda_fine_service_item = fields.Decimal(load_default=lambda: Decimal(20), validate=validate.Range(min=0),
                                             metadata={"description": "服务顾问移交档案不完整、错误、不符合要求(元/项),五.5"})
    skoda_fine_service_customer_signature = fields.Decimal(load_default=lambda: Decimal(50), validate=validate.Range(min=0),
                                                           metadata={"description": "服务顾问档案无用户签名或签名错误(元/项),五.5"})
    skoda_fine_service_staff_signature = fields.Decimal(load_default=lambda: Decimal(20), validate=validate.Range(min=0),
                                                        metadata={"description": "服务顾问档案无内部人员签名或签名错误(元/项),五.5"})
    skoda_fine_lost_file = fields.Decimal(load_default=lambda: Decimal(20), validate=validate.Range(min=0),
                                          metadata={"description": "造成用户档案遗失、毁损,另罚(元/件),五.7"})
    skoda_doubling_from = fields.Dict(
        keys=fields.String(validate=validate.OneOf(("sales_consultant", "service_advisor"))), values=fields.Integer(validate=validate.Range(min=1)),
        load_default=lambda: {"sales_consultant": 2, "service_advisor": 3},
        metadata={"description": "一月内第几次受处罚的违规起罚款翻倍:销售顾问第2次,服务顾问第3次,五.6"})
    skoda_doubling_factor = fields.Decimal(
        load_default=lambda: Decimal(2), validate=validate.Range(min=1),
        metadata={"description": "“翻倍”的倍数(每次违规按基数乘以此数,不逐次累乘)"})
    skoda_violation_unit = fields.String(
        load_default="file", validate=validate.OneOf(VIOLATION_UNITS),
        metadata={"description": "一份档案的多项问题算几次违规:file 一份档案一次处罚算一次(其各项分别计罚);item 每项算一次"})
    skoda_refine_reading = fields.String(
        load_default="same_amount", validate=validate.OneOf(REFINE_READINGS),
        metadata={"description": "逾期未改正再次处罚:same_amount 与原处罚同额、不计入翻倍次数;new_violation 视同新违规,计入次数并按次数翻倍"})
    skoda_performance_cut_range = fields.List(
        fields.Decimal(validate=validate.Range(min=0, max=1)), load_default=lambda: [Decimal("0.10"), Decimal("0.30")],
        metadata={"description": "可视情况扣罚当月绩效工资的比例范围(由经理决定,本插件不定比例),五.6"})
    skoda_performance_cut_roles = fields.List(
        fields.String(validate=validate.OneOf(("sales_consultant", "service_advisor"))), load_default=lambda: ["service_advisor"],
        metadata={"description": "绩效工资扣罚适用的岗位(原文写在服务顾问一句中)"})
    skoda_inspection_documents = _doc_list(
        load_default=lambda: ["delivery_check", "pdi_check"],
        metadata={"description": "销售顾问移交的“检查类档案”(无用户签名按五.2处罚)"})

    @validates_schema
    def _check(self, data, **kwargs):
        for duty in data.get("faw_mileage_duties", []):
            if duty["to_km"] < duty["from_km"]:
                raise ValidationError(f"to_km {duty['to_km']} is below from_km {duty['from_km']}", "faw_mileage_duties")
        aliases = data.get("faw_duty_aliases", {})
        for duty in data.get("faw_mileage_duties", []):
            unknown = [item for item in duty["items"] if item not in aliases]
            if unknown:
                raise ValidationError(f"items without aliases in faw_duty_aliases: {', '.join(unknown)}", "faw_mileage_duties")
        cut = data.get("skoda_performance_cut_range", [])
        if len(cut) != 2 or cut[0] > cut[1]:
            raise ValidationError("give [lowest, highest], e.g. [0.10, 0.30]", "skoda_performance_cut_range")
        for visit, spec in data.get("skoda_service_documents", {}).items():
            if "required" not in spec:
                raise ValidationError(f"{visit}: needs a 'required' list", "skoda_service_documents")
        if len(set(data.get("faw_signing_order", []))) != len(data.get("faw_signing_order", [])):
            raise ValidationError("roles must be listed once each", "faw_signing_order")


SPEC = ParameterSpec(
    plugin=PLUGIN,
    schema=AutodealerParameters,
    presets={"faw_vw": {"policy": FAW_VW}, "skoda": {"policy": SKODA}},
    default_preset="faw_vw",
    preset_descriptions={
        "faw_vw": "汽车客户管理制度·客户档案管理制度(一汽-大众经销商,原文数值)",
        "skoda": "客户管理制度14(上海大众斯柯达经销商,原文数值)",
    },
)
