"""Store complaint handling: 客户管理制度12 第十四章 投诉服务标准.

The text sets six principles, read here as six steps of a complaint, in this order: 一 听清楚 (listen
to the end, do not interrupt), 二 问清楚 (ask, do not argue), 三 跟清楚 (the one who received it
follows it through until it is resolved and replied; for what cannot be solved, set the time of
the next reply), 四 复清楚 (reply on time with the process and the result), 五 记清楚 (record it in
《顾客投诉记录》 after handling) and 六 报告 (a major complaint is reported to the department head or
the deputy manager at once).

These are the ``route_complaint`` hook's answers (``zhidu route``). Every complaint gets one decision
per step, all kept (subject ``store_complaint`` CODE): ``done``,
``out_of_order`` (before the step it follows), ``missing`` (a later step was done, or the complaint
was resolved, without it), ``pending`` (not due yet), ``not_required`` (the report of a complaint
that is not major); a step done with a breach of its clause (interrupting, arguing) carries it in
``findings``.

Deadlines: the text gives no number of days. A reply is due when it was promised: the complaint's
``promised_reply_at``, a promise of N working days (``promised_working_days``, counted on the
company's working-day calendar), or a next-reply time set at a step (``next_reply_at``); only a
company that sets ``reply_working_days`` gets a deadline without a promise.

What the route contract asks of every decision: ``handler`` is the first receiver, who stays
responsible (第十四章三 一跟究竟), except the report of a major complaint, handled by the department
head or deputy manager it goes to (六); ``due_at`` is the reply time that governs (the first promise
broken, else the first still open, else the last kept), or null with ``due_basis: "no_promise"``; for
the report of a major complaint, the company's clock limit if it sets one, else null
(``due_basis: "at_once"``: 马上, before the follow-up or the reply starts). ``overdue`` (on all six, so
``--overdue`` keeps every step of the complaint) means a promised reply time was missed: not replied
by then, or replied after it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Mapping, Sequence

from ...core.calendar import WorkCalendar
from ...core.decisions import Decision
from .catalogue import COMPLAINT_STEPS, PLUGIN, rule
from .records import REPORT_TO, STEPS, ComplaintStep, StoreComplaint
from .text import day

HOLIDAYS_ZH = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日", "company holiday": "公司假日",
}
ORDERED = ("listen", "ask", "follow", "reply", "record")


def _label(step: str) -> str:
    return f"“{STEPS[step]}”"


def due_by_working_days(received_at: datetime, n: int, params: Mapping[str, Any], calendar: WorkCalendar) -> datetime:
    """The end of the n-th working day after the day of receipt (the receipt day itself is not counted)."""
    return datetime.combine(calendar.add_working_days(received_at.date(), n), params["reply_end_of_day"])


def holidays_between(start: date, end: date, calendar: WorkCalendar) -> list[str]:
    names: list[str] = []
    current = start
    while current < end:
        current += timedelta(days=1)
        if not calendar.is_workday(current):
            name = calendar.holiday_name(current)
            if name:
                label = HOLIDAYS_ZH.get(name, name)
                if label not in names:
                    names.append(label)
    return names


class Handling:
    """A complaint's steps in time order and what the six decisions share."""

    def __init__(self, complaint: StoreComplaint, params: Mapping[str, Any], calendar: WorkCalendar, as_of: date) -> None:
        self.complaint, self.params, self.calendar, self.as_of = complaint, params, calendar, as_of
        self.steps: list[ComplaintStep] = sorted(complaint.steps, key=lambda s: (s.done_at or complaint.received_at, s.seq))
        self.first: dict[str, ComplaintStep] = {}
        self.last: dict[str, ComplaintStep] = {}
        for s in self.steps:
            self.first.setdefault(s.step, s)
            self.last[s.step] = s
        self.position = {id(s): i for i, s in enumerate(self.steps)}
        self.responsible = complaint.received_by
        self._timing: dict[str, Any] | None = None
        c = complaint
        how = {"phone": "来电", "visit": "上门", "other": ""}.get(c.channel, "")
        self.head = f"投诉{c.code}({day(c.received_at)}{how}{',重大投诉' if c.major else ''},首位接待人{c.received_by})"

    def at(self, step: str) -> ComplaintStep | None:
        return self.first.get(step)

    def before(self, a: ComplaintStep, b: ComplaintStep) -> bool:
        return self.position[id(a)] < self.position[id(b)]

    def later_done(self, step: str) -> list[str]:
        """Steps after ``step`` in the text's order (1-5) that were done."""
        after = ORDERED[ORDERED.index(step) + 1:]
        return [s for s in after if s in self.first]

    def base(self, step: str) -> dict[str, Any]:
        found = self.first.get(step)
        timing = self.timing()
        governing = timing["governing"]
        return {"step": step, "step_zh": STEPS[step], "responsible": self.responsible, "handler": self.responsible,
                "due_at": timing["due_at"], "due_basis": governing["source"] if governing else "no_promise",
                "overdue": timing["overdue"], "major": self.complaint.major,
                "resolved": self.complaint.resolved, "done_at": found.done_at if found else None,
                "done_by": found.staff_code if found else None, "store": self.complaint.store}

    def timing(self) -> dict[str, Any]:
        """Every promised reply time checked against the replies; the one that governs (the first
        broken, else the first still open, else the last kept)."""
        if self._timing is None:
            replies = [s for s in self.steps if s.step == "reply"]
            checked: list[dict[str, Any]] = []
            for p in _promises(self):
                answer = next((s for s in replies if self.position[id(s)] > p["after"] and s.done_at is not None), None)
                kept = None
                if answer is not None:
                    kept = answer.done_at <= p["due_at"]
                elif self.as_of > p["due_at"].date():
                    kept = False
                checked.append({**p, "replied_at": answer.done_at if answer else None, "kept": kept})
            broken = [p for p in checked if p["kept"] is False]
            open_ = [p for p in checked if p["kept"] is None]
            governing = broken[0] if broken else (open_[0] if open_ else (checked[-1] if checked else None))
            self._timing = {"checked": checked, "broken": broken, "governing": governing,
                            "due_at": governing["due_at"] if governing else None, "overdue": bool(broken)}
        return self._timing

    def inputs(self) -> dict[str, Any]:
        c = self.complaint
        return {"code": c.code, "received_at": c.received_at, "received_by": c.received_by, "store": c.store,
                "customer_code": c.customer_code, "channel": c.channel, "major": c.major,
                "promised_reply_at": c.promised_reply_at, "promised_working_days": c.promised_working_days,
                "resolved": c.resolved,
                "steps": [{"seq": s.seq, "step": s.step, "done_at": s.done_at, "staff_code": s.staff_code,
                           "next_reply_at": s.next_reply_at, "reported_to": s.reported_to, "log_entry": s.log_entry,
                           "interrupted": s.interrupted, "argued": s.argued} for s in self.steps]}


