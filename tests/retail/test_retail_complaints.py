"""Complaint handling (客户管理制度12 第十四章): six steps in order, one decision per step, replies due when promised."""

from datetime import date, datetime

import pytest

from retail_kit import by_step, complaint, context, run, step
from zhidu.core.calendar import WorkCalendar
from zhidu.testing import make_context

FULL = [step(1, "listen", "2026-11-02 10:00"), step(2, "ask", "2026-11-02 10:10"), step(3, "follow", "2026-11-02 11:00"),
        step(4, "reply", "2026-11-03 10:00"), step(5, "record", "2026-11-03 11:00", log_entry="TS-1")]


def steps_of(c, ctx=None):
    return by_step(run("route", [c], ctx))


def test_six_decisions_per_complaint_each_citing_its_principle():
    decisions = run("route", [complaint(*FULL, resolved=True)])
    assert [d.outcome["step"] for d in decisions] == ["listen", "ask", "follow", "reply", "record", "report"]
    assert [d.citation.clause for d in decisions] == ["第十四章一", "第十四章二", "第十四章三", "第十四章四", "第十四章五", "第十四章六"]
    assert {d.citation.document for d in decisions} == {"客户管理制度12"} and {d.subject_id for d in decisions} == {"C1"}
    assert [d.outcome["status"] for d in decisions] == ["done"] * 5 + ["not_required"]
    assert all(d.outcome["responsible"] == "S1" for d in decisions)


def test_the_order_is_enforced():
    swapped = [step(1, "listen", "2026-11-02 10:00"), step(2, "follow", "2026-11-02 10:05"), step(3, "ask", "2026-11-02 10:10")]
    s = steps_of(complaint(*swapped))
    assert s["ask"].outcome["status"] == "done"
    assert s["follow"].outcome["status"] == "out_of_order" and "在“问清楚”之前" in s["follow"].explanation
    asked_first = steps_of(complaint(step(1, "ask", "2026-11-02 10:00"), step(2, "listen", "2026-11-02 10:05")))
    assert asked_first["listen"].outcome["status"] == "out_of_order" and asked_first["ask"].outcome["status"] == "out_of_order"


def test_a_step_skipped_before_a_later_one_is_missing_and_one_not_yet_due_is_pending():
    s = steps_of(complaint(step(1, "listen", "2026-11-02 10:00"), step(2, "reply", "2026-11-02 10:20")))
    assert s["ask"].outcome["status"] == "missing" and s["follow"].outcome["status"] == "missing"
    assert s["reply"].outcome["status"] == "out_of_order" and s["record"].outcome["status"] == "pending"
    fresh = steps_of(complaint(step(1, "listen", "2026-11-02 10:00")))
    assert [fresh[k].outcome["status"] for k in ("listen", "ask", "follow", "reply", "record")] == ["done", "pending", "pending", "pending", "pending"]


def test_a_resolved_complaint_without_its_record_is_missing_the_record():
    s = steps_of(complaint(*FULL[:4], resolved=True))
    assert s["record"].outcome["status"] == "missing" and "《顾客投诉记录》" in s["record"].explanation


def test_handling_recorded_after_the_record_makes_the_record_incomplete():
    s = steps_of(complaint(*FULL, step(6, "follow", "2026-11-04 09:00"), resolved=True))
    assert s["record"].outcome["status"] == "out_of_order" and "记录后仍有" in s["record"].explanation


def test_interrupting_and_arguing_are_findings_of_the_step():
    s = steps_of(complaint(step(1, "listen", "2026-11-02 10:00", interrupted=True), step(2, "ask", "2026-11-02 10:10", argued=True)))
    assert s["listen"].outcome["findings"][0]["code"] == "interrupted" and "不得打断其说话" in s["listen"].explanation
    assert s["ask"].outcome["findings"][0]["code"] == "argued"
    assert steps_of(complaint(*FULL))["listen"].outcome["findings"] == []


def test_the_first_receiver_stays_responsible():
    handled = [*FULL[:2], step(3, "follow", "2026-11-02 11:00", "S7"), step(4, "reply", "2026-11-03 10:00", "S8")]
    s = steps_of(complaint(*handled))
    assert s["follow"].outcome["helpers"] == ["S7", "S8"] and s["reply"].outcome["responsible"] == "S1"
    assert "责任人仍为首位接待人S1" in s["follow"].explanation


def test_an_unresolved_complaint_followed_without_a_next_reply_time_is_a_finding():
    s = steps_of(complaint(*FULL[:3]))
    assert s["follow"].outcome["findings"][0]["code"] == "no_next_reply"
    promised = steps_of(complaint(*FULL[:2], step(3, "follow", "2026-11-02 11:00", next_reply_at=datetime(2026, 11, 25, 18))))
    assert promised["follow"].outcome["findings"] == []


# --- the reply: due when promised; working days on the real calendar -------------------------------------

def test_no_promise_no_deadline():
    s = steps_of(complaint(*FULL[:3]))
    assert s["reply"].outcome["timeliness"] == "no_deadline" and s["reply"].outcome["due_at"] is None
    assert "原文未规定回复天数" in s["reply"].explanation


@pytest.mark.parametrize("replied, timeliness, late", [("2026-11-04 18:00", "on_time", False), ("2026-11-05 09:00", "late", True)])
def test_a_promised_time_is_kept_or_broken(replied, timeliness, late):
    c = complaint(*FULL[:3], step(4, "reply", replied), promised_reply_at=datetime(2026, 11, 4, 18))
    reply = steps_of(c)["reply"]
    assert reply.outcome["timeliness"] == timeliness and reply.outcome["late"] is late
    # Past its due time, replied or not: every step says so (as petrochem's overdue does).
    assert {d.outcome["overdue"] for d in steps_of(c).values()} == {late}


