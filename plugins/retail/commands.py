"""The retail plugin's decision commands (``decision_commands``).

Three feed the standard commands through their hooks, each over retail's own kind (the core gives
each plugin's implementation only the records of the kind it declared, so realestate's
``conduct_incident`` and petrochem's ``customer`` / ``complaint`` stay theirs):

- ``conduct`` (``assess_conduct``) over ``staff_incident``: the sanction of each incident;
- ``classify`` (``classify_customer``) over ``vip_customer``: the VIP class A-D (``level``) or not
  configured, and the profile duties;
- ``route`` (``route_complaint``) over ``store_complaint``: six decisions per complaint, the first
  receiver as ``handler``, the promised reply time as ``due_at``.

What no standard hook covers stays the plugin's own (``zhidu NAME`` and ``zhidu retail NAME``):
``leave``, ``uniforms`` and ``store-month``.
"""

from __future__ import annotations

from ...core.commandspecs import CommandOption, DecisionCommand
from .text import month_text


def _leave(records, context):
    from .leave import check_leave_requests

    return check_leave_requests(records, context)


def _uniforms(records, context):
    from .uniforms import assess_uniforms

    return assess_uniforms(records, context)


def _store_month(records, context):
    from .monthly import summarise

    return summarise(records, context)


_STAFF = CommandOption("staff", "With FILE: the store_staff file (approvers' and classifiers' roles, leaving dates).", records_kind="store_staff")

DECISION_COMMANDS = (
    DecisionCommand(
        "conduct", "员工违纪处理", "staff_incident", hook="assess_conduct", outcome_keys=("status",),
        help="Sanction each staff conduct incident as the store rules give it (篇2/4/5/6, 客户管理制度3); repeat offences if configured.",
        options=(CommandOption("earlier", "With FILE: earlier incidents of the same people (for repeat offences).", records_kind="staff_incident"),
                 CommandOption("not_configured", "Only incidents whose sanction the company has not configured.", flag=True,
                               keep_if_outcome="needs_configuration")),
    ),
    DecisionCommand(
        "classify", "VIP顾客分类", "vip_customer", hook="classify_customer", outcome_keys=("class", "status", "findings"),
        help="Classify VIP customers A-D by the company's spend and visit thresholds and check the profile duties (vip客户管理制度).",
        options=(CommandOption("purchases", "With FILE: the store_purchase file.", records_kind="store_purchase"), _STAFF),
    ),
    DecisionCommand(
        "route", "投诉处理检查", "store_complaint", hook="route_complaint", outcome_keys=("step", "status", "responsible"),
        help="The six complaint-handling steps of 客户管理制度12 第十四章, one decision per step; the first receiver handles it, the reply is due when promised.",
        options=(CommandOption("overdue", "Only complaints whose promised reply time was missed (all six steps of each).", flag=True,
                               keep_if_outcome="overdue"),),
    ),
    DecisionCommand(
        "leave", "请假审核", "leave_request", decide=_leave, outcome_keys=("valid", "status"),
        help="Check leave requests: asked a day ahead of the store manager and approved before the leave starts (篇2第2条).",
        options=(_STAFF, CommandOption("not_effective", "Only requests that do not take effect.", flag=True, keep_if_outcome="not_effective")),
    ),
    DecisionCommand(
        "uniforms", "工服赔偿", "uniform_issue", decide=_uniforms, outcome_keys=("compensation", "status"),
        help="Uniform compensation: 60% of the price when not returned on leaving (篇4第3条), damage or loss through poor care (篇4第1条).",
        options=(_STAFF, CommandOption("due", "Only uniforms with compensation due.", flag=True, keep_if_outcome="due")),
    ),
    DecisionCommand(
        "store-month", "门店月度汇总", "store_staff", decide=_store_month, whole_input=True,
        outcome_keys=("incidents", "sanctions", "compensation_due"),
        help="Per store and month: incidents by category and person, sanctions, uniform compensation due.",
        options=(CommandOption("month", "The month, e.g. 2026-03 (default: the as-of month).", parse=month_text),
                 CommandOption("incidents", "With FILE: the staff_incident file.", records_kind="staff_incident"),
                 CommandOption("uniforms", "With FILE: the uniform_issue file.", records_kind="uniform_issue")),
        example_options={"month": "2026-11"},
    ),
)