def _ordered_step(h: Handling, step: str, predecessor: str | None) -> tuple[str, str]:
    """(status, sentence part) of one of the first five steps from presence and order alone."""
    found = h.at(step)
    if found is None:
        later = h.later_done(step)
        if later:
            return "missing", f"未做{_label(step)}就已{'、'.join(_label(s) for s in later)}"
        if h.complaint.resolved:
            return "missing", f"投诉已解决但未记录{_label(step)}"
        return "pending", f"尚未{_label(step)}"
    who = f"由{found.staff_code}" if found.staff_code else ""
    done = f"{_label(step)}于{day(found.done_at)}{who}完成" if found.done_at else f"{_label(step)}已完成"
    if predecessor is not None:
        prior = h.at(predecessor)
        if prior is None or not h.before(prior, found):
            return "out_of_order", f"{done},但在{_label(predecessor)}之前,不合第十四章的处理顺序"
    if step == "listen":
        first = h.steps[0]
        if first is not found and first.step in ORDERED:
            return "out_of_order", f"{done},但此前已{_label(first.step)},应先听顾客讲完"
    return "done", done


def decide_listen(h: Handling) -> Decision:
    r = rule("complaint_listen")
    status, text = _ordered_step(h, "listen", None)
    findings = []
    if any(s.interrupted for s in h.steps if s.step == "listen"):
        findings.append({"code": "interrupted", "text": "接待时打断顾客说话"})
    tail = ";" + ";".join(f["text"] for f in findings) + ",不合“不得打断其说话”" if findings else ""
    return r.decide("store_complaint", h.complaint.code, {**h.base("listen"), "status": status, "findings": findings},
                    f"{h.head}{text}{tail}(按{r.citation})。", {}, h.inputs())


