"""Tunable numbers of the petrochem policy, with the documents' own values as defaults.

Every table is checked when a profile loads: a bad value raises a ``ValidationError`` keyed by the
parameter's name (``tier_bands``, ``complaint_working_days``, ...), which the core reports as
``petrochem: tier_bands: ...``.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ...core.bands import band_table
from ...core.params import ParameterSpec
from .allocation import RANKING_CRITERIA
from .vocabulary import APPROVAL_STAGES, DOC_TYPES, SEGMENTS, STAR_LEVELS, VISIT_FORM, VISIT_ITEMS

PLUGIN = "petrochem"

REVIEW_BASES = ("every_month", "average", "last_month")
MISSING_MONTH = ("zero", "skip")
DUE_READINGS = ("end_of_day", "same_time")
COMPLAINT_SOURCES = ("hb", "youpin")
ALLOCATION_MODES = ("priority", "pro_rata")
LICENCE_VALIDITY = ("calendar_year", "twelve_months")


def _default_bands() -> list[dict]:
    # 第九条(二)2-5: lower bound inclusive (大于等于), upper bound exclusive (小于); 三星 "3000吨以上" includes 3000.
    return [
        {"level": "ordinary", "min": Decimal("0"), "max": Decimal("1000")},
        {"level": "star1", "min": Decimal("1000"), "max": Decimal("2000")},
        {"level": "star2", "min": Decimal("2000"), "max": Decimal("3000")},
        {"level": "star3", "min": Decimal("3000"), "max": None},
    ]


def _default_visit_scales() -> dict[str, dict[str, int]]:
    # 油品调运分公司客户管理办法 附件1: left to right 100/90/85/80/70/60/50; service 不好 = 30, 恶劣 = 0.
    return {item: dict(options) for item, options in VISIT_FORM.items()}


class TierBand(Schema):
    level = fields.String(required=True, validate=validate.OneOf(STAR_LEVELS))
    min = fields.Decimal(required=True, validate=validate.Range(min=0))
    max = fields.Decimal(load_default=None, allow_none=True)


def check_bands(bands: list[dict]) -> None:
    """Gaps, overlaps, empty or falling bands, wrong order: each is an error naming the band."""
    levels = [b["level"] for b in bands]
    if levels != list(STAR_LEVELS):
        raise ValidationError(f"bands must be exactly {', '.join(STAR_LEVELS)} in this order (got {', '.join(levels)})", "tier_bands")
    if bands[0]["min"] != 0:
        raise ValidationError(f"the first band ({levels[0]}) must start at 0 t, got {bands[0]['min']}", "tier_bands")
    if bands[-1]["max"] is not None:
        raise ValidationError(f"the last band ({levels[-1]}) must be open-ended (max: null), got {bands[-1]['max']}", "tier_bands")
    for band, following in zip(bands, bands[1:]):
        if band["max"] is None:
            raise ValidationError(f"band {band['level']} has no upper bound but is followed by {following['level']}", "tier_bands")
        if band["max"] <= band["min"]:
            raise ValidationError(f"band {band['level']}: max {band['max']} must be above min {band['min']} (non-monotonic bounds)", "tier_bands")
        if following["min"] > band["max"]:
            raise ValidationError(f"gap between {band['level']} (max {band['max']}) and {following['level']} (min {following['min']})", "tier_bands")
        if following["min"] < band["max"]:
            raise ValidationError(f"overlap between {band['level']} (max {band['max']}) and {following['level']} (min {following['min']})", "tier_bands")


class PetrochemParameters(Schema):
    # --- 第九条 star tiers --------------------------------------------------------------------
    tier_bands = fields.List(
        fields.Nested(TierBand),
        load_default=_default_bands,
        metadata={"description": "聚烯烃计划客户的单月提货量分级表(吨;下限含本数,上限不含),第九条(二)",
                  **band_table(lower="min", upper="max", label="level", start=0)},
    )
    max_level_step = fields.Integer(
        load_default=1,
        validate=validate.Range(min=0),
        metadata={"description": "每次评审最多升降的级别数(依次升降=1;0=不限),第九条(二)"},
    )
    review_basis = fields.String(
        load_default="every_month",
        validate=validate.OneOf(REVIEW_BASES),
        metadata={"description": "评审期内按哪些月份定级:every_month=每个月都达标(单月标准),average=月均,last_month=最后一个月"},
    )
    missing_month = fields.String(
        load_default="zero",
        validate=validate.OneOf(MISSING_MONTH),
        metadata={"description": "评审期内无提货记录的月份:zero=按0吨计,skip=不计入"},
    )
    upgrade_min_completion_rate = fields.Decimal(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=1),
        metadata={"description": "升级所需的最低提货完成率(“与其他指标共同考核”;原文未给数值,默认不设)"},
    )
    # --- 第十二条 complaints ------------------------------------------------------------------
    complaint_source = fields.String(
        load_default="hb",
        validate=validate.OneOf(COMPLAINT_SOURCES),
        metadata={"description": "投诉条款出处:hb=化工品客户管理办法第十二条,youpin=油品调运分公司客户管理办法第十一条"},
    )
    complaint_working_days = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        load_default=lambda: {"general": 1, "major": 3, "serious": 3},
        metadata={"description": "各级投诉的处理时限(工作日):一般1,较大3,严重同较大"},
    )
    special_approval_max_working_days = fields.Integer(
        load_default=7,
        metadata={"description": "特殊情况经各级主管领导批准后的最长处理时限(工作日)"},
    )
    special_approval_severities = fields.List(
        fields.String(),
        load_default=lambda: ["major", "serious"],
        metadata={"description": "可经批准延长至最长时限的投诉级别(原文只针对较大事件投诉)"},
    )
    meeting_severities = fields.List(
        fields.String(),
        load_default=lambda: ["major", "serious"],
        metadata={"description": "报请召开专题会议的投诉级别(“情节较重或严重”)"},
    )
    complaint_department = fields.String(
        load_default="销售部", metadata={"description": "受理并处理一般投诉的部门"}
    )
    complaint_approver = fields.String(
        load_default="主管领导", metadata={"description": "审批一般投诉处理意见的人"}
    )
    meeting_handler = fields.String(
        load_default="总经理专题会议", metadata={"description": "情节较重或严重投诉的处理机构"}
    )
    due_reading = fields.String(
        load_default="end_of_day",
        validate=validate.OneOf(DUE_READINGS),
        metadata={"description": "时限读法:end_of_day=受理日之后第n个工作日结束前;same_time=第n个工作日的同一时刻"},
    )
    end_of_day = fields.Time(
        load_default=lambda: time(23, 59, 59),
        metadata={"description": "end_of_day 读法下一个工作日的截止时刻"},
    )
    # --- 第七条 / 第十条 / 第十五条 dossier -------------------------------------------------------
    required_documents = fields.List(
        fields.String(validate=validate.OneOf(DOC_TYPES)),
        load_default=lambda: [
            "business_licence", "tax_registration_national", "tax_registration_local",
            "organisation_code", "invoicing_details", "account_opening_form",
        ],
        metadata={"description": "各类客户必须提供的资质材料(第七条;三证合一后可去掉税务登记证和组织机构代码证)"},
    )
    approval_chain = fields.List(
        fields.String(validate=validate.OneOf(APPROVAL_STAGES)),
        load_default=lambda: ["sales", "finance", "general_manager"],
        metadata={"description": "开户审批顺序:销售部 -> 财务部 -> 总经理(第七条)"},
    )
    expiry_notice_days = fields.Integer(
        load_default=30,
        validate=validate.Range(min=0, max=366),
        metadata={"description": "资质在多少天内到期时提示及时换证(第十五条“定期检查客户资质的有效期”;0=不提示)"},
    )
    licence_validity = fields.String(
        load_default="calendar_year",
        validate=validate.OneOf(LICENCE_VALIDITY),
        metadata={"description": "独家代理许可证未写有效期时的读法:calendar_year=颁发当年,twelve_months=颁发日起12个月"},
    )
    # --- 第三条 / 第十条 resource allocation ---------------------------------------------------
    allocation_class_order = fields.List(
        fields.String(validate=validate.OneOf(SEGMENTS)),
        load_default=lambda: ["direct", "exclusive_agent", "distributor"],
        metadata={"description": "资源分配顺序:确保直销量、平衡独家代理量、补充经销量(第三条(二))"},
    )
    allocation_mode = fields.String(
        load_default="priority",
        validate=validate.OneOf(ALLOCATION_MODES),
        metadata={"description": "同类客户资源不足时:priority=按完成率和均衡度优先满足,pro_rata=按申请量比例分配"},
    )
    allocation_ranking = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SEGMENTS)),
        values=fields.List(fields.String(validate=validate.OneOf(RANKING_CRITERIA))),
        load_default=lambda: {"direct": ["completion_rate"], "exclusive_agent": ["completion_rate", "cooperation"],
                              "distributor": ["completion_rate", "weekly_balance"]},
        metadata={"description": "同类客户资源不足时的排序依据(依次比较):独家代理商按提货量完成率、配合度(第十条(三)2),"
                                 "经销商按提货量完成率、周拿货量均衡(第十条(四)3);直销客户原文未规定,按提货完成率"},
    )
    allocation_quantum = fields.Decimal(
        load_default=lambda: Decimal("0.001"),
        validate=validate.Range(min=Decimal("0.001"), max=Decimal("1000")),
        metadata={"description": "分配量的最小单位(吨),按比例分配时的舍入单位"},
    )
    # --- 附件1 visit reports ------------------------------------------------------------------
    visit_scales = fields.Dict(
        keys=fields.String(validate=validate.OneOf(VISIT_ITEMS)),
        values=fields.Dict(keys=fields.String(), values=fields.Integer(validate=validate.Range(min=0, max=100))),
        load_default=_default_visit_scales,
        metadata={"description": "走访报告单各栏目的选项与分值(油品调运分公司客户管理办法附件1)"},
    )

    @validates_schema
    def _check_tables(self, data, **kwargs):
        check_bands(data.get("tier_bands", []))
        days = data.get("complaint_working_days", {})
        if set(days) != {"general", "major", "serious"}:
            raise ValidationError("needs exactly the keys general, major, serious", "complaint_working_days")
        if any(n < 1 for n in days.values()):
            raise ValidationError("every time limit must be at least 1 working day", "complaint_working_days")
        if not days["general"] <= days["major"] <= days["serious"]:
            raise ValidationError("limits must not fall with severity (general <= major <= serious)", "complaint_working_days")
        for key in ("special_approval_severities", "meeting_severities"):
            unknown = set(data.get(key, [])) - {"general", "major", "serious"}
            if unknown:
                raise ValidationError(f"unknown severities: {', '.join(sorted(unknown))}", key)
        extended = [days[s] for s in data.get("special_approval_severities", [])]
        if extended and data.get("special_approval_max_working_days", 7) < max(extended):
            raise ValidationError("the approved maximum must not be shorter than the ordinary limit it extends", "special_approval_max_working_days")
        chain = data.get("approval_chain", [])
        if not chain or len(set(chain)) != len(chain):
            raise ValidationError("stages must be listed once each", "approval_chain")
        if len(set(data.get("required_documents", []))) != len(data.get("required_documents", [])):
            raise ValidationError("document types must be listed once each", "required_documents")
        order = data.get("allocation_class_order", [])
        if sorted(order) != sorted(SEGMENTS):
            raise ValidationError(f"must list each of {', '.join(SEGMENTS)} exactly once", "allocation_class_order")
        ranking = data.get("allocation_ranking", {})
        if set(ranking) != set(SEGMENTS):
            raise ValidationError(f"needs exactly the classes {', '.join(SEGMENTS)}", "allocation_ranking")
        if any(len(set(c)) != len(c) for c in ranking.values()):
            raise ValidationError("a criterion is listed once per class", "allocation_ranking")
        scales = data.get("visit_scales", {})
        if set(scales) != set(VISIT_ITEMS):
            raise ValidationError(f"needs exactly the items {', '.join(VISIT_ITEMS)}", "visit_scales")
        for item, scale in scales.items():
            scores = list(scale.values())
            if set(scale) != set(VISIT_FORM[item]):
                # The form's options are the document's; a company may score them differently,
                # not add or drop any (the visit_report schema accepts exactly the form's options).
                raise ValidationError(f"{item}: options must be exactly the form's: {'、'.join(VISIT_FORM[item])}", "visit_scales")
            if any(later > earlier for earlier, later in zip(scores, scores[1:])):
                raise ValidationError(f"{item}: scores must not rise from left to right (best option first)", "visit_scales")


SPEC = ParameterSpec(
    plugin=PLUGIN,
    schema=PetrochemParameters,
    presets={
        "hb": {},
        "youpin": {
            "complaint_source": "youpin",
            "complaint_department": "企业发展部",
            "meeting_handler": "经理办公会专题会议",
        },
    },
    default_preset="hb",
    preset_descriptions={
        "hb": "石油销售公司化工品客户管理办法(原文数值)",
        "youpin": "工贸油品调运分公司客户管理办法:投诉由企业发展部受理,较重或严重投诉报经理办公会专题会议",
    },
)