def test_an_unanswered_promise_is_overdue_only_after_its_day():
    c = complaint(*FULL[:3], promised_reply_at=datetime(2026, 11, 20, 18))
    assert steps_of(c, context(as_of=date(2026, 11, 20)))["reply"].outcome["timeliness"] == "open"
    overdue = steps_of(c, context(as_of=date(2026, 11, 21)))["reply"]
    assert overdue.outcome["timeliness"] == "overdue" and overdue.outcome["overdue"] is True


def test_working_days_promised_run_on_the_holiday_calendar():
    # Received 2026-09-30, 3 working days: the National Day holiday (10-1..10-7) is skipped, 10-10 (Sat) is a make-up workday.
    c = complaint(step(1, "listen", "2026-09-30 17:00"), received="2026-09-30 17:00", promised_working_days=3)
    reply = steps_of(c)["reply"]
    assert reply.outcome["due_at"] == datetime(2026, 10, 10, 23, 59, 59) and reply.outcome["holidays_crossed"] == ["国庆节"]
    assert reply.outcome["timeliness"] == "overdue" and "期间遇国庆节顺延" in reply.explanation


def test_a_company_holiday_moves_the_due_date():
    c = complaint(step(1, "listen", "2026-11-02 10:00"), promised_working_days=1)
    plain = steps_of(c)["reply"].outcome["due_at"]
    assert plain == datetime(2026, 11, 3, 23, 59, 59)
    ctx = make_context("retail", as_of=date(2026, 11, 20), calendar=WorkCalendar(extra_holidays=[date(2026, 11, 3)]))
    moved = steps_of(c, ctx)["reply"]
    assert moved.outcome["due_at"] == datetime(2026, 11, 4, 23, 59, 59) and moved.outcome["holidays_crossed"] == ["公司假日"]


def test_the_company_reply_limit_applies_only_without_a_promise():
    c = complaint(*FULL[:3])
    reply = steps_of(c, context(reply_working_days=2))["reply"]
    assert reply.outcome["due_at"] == datetime(2026, 11, 4, 23, 59, 59) and "企业规定2个工作日内回复" in reply.explanation
    promised = complaint(*FULL[:3], promised_reply_at=datetime(2026, 11, 10, 12))
    assert steps_of(promised, context(reply_working_days=2))["reply"].outcome["due_at"] == datetime(2026, 11, 10, 12)


def test_each_next_reply_time_is_a_promise_of_its_own():
    handled = [*FULL[:2], step(3, "follow", "2026-11-02 11:00", next_reply_at=datetime(2026, 11, 3, 18)),
               step(4, "reply", "2026-11-03 17:00", next_reply_at=datetime(2026, 11, 6, 18)), step(5, "reply", "2026-11-09 10:00")]
    reply = steps_of(complaint(*handled))["reply"]
    assert [p["kept"] for p in reply.outcome["promises"]] == [True, False] and reply.outcome["timeliness"] == "late"


# --- major complaints: reported at once to the department head or the deputy manager ----------------------

def test_a_major_complaint_reported_before_the_follow_up():
    handled = [*FULL[:2], step(3, "report", "2026-11-02 10:15", reported_to="department_head"), *FULL[2:]]
    report = steps_of(complaint(*handled, major=True))["report"]
    assert report.outcome["status"] == "done" and report.outcome["reported_to"] == "department_head"


def test_a_major_complaint_reported_after_the_follow_up_started_is_late_unless_the_reading_is_before_reply():
    handled = [*FULL[:3], step(4, "report", "2026-11-02 12:00", reported_to="deputy_manager"), *FULL[3:]]
    c = complaint(*handled, major=True)
    assert steps_of(c)["report"].outcome["status"] == "late"
    assert steps_of(c, context(major_report_by="before_reply"))["report"].outcome["status"] == "done"
    assert steps_of(c, context(major_report_by="before_reply", major_report_within_minutes=60))["report"].outcome["status"] == "late"


def test_a_major_complaint_never_reported_or_reported_to_the_wrong_person():
    missing = steps_of(complaint(*FULL, major=True, resolved=True))["report"]
    assert missing.outcome["status"] == "missing"
    pending = steps_of(complaint(*FULL[:2], major=True))["report"]
    assert pending.outcome["status"] == "pending"
    wrong = steps_of(complaint(*FULL[:2], step(3, "report", "2026-11-02 10:12", reported_to="other"), major=True))["report"]
    assert wrong.outcome["findings"][0]["code"] == "wrong_recipient"


def test_an_ordinary_complaint_needs_no_report():
    report = steps_of(complaint(*FULL))["report"]
    assert report.outcome["status"] == "not_required" and "不是重大投诉" in report.explanation


def test_every_step_of_a_complaint_past_its_promised_time_is_overdue_so_the_option_keeps_all_six():
    late = complaint(*FULL[:3], code="C9", promised_reply_at=datetime(2026, 11, 3, 18))
    on_time = complaint(*FULL, code="C1", resolved=True)
    decisions = run("route", [late, on_time])
    assert {(d.subject_id, d.outcome["overdue"]) for d in decisions} == {("C9", True), ("C1", False)} and len(decisions) == 12
