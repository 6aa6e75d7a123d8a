"""What a company tunes in the retail plugin, with the text's own numbers as defaults and no default
where the text gives none.

The text fixes: 六折 for a uniform not returned (``uniform_not_returned_rate`` 0.6); the verbal and
written warnings for the uniform rule; 店长 as the leave approver; 部门负责人 or 分管经理 for a major
complaint. It points elsewhere for every other sanction (行政管理制度, 有关规定, 奖惩条例, 严厉处罚, 视情节),
for the rate of a uniform damaged through poor care (按规定), and gives no VIP criteria, no
repeat-offence period or ladder and no complaint deadline in days: each of those is a parameter
without a default, and a decision that needs one says it is not configured.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ...core.params import ParameterSpec
from .catalogue import CONDUCT_BY_KEY, CONFIGURED_TRACKS, PLUGIN
from .records import REPORT_TO, ROLES, SEVERITY, VIP_CLASSES

LEAVE_ADVANCE = ("24_hours", "calendar_day")
REPEAT_SCOPES = ("same_rule", "same_category", "any")
VIP_COMBINE = ("both", "either")
MAJOR_REPORT_BY = ("before_follow", "before_reply")
#: Classes from the lowest to the highest: bands are given in this order.
CLASS_ORDER = ("D", "C", "B", "A")

VERBAL_WARNING = {"code": "verbal_warning", "label": "口头警告", "fine": None, "reference": None}
WRITTEN_WARNING = {"code": "written_warning", "label": "书面警告", "fine": None, "reference": None}


def _two_places(value: Decimal) -> None:
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -2:
        raise ValidationError("a fine is counted in yuan to the fen (at most 2 decimal places)")


class SanctionSpec(Schema):
    """A sanction the company's own rulebook gives: a code, its Chinese label, a fine if any, the clause."""

    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,31}$", error="a lowercase code such as 'fine' or 'demerit'"))
    label = fields.String(required=True, validate=validate.Length(min=1, max=50))
    fine = fields.Decimal(load_default=None, allow_none=True, validate=[validate.Range(min=0, max=Decimal("1000000")), _two_places])
    reference = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


class LadderStep(Schema):
    offence = fields.Integer(required=True, validate=validate.Range(min=2, max=100))
    sanction = fields.Nested(SanctionSpec, required=True)


class SpendBand(Schema):
    vip_class = fields.String(required=True, data_key="class", validate=validate.OneOf(CLASS_ORDER))
    min = fields.Decimal(required=True, validate=validate.Range(min=0))
    max = fields.Decimal(load_default=None, allow_none=True)


class VisitBand(Schema):
    vip_class = fields.String(required=True, data_key="class", validate=validate.OneOf(CLASS_ORDER))
    min = fields.Integer(required=True, validate=validate.Range(min=0))
    max = fields.Integer(load_default=None, allow_none=True)


def check_bands(bands: list[dict[str, Any]], name: str, unit: str) -> None:
    """Classes D, C, B, A in that order, from 0 up, contiguous (lower bound inclusive, upper exclusive), the last open."""
    classes = [b["vip_class"] for b in bands]
    if classes != list(CLASS_ORDER):
        raise ValidationError(f"bands must be classes {', '.join(CLASS_ORDER)} from the lowest up, in this order (got {', '.join(classes)})", name)
    if bands[0]["min"] != 0:
        raise ValidationError(f"class D must start at 0 {unit} (every VIP is classified A-D), got {bands[0]['min']}", name)
    if bands[-1]["max"] is not None:
        raise ValidationError(f"class A must be open-ended (max: null), got {bands[-1]['max']}", name)
    for band, following in zip(bands, bands[1:]):
        low, high = band["min"], band["max"]
        if high is None:
            raise ValidationError(f"class {band['vip_class']} has no upper bound but is followed by class {following['vip_class']}", name)
        if high <= low:
            raise ValidationError(f"class {band['vip_class']}: max {high} must be above min {low}", name)
        if following["min"] > high:
            raise ValidationError(f"gap between class {band['vip_class']} (max {high}) and class {following['vip_class']} (min {following['min']})", name)
        if following["min"] < high:
            raise ValidationError(f"overlap between class {band['vip_class']} (max {high}) and class {following['vip_class']} (min {following['min']})", name)


