"""Retail through the standard commands: conduct (assess_conduct), classify (classify_customer) and
route (route_complaint) over retail's own kinds, beside the plugins that answer them over theirs."""

import json
from datetime import datetime
from decimal import Decimal

from retail_kit import by_step, complaint, context, run, step, vip

from report_company import make_company

FULL = [step(1, "listen", "2026-11-02 10:00"), step(2, "ask", "2026-11-02 10:10"), step(3, "follow", "2026-11-02 11:00"),
        step(4, "reply", "2026-11-03 10:00"), step(5, "record", "2026-11-03 11:00", log_entry="TS-1")]


def jsonl(result):
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


# --- route: handler and due_at ------------------------------------------------------------------------

def test_the_first_receiver_handles_every_step_and_the_promised_time_is_due_on_each():
    handled = [*FULL[:2], step(3, "follow", "2026-11-02 11:00", "S7"), step(4, "reply", "2026-11-03 10:00", "S8")]
    steps = by_step(run("route", [complaint(*handled, by="S1", promised_reply_at=datetime(2026, 11, 4, 18))]))
    assert {s: d.outcome["handler"] for s, d in steps.items()} == {s: "S1" for s in steps}
    assert {d.outcome["due_at"] for d in steps.values() if d.outcome["step"] != "report"} == {datetime(2026, 11, 4, 18)}
    assert {d.outcome["due_basis"] for d in steps.values() if d.outcome["step"] != "report"} == {"promised_reply_at"}
    assert steps["report"].outcome["due_at"] is None and steps["report"].outcome["due_basis"] == "not_required"


def test_without_a_promise_nothing_is_due_and_the_reply_says_why():
    steps = by_step(run("route", [complaint(*FULL, resolved=True)]))
    assert {d.outcome["due_at"] for d in steps.values()} == {None}
    assert steps["reply"].outcome["due_basis"] == "no_promise" and "原文未规定回复天数" in steps["reply"].explanation
    # A company limit, when it sets one, is the due time (received 11月2日, 3 working days: 11月5日).
    limited = by_step(run("route", [complaint(*FULL[:3])], context(reply_working_days=3)))
    assert limited["follow"].outcome["due_at"] == datetime(2026, 11, 5, 23, 59, 59)
    assert limited["follow"].outcome["due_basis"] == "reply_working_days"


def test_a_major_complaint_is_reported_to_the_department_head_at_once():
    reported = step(2, "report", "2026-11-02 10:05", reported_to="deputy_manager")
    steps = by_step(run("route", [complaint(FULL[0], reported, *FULL[1:], major=True)]))
    report = steps["report"]
    assert report.outcome["handler"] == "deputy_manager" and report.outcome["status"] == "done"
    # 马上 gives no clock time: nothing is due by the clock unless the company sets a limit.
    assert report.outcome["due_at"] is None and report.outcome["due_basis"] == "at_once"
    assert steps["listen"].outcome["handler"] == "S1"
    unreported = by_step(run("route", [complaint(*FULL[:2], major=True)], context(major_report_within_minutes=30)))["report"]
    assert unreported.outcome["handler"] == "department_head" and unreported.outcome["status"] == "pending"
    assert unreported.outcome["due_at"] == datetime(2026, 11, 2, 10, 30)
    assert unreported.outcome["due_basis"] == "major_report_within_minutes"


# --- classify: level ----------------------------------------------------------------------------------

def test_the_class_is_the_level_and_not_configured_has_none():
    [unset] = run("classify", [vip(spend=Decimal("30000.00"), visits=20)])
    assert unset.outcome["level"] is None and unset.outcome["status"] == "not_configured"
    assert unset.rule_id == "retail.vip_not_configured"
    [example] = run("classify", [vip(spend=Decimal("30000.00"), visits=20)], context(preset="example"))
    assert example.outcome["level"] == example.outcome["class"] == "A" and example.rule_id == "retail.vip_class"


# --- beside the other plugins that answer the same commands -------------------------------------------

def test_conduct_decides_realestates_and_retails_incidents_each_by_its_own_rules(tmp_path):
    zhidu = make_company(tmp_path, "realestate,retail")
    decided = jsonl(zhidu("conduct", "--as-of", "2026-11-20", "-f", "jsonl"))
    by_kind = {}
    for d in decided:
        by_kind.setdefault(d["subject_kind"], set()).add((d["plugin"], d["rule_id"].split(".")[0]))
    assert by_kind == {"conduct_incident": {("realestate", "realestate")}, "staff_incident": {("retail", "retail")}}
    from zhidu.plugins.realestate.samples import sample_rows as realestate_rows
    from zhidu.plugins.retail.samples import sample_rows as retail_rows

    assert sum(d["subject_kind"] == "conduct_incident" for d in decided) == len(realestate_rows()["conduct_incident"])
    assert sum(d["subject_kind"] == "staff_incident" for d in decided) == len(retail_rows()["staff_incident"])
    assert all("sanction" in d["outcome"] for d in decided)
    # Only retail's incidents, by its kind; a file of retail's incidents names its kind.
    retail_only = jsonl(zhidu("conduct", "--kind", "staff_incident", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert {d["plugin"] for d in retail_only} == {"retail"}
    sample = tmp_path / "samples" / "retail" / "staff_incident.csv"
    refused = zhidu("conduct", str(sample), ok=False)
    assert refused.exit_code == 2 and "conduct_incident (realestate) and staff_incident (retail)" in refused.output
    from_file = jsonl(zhidu("conduct", str(sample), "--kind", "staff_incident", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert len(from_file) == len(retail_rows()["staff_incident"]) and {d["plugin"] for d in from_file} == {"retail"}


def test_route_and_classify_beside_petrochem_keep_each_kind_to_its_plugin(tmp_path):
    zhidu = make_company(tmp_path, "petrochem,retail")
    routed = jsonl(zhidu("route", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert {(d["subject_kind"], d["plugin"]) for d in routed} == {("complaint", "petrochem"), ("store_complaint", "retail")}
    assert all("handler" in d["outcome"] and "due_at" in d["outcome"] for d in routed)
    overdue = jsonl(zhidu("route", "--overdue", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert overdue and all(d["outcome"]["overdue"] for d in overdue)
    retail_overdue = {d["subject_id"] for d in overdue if d["plugin"] == "retail"}
    # Every step of a retail complaint past its promised time is kept, six per complaint.
    assert retail_overdue and sum(d["plugin"] == "retail" for d in overdue) == 6 * len(retail_overdue)
    classified = jsonl(zhidu("classify", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert {(d["subject_kind"], d["plugin"]) for d in classified} == {("customer", "petrochem"), ("vip_customer", "retail")}
