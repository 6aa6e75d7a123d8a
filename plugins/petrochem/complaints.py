"""第十二条 (化工品) / 第十一条 (油品调运): who handles a complaint and by when, on the working-day calendar.

Reading of "处理时间应在一个工作日内" (parameter ``due_reading``):

- ``end_of_day`` (default): the limit ends with the n-th working day *after* the day of receipt
  (the receipt day is not counted: a complaint received at 17:00 must not lose its first day);
  the moment is ``end_of_day`` (23:59:59 unless the profile says office hours).
- ``same_time``: the same clock time on the n-th working day after the day of receipt ("24 working
  hours"); a complaint received on a non-working day starts with the next working day, so its limit
  ends with the n-th working day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Mapping

from ...core.calendar import WorkCalendar
from ...core.decisions import Decision
from .records import Complaint
from . import rules
from .text import customer_label, day
from .vocabulary import HOLIDAY_NAMES_ZH, SEVERITY_LABELS, severity_code


def due_moment(received_at: datetime, working_days: int, params: Mapping[str, Any], calendar: WorkCalendar) -> datetime:
    """When the limit of ``working_days`` runs out for a complaint received at ``received_at``."""
    received_day = received_at.date()
    due_day = calendar.add_working_days(received_day, working_days)
    if params["due_reading"] == "same_time" and calendar.is_workday(received_day):
        return datetime.combine(due_day, received_at.timetz())
    return datetime.combine(due_day, params["end_of_day"], tzinfo=received_at.tzinfo)


def _later(a: datetime, b: datetime) -> bool:
    """a > b, comparing wall-clock times when only one of them carries a time zone."""
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return a > b


def window_notes(start: date, end: date, calendar: WorkCalendar) -> tuple[list[str], list[date]]:
    """Holidays (Chinese names) and make-up working weekend days (调休上班日) in (start, end]."""
    holidays: list[str] = []
    makeups: list[date] = []
    current = start
    while current < end:
        current += timedelta(days=1)
        if calendar.is_workday(current):
            if current.weekday() >= 5:
                makeups.append(current)
        else:
            name = calendar.holiday_name(current)
            if name:
                label = HOLIDAY_NAMES_ZH.get(name, name)
                if label not in holidays:
                    holidays.append(label)
    return holidays, makeups


def route(complaint: Complaint, params: Mapping[str, Any], calendar: WorkCalendar, as_of: date, customer_name: str | None = None) -> Decision:
    table = rules.COMPLAINT_RULES[params["complaint_source"]]
    severity = severity_code(complaint.severity)
    notes: list[str] = []
    if severity is None:
        notes.append(f"投诉级别“{complaint.severity}”无法识别,按一般投诉处理")
        severity = "general"
    extendable = severity in params["special_approval_severities"]
    extended = bool(complaint.special_approval) and extendable
    if complaint.special_approval and not extendable:
        notes.append(f"特殊情况批准只适用于较大事件投诉,{SEVERITY_LABELS[severity]}投诉时限不延长")
    working_days = params["special_approval_max_working_days"] if extended else params["complaint_working_days"][severity]
    meeting = severity in params["meeting_severities"]
    handler = params["meeting_handler"] if meeting else params["complaint_department"]
    approver = None if meeting else params["complaint_approver"]
    rule = table["extended"] if extended else table["general" if severity == "general" else "major"]

    received_at = complaint.received_at
    due_at = due_moment(received_at, working_days, params, calendar)
    resolved_at = complaint.resolved_at
    if resolved_at is not None:
        overdue = _later(resolved_at, due_at)
        status = "resolved_late" if overdue else "resolved_on_time"
        elapsed = calendar.working_days_between(received_at.date(), resolved_at.date())
    else:
        overdue = as_of > due_at.date()
        status = "open_overdue" if overdue else "open"
        elapsed = None
    holidays, makeups = window_notes(received_at.date(), due_at.date(), calendar)
    last_year = max(due_at.year, resolved_at.year if resolved_at else due_at.year)
    fallback_years = [y for y in range(received_at.year, last_year + 1) if calendar.is_fallback(date(y, 1, 1))]

    label = SEVERITY_LABELS[severity]
    who = f"由{handler}研究处理" if meeting else f"由{handler}拟定处理意见报{approver}审批"
    limit = f"经批准的特殊情况最多{working_days}个工作日" if extended else f"时限{working_days}个工作日"
    detail = ""
    if holidays:
        detail += f",期间遇{'、'.join(holidays)}假期顺延"
    if makeups:
        detail += f",{'、'.join(f'{d.month}月{d.day}日' for d in makeups)}为调休上班日照常计算"
    if fallback_years:
        detail += f"({'、'.join(map(str, fallback_years))}年法定节假日数据缺失,按周一至周五计算工作日)"
    if notes:
        detail += "," + ",".join(notes)
    if status == "resolved_on_time":
        assert resolved_at is not None, "resolved_* statuses are only set when resolved_at is present"
        result = f"已于{day(resolved_at)}处理完毕,未超期"
    elif status == "resolved_late":
        assert resolved_at is not None, "resolved_* statuses are only set when resolved_at is present"
        result = f"实际于{day(resolved_at)}才处理完毕,已超期"
    elif status == "open_overdue":
        result = f"截至{day(as_of)}仍未处理完毕,已超期"
    else:
        result = f"截至{day(as_of)}尚未处理完毕,尚未超期"
    why = (
        f"{customer_label(customer_name, complaint.customer_code)}于{day(received_at)}提出的{label}投诉({complaint.code}){who},"
        f"{limit}{detail},处理时限截至{day(due_at)};{result}。"
    )
    outcome = {
        "handler": handler,
        "approver": approver,
        "special_meeting": meeting,
        "track": severity + ("_extended" if extended else ""),
        "severity": severity,
        "special_approval_applied": extended,
        "working_days": working_days,
        "received_at": received_at,
        "due_at": due_at,
        "due_date": due_at.date(),
        "due_reading": params["due_reading"],
        "status": status,
        "overdue": overdue,
        "resolved_at": resolved_at,
        "elapsed_working_days": elapsed,
        "holidays_crossed": holidays,
        "makeup_workdays": makeups,
        "calendar_fallback": bool(fallback_years),
    }
    used = {
        "complaint_source": params["complaint_source"],
        "complaint_working_days": dict(params["complaint_working_days"]),
        "special_approval_max_working_days": params["special_approval_max_working_days"],
        "special_approval_severities": list(params["special_approval_severities"]),
        "meeting_severities": list(params["meeting_severities"]),
        "due_reading": params["due_reading"],
        "end_of_day": params["end_of_day"].isoformat(),
    }
    return rule.decide("complaint", complaint.code, outcome, why, used)