def _sanction_key(key: str, name: str) -> None:
    """``sanctions`` keys: a rule key, or rule key + ``.general``/``.serious``; only tracks the company sets."""
    rule_key, _, severity = key.partition(".")
    entry = CONDUCT_BY_KEY.get(rule_key)
    if entry is None:
        raise ValidationError(f"'{key}': no conduct rule '{rule_key}' (zhidu retail-rules lists them)", name)
    if severity and severity not in SEVERITY:
        raise ValidationError(f"'{key}': the severity after the dot must be one of {', '.join(SEVERITY)}", name)
    if entry.track not in CONFIGURED_TRACKS:
        raise ValidationError(f"'{key}': the text itself decides rule {rule_key} (track {entry.track}); it takes no company sanction", name)
    if entry.track == "by_seriousness" and not severity:
        raise ValidationError(f"'{key}': rule {rule_key} is sanctioned by seriousness (视情节严重): give {rule_key}.general and {rule_key}.serious", name)


def _track_key(key: str, name: str) -> None:
    track, _, severity = key.partition(".")
    if track not in CONFIGURED_TRACKS:
        raise ValidationError(f"'{key}': tracks a company sets are {', '.join(CONFIGURED_TRACKS)}", name)
    if severity and severity not in SEVERITY:
        raise ValidationError(f"'{key}': the severity after the dot must be one of {', '.join(SEVERITY)}", name)
    if track == "by_seriousness" and not severity:
        raise ValidationError(f"'{key}': this track is sanctioned by seriousness (视情节严重): give by_seriousness.general and by_seriousness.serious", name)


class RetailParameters(Schema):
    document = fields.String(
        load_default="sales", validate=validate.OneOf(("sales", "doc9")),
        metadata={"description": "店铺制度引用的文件:sales 销售客户管理制度(篇2/4/5/6) / doc9 客户管理制度9(第1-4部分),两者条文相同"},
    )
    # --- sanctions the text leaves to other rulebooks --------------------------------------------
    sanctions = fields.Dict(
        keys=fields.String(), values=fields.Nested(SanctionSpec), load_default=dict,
        metadata={"description": "按条款设定的处罚(企业依其行政管理制度/有关规定/奖惩条例填写),键为条款键或“条款键.general/.serious”;原文未定,默认不设"},
    )
    track_sanctions = fields.Dict(
        keys=fields.String(), values=fields.Nested(SanctionSpec), load_default=dict,
        metadata={"description": "按处罚途径设定的处罚:administrative 行政管理制度 / relevant_rules 有关规定 / rewards_penalties 奖惩条例 / "
                                 "severe 严厉处罚 / by_seriousness.general|serious 视情节;原文未定,默认不设"},
    )
    # --- repeat offences: the text says 初犯 but gives no period and no ladder ------------------------
    repeat_period_days = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=3660),
        metadata={"description": "统计再犯的期间(天):此前多少天内的同类事件计为前次违纪;原文未定,默认不统计再犯"},
    )
    repeat_scope = fields.String(
        load_default="same_rule", validate=validate.OneOf(REPEAT_SCOPES),
        metadata={"description": "什么算再犯:same_rule 同一条款 / same_category 同一类别 / any 任何违纪"},
    )
    repeat_ladder = fields.List(
        fields.Nested(LadderStep), load_default=None, allow_none=True,
        metadata={"description": "再犯处罚阶梯:第N次起的处罚(N>=2,递增);原文未定,默认不设"},
    )
    # --- leave (篇2第2条) ----------------------------------------------------------------------------
    leave_advance = fields.String(
        load_default="24_hours", validate=validate.OneOf(LEAVE_ADVANCE),
        metadata={"description": "“提前一天”的读法:24_hours 申请时间早于请假开始至少24小时 / calendar_day 在请假开始日之前的某一日申请"},
    )
    leave_approver_roles = fields.List(
        fields.String(validate=validate.OneOf(tuple(ROLES))), load_default=lambda: ["store_manager"],
        metadata={"description": "可批准请假的岗位;原文为店长(store_manager)"},
    )
    # --- uniforms (篇4第1条、第3条) ---------------------------------------------------------------
    uniform_not_returned_rate = fields.Decimal(
        load_default=lambda: Decimal("0.6"), validate=validate.Range(min=0, max=1),
        metadata={"description": "离职未退回工服的赔偿比例:原文“按六折赔偿”即0.6(篇4第3条)"},
    )
    uniform_poor_care_rate = fields.Decimal(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=1),
        metadata={"description": "保管不善致工服破损或丢失的赔偿比例:原文“按规定进行赔偿”,未给比例,默认不设(篇4第1条)"},
    )
    # --- VIP classes (vip客户管理制度 第2条) -----------------------------------------------------------
    vip_spend_bands = fields.List(
        fields.Nested(SpendBand), load_default=None, allow_none=True,
        metadata={"description": "按消费金额(元)的分类区间 D→A(下限含、上限不含,D自0起,A不设上限);原文只列A/B/C/D,未定标准,默认不设"},
    )
    vip_visit_bands = fields.List(
        fields.Nested(VisitBand), load_default=None, allow_none=True,
        metadata={"description": "按到店次数(有消费的日数)的分类区间 D→A;原文未定,默认不设"},
    )
    vip_combine = fields.String(
        load_default="both", validate=validate.OneOf(VIP_COMBINE),
        metadata={"description": "两个标准都设时:both 两项都须达到(取较低类别) / either 达到其一即可(取较高类别)"},
    )
    vip_period_months = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=120),
        metadata={"description": "统计消费与到店次数的月数(截至判定日);不设则统计截至判定日的全部消费记录"},
    )
    vip_classifier_roles = fields.List(
        fields.String(validate=validate.OneOf(tuple(ROLES))), load_default=lambda: ["store_manager", "deputy_manager", "supervisor"],
        metadata={"description": "可做VIP分类的“管理者”岗位(vip客户管理制度 第2条)"},
    )
    # --- complaints (客户管理制度12 第十四章) ---------------------------------------------------------
    reply_working_days = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=60),
        metadata={"description": "未约定回复时间时企业自定的回复时限(工作日);原文只要求按约定时间回复,默认不设"},
    )
    reply_end_of_day = fields.Time(
        load_default=lambda: time(23, 59, 59),
        metadata={"description": "“N个工作日内回复”截止于第N个工作日的这一时刻"},
    )
    major_report_by = fields.String(
        load_default="before_follow", validate=validate.OneOf(MAJOR_REPORT_BY),
        metadata={"description": "重大投诉“马上报告”的读法:before_follow 问清情况后、开始跟进前 / before_reply 答复顾客前"},
    )
    major_report_within_minutes = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=10080),
        metadata={"description": "重大投诉自接待起多少分钟内须报告;原文只说“马上”,默认不设"},
    )
    report_recipients = fields.List(
        fields.String(validate=validate.OneOf(tuple(REPORT_TO))), load_default=lambda: ["department_head", "deputy_manager"],
        metadata={"description": "重大投诉的报告对象:原文为部门负责人或分管经理"},
    )

    @validates_schema
    def _check(self, data: dict[str, Any], **kwargs: Any) -> None:
        for key in data.get("sanctions") or {}:
            _sanction_key(key, "sanctions")
        for key in data.get("track_sanctions") or {}:
            _track_key(key, "track_sanctions")
        ladder = data.get("repeat_ladder")
        if ladder:
            offences = [step["offence"] for step in ladder]
            if offences != sorted(set(offences)):
                raise ValidationError(f"offences must be strictly increasing (got {', '.join(map(str, offences))})", "repeat_ladder")
        if data.get("vip_spend_bands"):
            check_bands(data["vip_spend_bands"], "vip_spend_bands", "元")
        if data.get("vip_visit_bands"):
            check_bands(data["vip_visit_bands"], "vip_visit_bands", "次")
        if not data.get("leave_approver_roles"):
            raise ValidationError("at least one role must approve leave (the text names the store manager)", "leave_approver_roles")
        if not data.get("report_recipients"):
            raise ValidationError("a major complaint must be reported to someone (the text: 部门负责人或分管经理)", "report_recipients")


