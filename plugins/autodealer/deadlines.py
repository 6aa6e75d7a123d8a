"""When a file is due, on the company's working-day calendar (statutory holidays, make-up working
days and the profile's own days), and whether it came in on time.

- FAW-VW sales files: every Monday (``faw_sales_handin_weekday``): the first such day strictly after
  the delivery, moved to the next working day when it is not one (五(一)3(1)); a promised date
  signed by the sales manager replaces it.
- FAW-VW service files: by 10:00 (``faw_service_cutoff``) of the first working day after the
  handover; files in repair or not yet settled are not due (五(二)4(1)(2)); a promised date signed by
  the service manager replaces it.
- Skoda new-car files: within 3 working days of the delivery (or of the sale), 四.1 / 五.1.
- Skoda service files: within 1 working day of the handover, 四.2 / 五.4.

A working-day limit ends with its last working day (the day of the event is not counted). The
corrections: FAW-VW within 24 hours of receiving the file back (五(二)4(5)); Skoda within 1
working day of the order to correct, every further working day a repeat violation (五.10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Mapping

from ...core.calendar import WorkCalendar
from .records import VehicleFile
from .text import day, moment
from .vocabulary import FAW_VW

END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class Deadline:
    """``status``: on_time, late (submitted after the limit), pending (not yet submitted, limit not
    passed), overdue (not submitted, limit passed) or not_due (no limit runs: not delivered yet, in
    repair, not settled, no invoice)."""

    status: str
    rule_key: str
    basis: str
    due_day: date | None = None
    due_at: datetime | None = None
    late_working_days: int | None = None
    note: str | None = None

    @property
    def missed(self) -> bool:
        return self.status in ("late", "overdue")

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "due": self.due_at.isoformat() if self.due_at else None,
            "basis": self.basis,
            "late_working_days": self.late_working_days,
        }


def _delivered(file: VehicleFile) -> date | None:
    return file.delivered_at.date() if file.delivered_at else None


def first_weekday_after(start: date, weekday: int, cal: WorkCalendar) -> tuple[date, date]:
    """(the first ``weekday`` (0 = Monday) strictly after ``start``, the day it moves to: itself, or
    the next working day when it is not one)."""
    ahead = (weekday - start.weekday()) % 7 or 7
    target = start + timedelta(days=ahead)
    return target, (target if cal.is_workday(target) else cal.add_working_days(target, 1))


def _judge(file: VehicleFile, key: str, basis: str, due_day: date, due_at: datetime, as_of: date, cal: WorkCalendar,
           inclusive: bool = True) -> Deadline:
    submitted = file.submitted_at
    note = None
    if submitted is not None:
        on_time = submitted <= due_at if inclusive else submitted < due_at
        if due_at.time() != END_OF_DAY and submitted.time() == time(0, 0):
            note = f"上交时间只登记了日期({day(submitted)}),未登记时刻"
        if on_time:
            return Deadline("on_time", key, basis, due_day, due_at, 0, note)
        return Deadline("late", key, basis, due_day, due_at, max(1, cal.working_days_between(due_day, submitted.date())), note)
    if as_of > due_day:
        return Deadline("overdue", key, basis, due_day, due_at, cal.working_days_between(due_day, as_of))
    return Deadline("pending", key, basis, due_day, due_at, None)


def faw_sales(file: VehicleFile, params: Mapping[str, Any], cal: WorkCalendar, as_of: date) -> Deadline:
    key = "faw_sales_deadline"
    if file.status == "no_invoice":
        return Deadline("not_due", key, "用户未开发票,档案暂不上交(应填写《未上报记录》)")
    start = _delivered(file)
    if start is None:
        return Deadline("not_due", key, "未登记交车时间,尚无上交时限")
    if file.promised_on and file.delay_approved_by:
        due_day = file.promised_on
        basis = f"承诺{day(due_day)}上交(销售经理{file.delay_approved_by}签字)"
    else:
        weekday, due_day = first_weekday_after(start, params["faw_sales_handin_weekday"], cal)
        name = "周" + "一二三四五六日"[params["faw_sales_handin_weekday"]]
        basis = f"{day(start)}交车,应于其后第一个{name}{day(weekday)}交至客服部"
        if due_day != weekday:
            basis += f"(该日非工作日,顺延至{day(due_day)})"
    return _judge(file, key, basis, due_day, datetime.combine(due_day, END_OF_DAY), as_of, cal)


def faw_service(file: VehicleFile, params: Mapping[str, Any], cal: WorkCalendar, as_of: date) -> Deadline:
    key = "faw_service_deadline"
    if file.status in ("in_repair", "unsettled"):
        return Deadline("not_due", key, "车辆在修或未结算,不在每日上交之列")
    start = _delivered(file)
    if start is None:
        return Deadline("not_due", key, "未登记交车时间,尚无上交时限")
    if file.promised_on and file.delay_approved_by:
        due_day = file.promised_on
        basis = f"承诺{day(due_day)}上交(服务经理{file.delay_approved_by}签字)"
        return _judge(file, key, basis, due_day, datetime.combine(due_day, END_OF_DAY), as_of, cal)
    cutoff: time = params["faw_service_cutoff"]
    due_day = cal.add_working_days(start, 1)
    inclusive = params["faw_service_cutoff_inclusive"]
    basis = f"{day(start)}交车,应于下一个工作日{day(due_day)}上午{cutoff:%H:%M}{'前(含)' if inclusive else '之前'}交售后信息员"
    return _judge(file, key, basis, due_day, datetime.combine(due_day, cutoff), as_of, cal, inclusive)


def skoda_sales(file: VehicleFile, params: Mapping[str, Any], cal: WorkCalendar, as_of: date) -> Deadline:
    key = "skoda_sales_deadline"
    n = params["skoda_sales_working_days"]
    start: date | None = _delivered(file)
    event = "交车"
    if params["skoda_sales_deadline_from"] == "sale" and file.sold_on is not None:
        start, event = file.sold_on, "销售"
    if start is None:
        return Deadline("not_due", key, "未登记交车时间,尚无上交时限")
    due_day = cal.add_working_days(start, n)
    basis = f"{day(start)}{event},应于{n}个工作日内({day(due_day)}前,含当日)交客户关爱部"
    return _judge(file, key, basis, due_day, datetime.combine(due_day, END_OF_DAY), as_of, cal)


def skoda_service(file: VehicleFile, params: Mapping[str, Any], cal: WorkCalendar, as_of: date) -> Deadline:
    key = "skoda_service_deadline"
    start = _delivered(file)
    if start is None:
        return Deadline("not_due", key, "未登记交车时间(车辆在修或未交车),尚无上交时限")
    n = params["skoda_service_working_days"]
    due_day = cal.add_working_days(start, n)
    basis = f"{day(start)}交车,应于{n}个工作日内({day(due_day)}前,含当日)移交客户关爱部"
    return _judge(file, key, basis, due_day, datetime.combine(due_day, END_OF_DAY), as_of, cal)


def hand_in(file: VehicleFile, policy: str, params: Mapping[str, Any], cal: WorkCalendar, as_of: date) -> Deadline:
    if policy == FAW_VW:
        return (faw_sales if file.file_type == "sales" else faw_service)(file, params, cal, as_of)
    return (skoda_sales if file.file_type == "sales" else skoda_service)(file, params, cal, as_of)


# --- corrections ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Correction:
    """``status``: none (never returned), on_time, late, pending, overdue, excused (a reason signed
    by the service manager). ``refine_days``: Skoda's working days past the limit without a
    correction, each a repeat violation (五.10), with their dates."""

    status: str
    basis: str = ""
    due_at: datetime | None = None
    refine_days: tuple[date, ...] = ()

    @property
    def missed(self) -> bool:
        return self.status in ("late", "overdue")


def faw_correction(file: VehicleFile, params: Mapping[str, Any], cal: WorkCalendar, as_of: date) -> Correction:
    if file.returned_at is None:
        return Correction("none")
    hours = params["faw_correction_hours"]
    back = file.returned_at
    if params["faw_correction_clock"] == "working":
        due_at = datetime.combine(cal.add_working_days(back.date(), max(1, hours // 24)), back.time())
        basis = f"{moment(back)}收到退回的不合格档案,应于{moment(due_at)}前(按工作日计{hours}小时)改正上交"
    else:
        due_at = back + timedelta(hours=hours)
        basis = f"{moment(back)}收到退回的不合格档案,应于{hours}小时内({moment(due_at)}前,含)改正上交"
    if file.correction_approved_by:
        return Correction("excused", basis + f";有特殊原因,服务经理{file.correction_approved_by}签字", due_at)
    if file.resubmitted_at is not None:
        return Correction("on_time" if file.resubmitted_at <= due_at else "late", basis, due_at)
    return Correction("overdue" if as_of > due_at.date() else "pending", basis, due_at)


def skoda_correction(file: VehicleFile, params: Mapping[str, Any], cal: WorkCalendar, as_of: date) -> Correction:
    if file.returned_at is None:
        return Correction("none")
    n = params["skoda_correction_working_days"]
    ordered = file.returned_at.date()
    due_day = cal.add_working_days(ordered, n)
    basis = f"{day(ordered)}责令改正,应于{n}个工作日内({day(due_day)}前,含当日)改正"
    corrected = file.resubmitted_at.date() if file.resubmitted_at else None
    stop = corrected if corrected is not None else as_of
    # Repeat violation k: not corrected by the end of the (n + k - 1)-th working day after the order.
    days: list[date] = []
    limit = due_day
    while limit < stop:
        days.append(limit)
        limit = cal.add_working_days(limit, 1)
    due_at = datetime.combine(due_day, END_OF_DAY)
    if corrected is not None:
        return Correction("on_time" if not days else "late", basis, due_at, tuple(days))
    return Correction("overdue" if days else "pending", basis, due_at, tuple(days))


def correction(file: VehicleFile, policy: str, params: Mapping[str, Any], cal: WorkCalendar, as_of: date) -> Correction:
    if policy == FAW_VW:
        if file.file_type != "service":  # 五(二)4(5) is a service-file rule; the sales section sets no time
            return Correction("none")
        return faw_correction(file, params, cal, as_of)
    return skoda_correction(file, params, cal, as_of)
