"""Tunable numbers of the realestate policies, one preset per source document.

Schema defaults are 万科房地产销售部客户管理制度's own numbers; the ``xize`` (房地产销售客户管理细则)
and ``consultant`` (置业顾问客户管理制度) presets override what their documents say differently.
The employee-referral rules (房地产公司员工介绍客户管理办法) are parameters usable with any preset
(``referral_enabled``, ``referral_split``): that document settles referrals only, not a floor.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ...core.params import ParameterSpec
from .citations import PLUGIN

ABSENCE_REASONS = ("none", "busy", "errand", "business")
ABSENCE_EFFECTS = ("lose", "skip", "priority", "makeup")
RELATIONS = ("spouse", "parent_child", "in_law", "sibling", "other")
# Who settles what the rules cannot, in the order the case goes up (万科§7.7 / 置业顾问 五.7F: the
# project manager's written opinion approved by the sales director; 细则(五)4: the department manager).
ESCALATION_TARGETS = {"project_manager": "项目经理", "sales_director": "销售总监", "department_manager": "部门经理",
                      "sales_manager": "销售经理"}

# Every pair-valued split parameter: name -> (first party, second party) for messages.
SPLITS = {
    "designation_split": ("最先接待者", "被指定者"),
    "recognized_split": ("原售楼员", "新售楼员"),
    "referral_split": ("介绍人", "售楼员"),
    "family_share": ("先登记者", "后登记者"),
    "company_followed_split": ("售楼员", "公佣"),
    "company_arranged_sales_split": ("售楼员", "公佣"),
    "declined_split": ("现接待者a", "原销售员b"),
    "volunteer_split": ("原销售员b", "协助者c"),
    "nth_visit_split": ("被指定者", "此前销售员"),
}


def _pair(default: tuple[str, str], description: str) -> fields.List:
    return fields.List(
        fields.Decimal(),
        load_default=lambda: [Decimal(default[0]), Decimal(default[1])],
        metadata={"description": description},
    )


class RealestateParameters(Schema):
    document = fields.String(
        load_default="vanke",
        validate=validate.OneOf(("vanke", "xize", "consultant")),
        metadata={"description": "引用条款的制度:vanke 万科 / xize 细则 / consultant 置业顾问"},
    )
    # --- registration window ----------------------------------------------------------------------
    window_months = fields.Integer(
        load_default=1, validate=validate.Range(min=1, max=24),
        metadata={"description": "登记(建档)有效期月数:万科§7.1 与 置业顾问五.2 为1个月,细则(五)2(1)为2个月"},
    )
    window_days = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=730),
        metadata={"description": "若设置,有效期按天数计(覆盖 window_months)"},
    )
    window_anchor = fields.String(
        load_default="registration", validate=validate.OneOf(("registration", "followup")),
        metadata={"description": "有效期起算:registration 最近一次来访登记;followup 最近一次登记或回访记录(置业顾问五.2)"},
    )
    recognition_window = fields.String(
        load_default="since_visit", validate=validate.OneOf(("since_visit", "original_registration")),
        metadata={"description": "“之后1个月内认出”的起算:since_visit 自新售楼员接待之日(万科§3.7i);original_registration 原登记建档有效期内(细则(五)3(7))"},
    )
    recognition_months = fields.Integer(
        load_default=1, validate=validate.Range(min=1, max=24),
        metadata={"description": "since_visit 时认出期限(月)"},
    )
    deal_on_spot_keeps_new = fields.Boolean(
        load_default=True,
        metadata={"description": "新售楼员当场成交且成交前未认出,客户与佣金全归新售楼员(万科§3.7h/置业顾问二.6B)"},
    )
    # --- reception ---------------------------------------------------------------------------------
    rotation_order = fields.String(
        load_default="schedule", validate=validate.OneOf(("schedule", "daily_sign_in")),
        metadata={"description": "schedule 排班表滚动循环,跨日延续(万科§3.2);daily_sign_in 按当日签到表顺序(置业顾问二.1)"},
    )
    absence_effects = fields.Dict(
        keys=fields.String(validate=validate.OneOf(ABSENCE_REASONS)),
        values=fields.String(validate=validate.OneOf(ABSENCE_EFFECTS)),
        load_default=lambda: {"none": "lose", "busy": "skip", "errand": "priority", "business": "priority"},
        metadata={"description": "离岗原因 -> 轮到时的处理:lose 取消本轮 / skip 顺延不罚 / priority 返岗后当前位置优先 / makeup 空几轮补几名"},
    )
    errand_requires_approval = fields.Boolean(
        load_default=True, metadata={"description": "领导临时安排须经项目经理核实批准方可优先轮值(万科§3.4)"},
    )
    unready_loses_turn = fields.Boolean(
        load_default=True, metadata={"description": "着装/准备不符要求取消本轮接客资格(万科§2.1)"},
    )
    volunteer_pick = fields.String(
        load_default="last_in_rotation", validate=validate.OneOf(("last_in_rotation", "on_turn")),
        metadata={"description": "原售楼员不在时义务接待者:排班最后一位(万科§4.2)或当值者(细则(二)5)"},
    )
    named_staff_rule = fields.String(
        load_default="registered_owner", validate=validate.OneOf(("registered_owner", "first_named")),
        metadata={"description": "客户说出多名销售员:以登记为准(万科§4.1)或第一位在场者(细则(五)3(5))"},
    )
    old_brings_new_counts = fields.Boolean(
        load_default=True, metadata={"description": "老客户带新客户视为接待一次,计入接待量(万科§1.3)"},
    )
    announced_referral = fields.Boolean(
        load_default=True, metadata={"description": "老客户事先来电、售楼员已声明并约好时间,新客户归该售楼员(万科§7.5a)"},
    )
    brought_new_owner = fields.String(
        load_default="asked_for", validate=validate.OneOf(("asked_for", "original")),
        metadata={"description": "老客户带来的新客户:asked_for 须声明找原售楼员(万科§7.5b);original 一律归原接待者(细则(五)3(10))"},
    )
    rejection_rule = fields.String(
        load_default="fault", validate=validate.OneOf(("fault", "complaint")),
        metadata={"description": "客户拒绝售楼员:fault 按过错等级(万科§3.10);complaint 投诉经落实(细则(五)3(4))"},
    )
    rejection_priority_slot = fields.Boolean(
        load_default=True, metadata={"description": "严重过错换人后,本次接待轮空,原售楼员可优先轮值(万科§3.10c)"},
    )
    lunch_desk = fields.Boolean(load_default=True, metadata={"description": "午餐时间轮班前两位值接待台(万科§3.14)"})
    lunch_start = fields.Time(load_default=lambda: time(12, 0), metadata={"description": "午餐时段开始(原文未定,解读值)"})
    lunch_end = fields.Time(load_default=lambda: time(13, 30), metadata={"description": "午餐时段结束(不含)"})
    lunch_desk_size = fields.Integer(load_default=2, validate=validate.Range(min=1, max=10), metadata={"description": "值台人数(前两位)"})
    # --- splits ------------------------------------------------------------------------------------
    designation_split = _pair(("0.7", "0.3"), "接待中途指定:最先接待者/被指定者(万科§5.2 70/30,置业顾问四.2 55/45)")
    recognized_split = _pair(("0.5", "0.5"), "有效期内认出:原售楼员/新售楼员(万科§3.7i)")
    referral_split = _pair(("0.3", "0.7"), "员工介绍:介绍人/售楼员(员工介绍客户管理办法第8条)")
    family_rule = fields.String(
        load_default="share", validate=validate.OneOf(("share", "first")),
        metadata={"description": "家庭成员分别登记:share 共同接待佣金各半(万科§7.4);first 以先登记者为准(置业顾问五.5)"},
    )
    family_relations = fields.List(
        fields.String(validate=validate.OneOf(RELATIONS)), load_default=lambda: ["spouse"],
        metadata={"description": "适用家庭规则的关系(其余按不同客户处理)"},
    )
    family_share = _pair(("0.5", "0.5"), "夫妻共同接待:先登记者/后登记者(万科§7.4)")
    company_customers = fields.Boolean(load_default=True, metadata={"description": "公司客户规则(万科§6(1))"})
    company_followed_split = _pair(("0.7", "0.3"), "公司客户售楼员全程跟进:售楼员/公佣(万科§6(1)3)")
    company_arranged_sales_split = _pair(("0.3", "0.7"), "公司直接安排、售楼员售后跟进:售楼员/公佣(万科§6(1)4)")
    referral_enabled = fields.Boolean(load_default=True, metadata={"description": "适用员工介绍客户规则"})
    declined_split = _pair(("0.8", "0.2"), "细则(五)3(2):a/b")
    volunteer_split = _pair(("0.8", "0.2"), "细则(五)3(3):b/c")
    nth_visit_split = _pair(("0.5", "0.5"), "细则(五)3(8):被指定者/此前销售员")
    escalation_to = fields.List(
        fields.String(validate=validate.OneOf(tuple(ESCALATION_TARGETS))), validate=validate.Length(min=1),
        load_default=lambda: ["project_manager", "sales_director"],
        metadata={"description": "无法分清归属时报送的人员,依次:万科§7.7/置业顾问五.7F 项目经理->销售总监;细则(五)4 部门经理"},
    )
    reassignment_seed = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=64),
        metadata={"description": "细则(五)3(12) 随机抽数分配的种子;事件 details.draw_seed 优先,均未给出时以事件编号为种子"},
    )
    quarrel_to_department = fields.Boolean(load_default=False, metadata={"description": "交叉客户争吵,业绩奖金归部门(细则(五)4)"})
    amount_quantum = fields.Decimal(
        load_default=lambda: Decimal("0.01"),
        metadata={"description": "金额舍入单位(四舍五入),余差归最大份额"},
    )
    # --- conduct -------------------------------------------------------------------------------------
    grab_serious_bonus_rate = fields.Decimal(
        load_default=lambda: Decimal("0.5"), validate=validate.Range(min=0, max=1),
        metadata={"description": "抢客争客怠慢情节严重:扣当月奖金比例(细则(二)4)"},
    )
    provoke_bonus_rate = fields.Decimal(
        load_default=lambda: Decimal("0.5"), validate=validate.Range(min=0, max=1),
        metadata={"description": "故意挑起事端:扣当月成交奖金比例(细则(二)5(3))"},
    )

    @validates_schema
    def _check(self, data, **kwargs):
        for name in SPLITS:
            pair = data.get(name)
            if pair is None:
                continue
            if len(pair) != 2:
                raise ValidationError("exactly two shares are needed", name)
            if any(p < 0 or p > 1 for p in pair):
                raise ValidationError("shares must lie between 0 and 1", name)
            if pair[0] + pair[1] != 1:
                raise ValidationError(f"shares must add up to 1 (got {pair[0] + pair[1]})", name)
        start, end = data.get("lunch_start"), data.get("lunch_end")
        if start is not None and end is not None and not start < end:
            raise ValidationError("lunch_start must be before lunch_end", "lunch_end")
        quantum = data.get("amount_quantum")
        if quantum is not None and (quantum <= 0 or quantum > 1):
            raise ValidationError("amount_quantum must be in (0, 1]", "amount_quantum")
        effects = data.get("absence_effects")
        if effects is not None:
            missing = [r for r in ABSENCE_REASONS if r not in effects]
            if missing:
                raise ValidationError(f"missing reasons: {', '.join(missing)}", "absence_effects")


VANKE_PRESET: dict = {"document": "vanke"}

CONSULTANT_PRESET: dict = {
    "document": "consultant",
    "window_anchor": "followup",
    "rotation_order": "daily_sign_in",
    "old_brings_new_counts": False,
    "rejection_priority_slot": False,
    "lunch_desk": False,
    "designation_split": ["0.55", "0.45"],
    "family_rule": "first",
    "family_relations": ["spouse", "parent_child", "in_law"],
    "company_customers": False,
}

XIZE_PRESET: dict = {
    "document": "xize",
    "window_months": 2,
    "recognition_window": "original_registration",
    "deal_on_spot_keeps_new": False,
    "absence_effects": {"none": "lose", "busy": "skip", "errand": "makeup", "business": "makeup"},
    "errand_requires_approval": False,
    "unready_loses_turn": False,
    "volunteer_pick": "on_turn",
    "named_staff_rule": "first_named",
    "old_brings_new_counts": False,
    "announced_referral": False,
    "brought_new_owner": "original",
    "rejection_rule": "complaint",
    "rejection_priority_slot": False,
    "lunch_desk": False,
    "family_rule": "first",
    "family_relations": ["spouse", "parent_child"],
    "company_customers": False,
    "quarrel_to_department": True,
    "escalation_to": ["department_manager"],
}

SPEC = ParameterSpec(
    plugin=PLUGIN,
    schema=RealestateParameters,
    presets={"vanke": VANKE_PRESET, "xize": XIZE_PRESET, "consultant": CONSULTANT_PRESET},
    default_preset="vanke",
    preset_descriptions={
        "vanke": "万科房地产销售部客户管理制度(含§6(2)员工介绍客户)",
        "xize": "房地产销售客户管理细则(建档有效期2个月,补接,80/20、50/50分成)",
        "consultant": "置业顾问客户管理制度(有效期按最后回访记录计,55/45)",
    },
)