#: Labelled example thresholds, for the demo and for trying the command; not in any source text.
EXAMPLE_VIP = {
    "vip_spend_bands": [
        {"class": "D", "min": "0", "max": "2000"},
        {"class": "C", "min": "2000", "max": "5000"},
        {"class": "B", "min": "5000", "max": "20000"},
        {"class": "A", "min": "20000", "max": None},
    ],
    "vip_visit_bands": [
        {"class": "D", "min": 0, "max": 4},
        {"class": "C", "min": 4, "max": 8},
        {"class": "B", "min": 8, "max": 16},
        {"class": "A", "min": 16, "max": None},
    ],
    "vip_combine": "both",
    "vip_period_months": 12,
}

SPEC = ParameterSpec(
    PLUGIN, RetailParameters,
    presets={"sales": {}, "doc9": {"document": "doc9"}, "example": dict(EXAMPLE_VIP)},
    default_preset="sales",
    preset_descriptions={
        "sales": "销售客户管理制度(篇2店铺制度、篇4工牌与工服、篇5员工准则、篇6仪容仪表)的条款号;原文数值",
        "doc9": "客户管理制度9(第1-4部分)的条款号;条文与数值同销售客户管理制度",
        "example": "示例:销售客户管理制度条款号,加一套VIP分类示例阈值(非原文,仅供演示与试用)",
    },
)

VIP_LABELS = VIP_CLASSES