def decide_ask(h: Handling) -> Decision:
    r = rule("complaint_ask")
    status, text = _ordered_step(h, "ask", "listen")
    findings = []
    if any(s.argued for s in h.steps if s.step == "ask"):
        findings.append({"code": "argued", "text": "与顾客正面辩驳"})
    tail = ";" + ";".join(f["text"] for f in findings) + ",不合“切忌与顾客正面辩驳”" if findings else ""
    return r.decide("store_complaint", h.complaint.code, {**h.base("ask"), "status": status, "findings": findings},
                    f"{h.head}{text}{tail}(按{r.citation})。", {}, h.inputs())


def decide_follow(h: Handling) -> Decision:
    r = rule("complaint_follow")
    status, text = _ordered_step(h, "follow", "ask")
    c = h.complaint
    findings: list[dict[str, str]] = []
    helpers = sorted({s.staff_code for s in h.steps if s.step in ("follow", "reply") and s.staff_code and s.staff_code != c.received_by})
    note = f";{'、'.join(helpers)}参与跟进或回复,责任人仍为首位接待人{c.received_by}" if helpers else f";责任人为首位接待人{c.received_by},一跟到底"
    if not c.resolved and "follow" in h.first:
        promised = [s for s in h.steps if s.step in ("follow", "reply") and s.next_reply_at is not None]
        if not promised and c.promised_reply_at is None and c.promised_working_days is None:
            findings.append({"code": "no_next_reply", "text": "投诉尚未解决,未确定下次回复的时间"})
    if c.resolved:
        note += ",问题已解决"
    tail = ";" + ";".join(f["text"] for f in findings) if findings else ""
    return r.decide("store_complaint", c.code, {**h.base("follow"), "status": status, "findings": findings, "helpers": helpers},
                    f"{h.head}{text}{note}{tail}(按{r.citation})。", {}, h.inputs())


def _promises(h: Handling) -> list[dict[str, Any]]:
    """Every reply time promised: (made_at, due_at, how), in the order they were made."""
    c, params = h.complaint, h.params
    found: list[dict[str, Any]] = []
    # "after": the position in the step list after which a reply answers the promise (-1: any reply).
    if c.promised_reply_at is not None:
        found.append({"made_at": c.received_at, "due_at": c.promised_reply_at, "source": "promised_reply_at", "working_days": None, "after": -1})
    if c.promised_working_days is not None:
        found.append({"made_at": c.received_at, "due_at": due_by_working_days(c.received_at, c.promised_working_days, params, h.calendar),
                      "source": "promised_working_days", "working_days": c.promised_working_days, "after": -1})
    for i, s in enumerate(h.steps):
        if s.next_reply_at is not None and s.step in ("follow", "reply", "ask", "listen"):
            found.append({"made_at": s.done_at or c.received_at, "due_at": s.next_reply_at, "source": f"step {s.seq}", "working_days": None,
                          "after": i})
    if not found and params["reply_working_days"] is not None:
        n = params["reply_working_days"]
        found.append({"made_at": c.received_at, "due_at": due_by_working_days(c.received_at, n, params, h.calendar),
                      "source": "reply_working_days", "working_days": n, "after": -1})
    return sorted(found, key=lambda p: (p["after"], p["made_at"]))


