"""Leave requests against 篇2第2条 (客户管理制度9 第4部分第2条): "如需請假,須提前一天向店長申請經批准後方可生效".

Three conditions, all from the text: asked at least a day before the leave starts (the reading of
"提前一天" is the parameter ``leave_advance``: ``24_hours``, the default, or ``calendar_day``), asked
of and approved by the store manager (``leave_approver_roles``, default the store manager only), and
approved before the leave starts ("经批准后方可生效": until approved it is not in effect). A request
that fails any of them does not take effect; the text attaches no sanction to it (an absence it
leaves unexcused is an attendance matter under the same clause).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Mapping, Sequence

from ...core.decisions import Decision
from .catalogue import PLUGIN, rule
from .records import ROLES, LeaveRequest
from .text import day, hours, person

DAY = timedelta(hours=24)


def hours_before(requested_at: datetime, starts_at: datetime) -> Decimal:
    """Clock hours from the request to the start, to two places (negative when asked after it started)."""
    seconds = int((starts_at - requested_at).total_seconds())
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


def advance_met(requested_at: datetime, starts_at: datetime, reading: str) -> bool:
    """Was the request made 提前一天? ``24_hours``: at least 24 clock hours before the start (exactly 24 counts);
    ``calendar_day``: on a calendar day before the day the leave starts."""
    if reading == "calendar_day":
        return requested_at.date() < starts_at.date()
    return starts_at - requested_at >= DAY


def check_leave(request: LeaveRequest, params: Mapping[str, Any], as_of: date, roles: Mapping[str, str]) -> Decision:
    """One decision per request. ``roles``: staff code -> role, for approvers whose role the request does not state."""
    doc = params["document"]
    r = rule("leave_notice", doc)
    reading = params["leave_advance"]
    allowed = list(params["leave_approver_roles"])
    who = "员工" + person(request.staff_code, request.staff_name)
    gap = hours_before(request.requested_at, request.starts_at)
    in_time = advance_met(request.requested_at, request.starts_at, reading)
    role = request.approver_role or (roles.get(request.approver) if request.approver else None)
    findings: list[dict[str, str]] = []
    allowed_zh = "或".join(ROLES[x] for x in allowed)

    asked = f"{who}于{day(request.requested_at)}申请自{day(request.starts_at)}起请假"
    if reading == "calendar_day":
        timing = f",{'在请假开始日之前申请' if in_time else '未在请假开始日之前申请'}(“提前一天”按日历日计)"
    else:
        timing = f",距开始{hours(gap)},{'已' if in_time else '不足'}“提前一天”(按24小时计)"
    if not in_time:
        findings.append({"code": "late_request", "text": "未提前一天申请"})

    approved = request.approved
    approver = person(request.approver, None) if request.approver else "(未记录)"
    if approved is True:
        if role is None:
            findings.append({"code": "approver_unverified", "text": f"审批人{approver}岗位未知,无法确认为{allowed_zh}批准"})
        elif role not in allowed:
            findings.append({"code": "wrong_approver", "text": f"审批人{approver}为{ROLES.get(role, role)},不是{allowed_zh}"})
        if request.approved_at is not None and request.approved_at > request.starts_at:
            findings.append({"code": "approved_after_start", "text": f"批准时间{day(request.approved_at)}晚于请假开始,开始时尚未生效"})
    elif approved is False:
        findings.append({"code": "rejected", "text": f"{approver}未批准"})

    codes = {f["code"] for f in findings}
    if approved is None:
        if in_time and as_of < request.starts_at.date():
            status, valid = "pending", None
            result = f",尚待{allowed_zh}批准,依{r.citation}批准后方可生效"
        else:
            if as_of >= request.starts_at.date():
                findings.append({"code": "not_approved", "text": "至请假开始仍未经批准"})
            status, valid = "not_effective", False
            result = f",依{r.citation}请假不生效:" + ";".join(f["text"] for f in findings)
    elif codes == {"approver_unverified"}:
        status, valid = "unverified", None
        result = f",由{approver}批准,但其岗位未知,请核实是否为{allowed_zh}(依{r.citation}须经{allowed_zh}批准方可生效)"
    elif codes:
        status, valid = "not_effective", False
        result = f",依{r.citation}请假不生效:" + ";".join(f["text"] for f in findings)
    else:
        status, valid = "effective", True
        when = f"于{day(request.approved_at)}" if request.approved_at else ""
        result = f",经{ROLES.get(role or '', '店长')}{approver}{when}批准,依{r.citation}请假生效"

    outcome = {
        "valid": valid,
        "status": status,
        "not_effective": status == "not_effective",
        "staff_code": request.staff_code,
        "requested_at": request.requested_at,
        "starts_at": request.starts_at,
        "hours_before": gap,
        "advance_reading": reading,
        "advance_met": in_time,
        "approver": request.approver,
        "approver_role": role,
        "approved": approved,
        "approved_at": request.approved_at,
        "findings": findings,
    }
    used = {"document": doc, "leave_advance": reading, "leave_approver_roles": allowed}
    return r.decide("leave_request", request.code, outcome, f"{asked}{timing}{result}。", used,
                    inputs=_inputs(request, role))


def _inputs(request: LeaveRequest, role: str | None) -> dict[str, Any]:
    return {"code": request.code, "staff_code": request.staff_code, "requested_at": request.requested_at,
            "starts_at": request.starts_at, "ends_at": request.ends_at, "approver": request.approver,
            "approver_role": request.approver_role, "approver_role_found": role, "approved": request.approved,
            "approved_at": request.approved_at, "store": request.store, "reason": request.reason}


def check_leave_requests(requests: Sequence[LeaveRequest], context: Any) -> list[Decision]:
    """``zhidu leave``: the approvers' roles from the requests, else from the stored store_staff records."""
    params = context.parameters(PLUGIN)
    wanted = sorted({r.approver for r in requests if r.approver and not r.approver_role})
    roles: dict[str, str] = {}
    if wanted:
        for code, staff in context.history.records("store_staff", wanted).items():
            if staff:
                roles[code] = staff[-1].role
    return [check_leave(request, params, context.as_of, roles) for request in requests]
