"""The retail plugin's record kinds: store staff, their conduct incidents, leave requests and uniform
issues; VIP customers and their purchases; store complaints with the handling steps as children.

Every kind is the plugin's own (``store_staff`` rather than the shared ``staff``: petrochem and the
other plugins keep the shared kinds to themselves). Columns take the English field names or the
Chinese headers of a store's ledgers; vocabulary columns take the code or the Chinese label
(``店长`` for ``store_manager``, ``严重`` for ``serious``) and a few common synonyms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from marshmallow import fields, validate

from ...core.fields import Amount, Choice, Code, Flag, LocalDate, LocalDateTime, NonNegative, RecordSchema, personal, zh
from ...core.kinds import ChildKind, RecordKind

_Short = validate.Length(max=64)
_Name = validate.Length(max=100)
_Text = validate.Length(max=4000)


class Vocab(Choice):
    """A code column that accepts its Chinese label and a few synonyms an export may write."""

    def __init__(self, choices: dict[str, str], aliases: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(choices, **kwargs)
        for alias, code in (aliases or {}).items():
            assert code in choices, (alias, code)
            self.by_label.setdefault(alias, code)


ROLES = {
    "store_manager": "店长",
    "deputy_manager": "副店长",
    "supervisor": "主管",
    "inspector": "指定检查员",
    "sales": "店员",
    "customer_service": "客服",
    "other": "其他",
}
ROLE_ALIASES = {"导购": "sales", "营业员": "sales", "导购员": "sales", "检查员": "inspector", "客服人员": "customer_service",
                "客服专员": "customer_service", "店铺经理": "store_manager"}

SEVERITY = {"general": "一般", "serious": "严重"}
SEVERITY_ALIASES = {"情节严重": "serious", "轻微": "general", "初犯": "general"}

EVIDENCE = {
    "manager_observation": "店长观察",
    "attendance_record": "考勤记录",
    "bag_check": "包裹检查",
    "system_log": "系统日志",
}
EVIDENCE_ALIASES = {"主管观察": "manager_observation", "现场观察": "manager_observation", "储物柜检查": "bag_check",
                    "考勤": "attendance_record", "电脑日志": "system_log", "系统记录": "system_log"}

UNIFORM_STATUS = {"in_use": "在用", "returned": "已退回", "not_returned": "未退回", "damaged": "破损", "lost": "丢失"}
UNIFORM_ALIASES = {"退回": "returned", "遗失": "lost", "损坏": "damaged"}

VIP_CLASSES = {"A": "A类", "B": "B类", "C": "C类", "D": "D类"}

CHANNELS = {"phone": "来电", "visit": "上门", "other": "其他"}
CHANNEL_ALIASES = {"电话": "phone", "来访": "visit", "到店": "visit"}

#: 客户管理制度12 第十四章: the six handling principles, in their order.
STEPS = {"listen": "听清楚", "ask": "问清楚", "follow": "跟清楚", "reply": "复清楚", "record": "记清楚", "report": "报告"}
STEP_ALIASES = {"听清晰": "listen", "问清晰": "ask", "跟清晰": "follow", "复清晰": "reply", "记清晰": "record",
                "倾听": "listen", "询问": "ask", "跟进": "follow", "回复": "reply", "记录": "record", "上报": "report"}

REPORT_TO = {"department_head": "部门负责人", "deputy_manager": "分管经理", "other": "其他"}


# --- store staff -----------------------------------------------------------------------------------

@dataclass(slots=True)
class StoreStaff:
    code: str
    name: str
    store: str
    role: str = "sales"
    joined_on: date | None = None
    left_on: date | None = None
    phone: str | None = None


class StoreStaffSchema(RecordSchema):
    record_class = StoreStaff
    code = fields.String(required=True, validate=Code, **zh("工号"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100), **zh("姓名"))
    store = fields.String(required=True, validate=Code, **zh("门店"))
    role = Vocab(ROLES, ROLE_ALIASES, load_default="sales", **zh("岗位"))
    joined_on = LocalDate(load_default=None, **zh("入职日期"))
    left_on = LocalDate(load_default=None, **zh("离职日期"))
    phone = fields.String(load_default=None, validate=validate.Length(max=32), **personal("手机号码"))


# --- conduct incidents -----------------------------------------------------------------------------

@dataclass(slots=True)
class StaffIncident:
    code: str
    staff_code: str
    occurred_at: datetime
    rule: str | None = None
    behaviour: str | None = None
    severity: str = "general"
    evidence: str | None = None
    staff_name: str | None = None
    store: str | None = None
    observed_by: str | None = None
    facts: str | None = None


class StaffIncidentSchema(RecordSchema):
    # Every field is one the import fast path knows (no Integer, no nested): a month of incidents
    # of a large chain imports at full speed.
    record_class = StaffIncident
    code = fields.String(required=True, validate=Code, **zh("事件编号"))
    staff_code = fields.String(required=True, validate=Code, **zh("工号"))
    occurred_at = LocalDateTime(required=True, **zh("发生时间"))
    rule = fields.String(load_default=None, validate=_Short, **zh("违反条款"))
    behaviour = fields.String(load_default=None, validate=_Text, **zh("行为描述"))
    severity = Vocab(SEVERITY, SEVERITY_ALIASES, load_default="general", **zh("情节"))
    evidence = Vocab(EVIDENCE, EVIDENCE_ALIASES, load_default=None, **zh("证据"))
    staff_name = fields.String(load_default=None, validate=_Name, **zh("姓名"))
    store = fields.String(load_default=None, validate=_Short, **zh("门店"))
    observed_by = fields.String(load_default=None, validate=_Name, **zh("记录人"))
    facts = fields.String(load_default=None, validate=_Text, **zh("事实经过"))


# --- leave -----------------------------------------------------------------------------------------

@dataclass(slots=True)
class LeaveRequest:
    code: str
    staff_code: str
    requested_at: datetime
    starts_at: datetime
    ends_at: datetime | None = None
    approver: str | None = None
    approver_role: str | None = None
    approved: bool | None = None
    approved_at: datetime | None = None
    store: str | None = None
    staff_name: str | None = None
    reason: str | None = None


class LeaveRequestSchema(RecordSchema):
    record_class = LeaveRequest
    code = fields.String(required=True, validate=Code, **zh("申请编号"))
    staff_code = fields.String(required=True, validate=Code, **zh("工号"))
    requested_at = LocalDateTime(required=True, **zh("申请时间"))
    starts_at = LocalDateTime(required=True, **zh("请假开始时间"))
    ends_at = LocalDateTime(load_default=None, **zh("请假结束时间"))
    approver = fields.String(load_default=None, validate=_Short, **zh("审批人"))
    approver_role = Vocab(ROLES, ROLE_ALIASES, load_default=None, **zh("审批人岗位"))
    approved = Flag(load_default=None, allow_none=True, **zh("是否批准"))
    approved_at = LocalDateTime(load_default=None, **zh("批准时间"))
    store = fields.String(load_default=None, validate=_Short, **zh("门店"))
    staff_name = fields.String(load_default=None, validate=_Name, **zh("姓名"))
    reason = fields.String(load_default=None, validate=_Text, **zh("事由"))


# --- uniforms --------------------------------------------------------------------------------------

@dataclass(slots=True)
class UniformIssue:
    code: str
    staff_code: str
    item: str
    price: Decimal
    issued_on: date | None = None
    quantity: int = 1
    status: str = "in_use"
    returned_quantity: int = 0
    returned_on: date | None = None
    left_on: date | None = None
    poor_care: bool | None = None
    noted_on: date | None = None
    store: str | None = None


class UniformIssueSchema(RecordSchema):
    record_class = UniformIssue
    code = fields.String(required=True, validate=Code, **zh("发放编号"))
    staff_code = fields.String(required=True, validate=Code, **zh("工号"))
    item = fields.String(required=True, validate=validate.Length(min=1, max=100), **zh("款号"))
    price = Amount(digits=12, places=2, required=True, validate=NonNegative, **zh("单价"))
    issued_on = LocalDate(load_default=None, **zh("发放日期"))
    quantity = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000), **zh("数量"))
    status = Vocab(UNIFORM_STATUS, UNIFORM_ALIASES, load_default="in_use", **zh("状态"))
    returned_quantity = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1000), **zh("退回数量"))
    returned_on = LocalDate(load_default=None, **zh("退回日期"))
    left_on = LocalDate(load_default=None, **zh("离职日期"))
    poor_care = Flag(load_default=None, allow_none=True, **zh("保管不善"))
    noted_on = LocalDate(load_default=None, **zh("登记日期"))
    store = fields.String(load_default=None, validate=_Short, **zh("门店"))


# --- VIP customers and their purchases ---------------------------------------------------------------

@dataclass(slots=True)
class VipCustomer:
    code: str
    name: str
    store: str | None = None
    phone: str | None = None
    joined_on: date | None = None
    assigned_class: str | None = None
    classified_by: str | None = None
    classified_by_role: str | None = None
    classified_on: date | None = None
    profile_kept: bool | None = None
    contact_channels: str | None = None
    guide: str | None = None
    spend: Decimal | None = None
    visits: int | None = None


class VipCustomerSchema(RecordSchema):
    record_class = VipCustomer
    code = fields.String(required=True, validate=Code, **zh("会员编号"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100), **zh("顾客姓名"))
    store = fields.String(load_default=None, validate=_Short, **zh("门店"))
    phone = fields.String(load_default=None, validate=validate.Length(max=32), **personal("联系电话"))
    joined_on = LocalDate(load_default=None, **zh("入会日期"))
    assigned_class = Choice(VIP_CLASSES, load_default=None, **zh("店长分类"))
    classified_by = fields.String(load_default=None, validate=_Short, **zh("分类人"))
    classified_by_role = Vocab(ROLES, ROLE_ALIASES, load_default=None, **zh("分类人岗位"))
    classified_on = LocalDate(load_default=None, **zh("分类日期"))
    profile_kept = Flag(load_default=None, allow_none=True, **zh("麦凯66档案"))
    contact_channels = fields.String(load_default=None, validate=validate.Length(max=200), **zh("联系渠道"))
    guide = fields.String(load_default=None, validate=_Short, **zh("专属导购"))
    spend = Amount(digits=14, places=2, load_default=None, validate=NonNegative, **zh("消费金额"))
    visits = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0), **zh("到店次数"))


@dataclass(slots=True)
class StorePurchase:
    code: str
    customer_code: str
    purchased_at: datetime
    amount: Decimal
    store: str | None = None


class StorePurchaseSchema(RecordSchema):
    record_class = StorePurchase
    code = fields.String(required=True, validate=Code, **zh("小票号"))
    customer_code = fields.String(required=True, validate=Code, **zh("会员编号"))
    purchased_at = LocalDateTime(required=True, **zh("消费时间"))
    amount = Amount(digits=14, places=2, required=True, **zh("消费金额"))
    store = fields.String(load_default=None, validate=_Short, **zh("门店"))


# --- store complaints and their handling steps -------------------------------------------------------

@dataclass(slots=True)
class ComplaintStep:
    # Nested inside a complaint the code comes from the parent, hence the empty default.
    complaint_code: str = ""
    seq: int = 0
    step: str = ""
    done_at: datetime | None = None
    staff_code: str | None = None
    next_reply_at: datetime | None = None
    reported_to: str | None = None
    log_entry: str | None = None
    interrupted: bool = False
    argued: bool = False
    note: str | None = None


class ComplaintStepSchema(RecordSchema):
    record_class = ComplaintStep
    complaint_code = fields.String(required=True, validate=Code, **zh("投诉编号"))
    seq = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000), **zh("序号"))
    step = Vocab(STEPS, STEP_ALIASES, required=True, **zh("处理环节"))
    done_at = LocalDateTime(required=True, **zh("完成时间"))
    staff_code = fields.String(load_default=None, validate=_Short, **zh("经办人"))
    next_reply_at = LocalDateTime(load_default=None, **zh("约定下次回复时间"))
    reported_to = Vocab(REPORT_TO, {"部门经理": "department_head", "负责人": "department_head"}, load_default=None, **zh("报告对象"))
    log_entry = fields.String(load_default=None, validate=_Short, **zh("投诉记录编号"))
    interrupted = Flag(load_default=False, **zh("打断顾客"))
    argued = Flag(load_default=False, **zh("与顾客辩驳"))
    note = fields.String(load_default=None, validate=_Text, **zh("备注"))


@dataclass(slots=True)
class StoreComplaint:
    code: str
    received_at: datetime
    received_by: str
    store: str | None = None
    customer_code: str | None = None
    customer_name: str | None = None
    phone: str | None = None
    channel: str = "visit"
    major: bool = False
    content: str | None = None
    promised_reply_at: datetime | None = None
    promised_working_days: int | None = None
    resolved: bool = False
    steps: list[ComplaintStep] = field(default_factory=list)


class StoreComplaintSchema(RecordSchema):
    record_class = StoreComplaint
    code = fields.String(required=True, validate=Code, **zh("投诉编号"))
    received_at = LocalDateTime(required=True, **zh("接待时间"))
    received_by = fields.String(required=True, validate=Code, **zh("首位接待人"))
    store = fields.String(load_default=None, validate=_Short, **zh("门店"))
    customer_code = fields.String(load_default=None, validate=_Short, **zh("顾客编号"))
    customer_name = fields.String(load_default=None, validate=_Name, **zh("顾客姓名"))
    phone = fields.String(load_default=None, validate=validate.Length(max=32), **personal("联系电话"))
    channel = Vocab(CHANNELS, CHANNEL_ALIASES, load_default="visit", **zh("投诉方式"))
    major = Flag(load_default=False, **zh("重大投诉"))
    content = fields.String(load_default=None, validate=_Text, **zh("投诉内容"))
    promised_reply_at = LocalDateTime(load_default=None, **zh("约定回复时间"))
    promised_working_days = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=365),
                                           **zh("承诺回复工作日"))
    resolved = Flag(load_default=False, **zh("已解决"))
    steps = fields.List(fields.Nested(ComplaintStepSchema(exclude=("complaint_code",), partial=("complaint_code",))),
                        load_default=list, metadata={"zh": "处理环节"})


KINDS: tuple[RecordKind, ...] = (
    RecordKind("store_staff", "门店员工", StoreStaffSchema, ("code",), "code",
               description="a store employee: store, role (店长, 主管, 店员, 客服 ...), joining and leaving dates"),
    RecordKind("staff_incident", "员工违纪事件", StaffIncidentSchema, ("code",), "staff_code",
               description="one observed breach by one employee: the rule (or the behaviour described), when, how serious, the evidence"),
    RecordKind("leave_request", "请假申请", LeaveRequestSchema, ("code",), "staff_code",
               description="a leave request: when asked, when the leave starts, who approved it and when"),
    RecordKind("uniform_issue", "工服发放", UniformIssueSchema, ("code",), "staff_code",
               description="uniforms issued to an employee: price, quantity, returned, damaged or lost"),
    RecordKind("vip_customer", "VIP顾客", VipCustomerSchema, ("code",), "code",
               description="a VIP customer: the class the manager gave, the Mackay 66 profile, the contact channels"),
    RecordKind("store_purchase", "VIP消费记录", StorePurchaseSchema, ("code",), "customer_code",
               description="one purchase by a VIP customer (spend and visit frequency for the classes)"),
    RecordKind("store_complaint", "门店顾客投诉", StoreComplaintSchema, ("code",), "code",
               children=(ChildKind("steps", "store_complaint_step", "complaint_code"),),
               description="a customer complaint received in a store, with its handling steps"),
    RecordKind("store_complaint_step", "投诉处理环节", ComplaintStepSchema, ("complaint_code", "seq"), "complaint_code",
               description="one handling step of a store complaint (听、问、跟、复、记、报告)"),
)