def decide_reply(h: Handling) -> Decision:
    r = rule("complaint_reply")
    c = h.complaint
    status, text = _ordered_step(h, "reply", "follow")
    promised = h.timing()
    checked, broken, governing = promised["checked"], promised["broken"], promised["governing"]
    holidays: list[str] = []
    fallback = False
    if governing and governing["working_days"]:
        holidays = holidays_between(c.received_at.date(), governing["due_at"].date(), h.calendar)
        fallback = any(h.calendar.is_fallback(date(y, 1, 1)) for y in range(c.received_at.year, governing["due_at"].year + 1))
    if governing is None:
        timing = "未约定回复时间,原文未规定回复天数(企业也未规定回复工作日数),不计超期"
        timeliness = "no_deadline"
    else:
        extra = f",期间遇{'、'.join(holidays)}顺延" if holidays else ""
        if governing["source"] == "promised_working_days":
            limit = f"承诺{governing['working_days']}个工作日内回复{extra},应于{day(governing['due_at'])}前回复"
        elif governing["source"] == "reply_working_days":
            limit = f"企业规定{governing['working_days']}个工作日内回复{extra},应于{day(governing['due_at'])}前回复"
        else:
            limit = f"与顾客约定于{day(governing['due_at'])}前回复"
        if governing["kept"] is True:
            timing, timeliness = f"{limit},已于{day(governing['replied_at'])}回复,按时", "on_time"
        elif governing["kept"] is False and governing["replied_at"] is not None:
            timing, timeliness = f"{limit},实际于{day(governing['replied_at'])}才回复,已超时", "late"
        elif governing["kept"] is False:
            timing, timeliness = f"{limit},截至{day(h.as_of)}仍未回复,已超时", "overdue"
        else:
            timing, timeliness = f"{limit},截至{day(h.as_of)}尚未到期", "open"
    outcome = {**h.base("reply"), "status": status, "timeliness": timeliness,
               "late": bool(broken), "promises": [{k: v for k, v in p.items() if k != "after"} for p in checked],
               "holidays_crossed": holidays, "calendar_fallback": fallback, "findings": []}
    used = {"reply_working_days": h.params["reply_working_days"], "reply_end_of_day": h.params["reply_end_of_day"].isoformat()}
    return r.decide("store_complaint", c.code, outcome, f"{h.head}{text};{timing}(按{r.citation})。", used, h.inputs())


def decide_record(h: Handling) -> Decision:
    r = rule("complaint_record")
    c = h.complaint
    found = h.at("record")
    findings: list[dict[str, str]] = []
    if found is None:
        if c.resolved:
            status, text = "missing", "投诉已解决,尚未记入《顾客投诉记录》"
        else:
            status, text = "pending", "处理完毕后应记入《顾客投诉记录》,尚未记录"
    else:
        status, text = _ordered_step(h, "record", "reply")
        later = [s for s in h.steps if s.step in ("follow", "reply") and not h.before(s, h.last["record"])]
        if status == "done" and later:
            status = "out_of_order"
            text += f",但记录后仍有{'、'.join(_label(s.step) for s in later)},记录未包括其后的处理过程"
        entries = [s.log_entry for s in h.steps if s.step == "record" and s.log_entry]
        if entries:
            text += f"(《顾客投诉记录》{'、'.join(entries)})"
        else:
            findings.append({"code": "no_log_entry", "text": "未注明《顾客投诉记录》编号"})
    tail = ";" + ";".join(f["text"] for f in findings) if findings else ""
    return r.decide("store_complaint", c.code, {**h.base("record"), "status": status, "findings": findings},
                    f"{h.head}{text}{tail}(按{r.citation})。", {}, h.inputs())


def decide_report(h: Handling) -> Decision:
    r = rule("complaint_report")
    c, params = h.complaint, h.params
    found = h.at("report")
    findings: list[dict[str, str]] = []
    used = {"major_report_by": params["major_report_by"], "major_report_within_minutes": params["major_report_within_minutes"],
            "report_recipients": list(params["report_recipients"])}
    if not c.major:
        extra = f";已于{day(found.done_at)}报告" if found is not None and found.done_at else ""
        return r.decide("store_complaint", c.code, {**h.base("report"), "status": "not_required", "findings": findings, "reported_to": None,
                                                    "due_at": None, "due_basis": "not_required"},
                        f"{h.head}不是重大投诉,无须报告部门负责人或分管经理{extra}(按{r.citation})。", used, h.inputs())
    allowed = list(params["report_recipients"])
    allowed_zh = "或".join(REPORT_TO[x] for x in allowed)
    minutes = params["major_report_within_minutes"]
    # 马上 has no clock time in the text: a company limit gives one, else the order alone binds.
    handling = {"handler": found.reported_to if found is not None and found.reported_to in allowed else allowed[0],
                "due_at": c.received_at + timedelta(minutes=minutes) if minutes is not None else None,
                "due_basis": "major_report_within_minutes" if minutes is not None else "at_once"}
    limit_step = "follow" if params["major_report_by"] == "before_follow" else "reply"
    if found is None:
        later = h.at(limit_step)
        if later is not None or c.resolved:
            status = "missing"
            text = f"重大投诉未报告{allowed_zh}" + (f",已开始{_label(limit_step)}" if later is not None else "")
        else:
            status, text = "pending", f"重大投诉须马上报告{allowed_zh},尚未报告"
    else:
        status = "done"
        to = REPORT_TO.get(found.reported_to or "", "(未记录报告对象)")
        text = f"已于{day(found.done_at)}报告{to}" if found.done_at else f"已报告{to}"
        if found.reported_to not in allowed:
            findings.append({"code": "wrong_recipient", "text": f"报告对象应为{allowed_zh}"})
        bound = h.at(limit_step)
        if bound is not None and not h.before(found, bound):
            status = "late"
            text += f",晚于{_label(limit_step)}开始,不是“马上”报告"
        if minutes is not None and found.done_at is not None and found.done_at - c.received_at > timedelta(minutes=minutes):
            status = "late"
            text += f",距接待超过企业规定的{minutes}分钟"
    tail = ";" + ";".join(f["text"] for f in findings) if findings else ""
    return r.decide("store_complaint", c.code, {**h.base("report"), **handling, "status": status, "findings": findings,
                                                "reported_to": found.reported_to if found else None},
                    f"{h.head}{text}{tail}(按{r.citation})。", used, h.inputs())


DECIDERS = {"listen": decide_listen, "ask": decide_ask, "follow": decide_follow, "reply": decide_reply,
            "record": decide_record, "report": decide_report}
assert tuple(DECIDERS) == COMPLAINT_STEPS


def check_complaint(complaint: StoreComplaint, params: Mapping[str, Any], calendar: WorkCalendar, as_of: date) -> list[Decision]:
    h = Handling(complaint, params, calendar, as_of)
    return [DECIDERS[step](h) for step in COMPLAINT_STEPS]


def route_complaints(complaints: Sequence[StoreComplaint], context: Any) -> list[Decision]:
    """``route_complaint`` (``zhidu route``): six decisions per complaint (one per step), all kept;
    ``--overdue`` keeps every step of the complaints whose promised reply time was missed (the core
    keeps the decisions whose ``overdue`` is set)."""
    params = context.parameters(PLUGIN)
    decisions: list[Decision] = []
    for complaint in complaints:
        decisions.extend(check_complaint(complaint, params, context.calendar, context.as_of))
    return decisions
