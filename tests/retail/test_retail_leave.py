"""Leave requests (篇2第2条): asked a day ahead of the store manager, effective once approved."""

from datetime import date
from decimal import Decimal

import pytest

from retail_kit import context, history_of, leave, run, staff
from zhidu.core.params import ParameterError
from zhidu.plugins.retail.leave import advance_met
from zhidu.plugins.retail.params import SPEC


def one(record, ctx=None):
    [d] = run("leave", [record], ctx)
    return d


@pytest.mark.parametrize("requested, hours, valid", [
    ("2026-11-09 10:00", Decimal("23.00"), False),   # 23 h: less than a day
    ("2026-11-09 09:00", Decimal("24.00"), True),    # exactly 24 h: a day ahead
    ("2026-11-09 08:00", Decimal("25.00"), True),    # 25 h
    ("2026-11-09 09:01", Decimal("23.98"), False),   # one minute short
])
def test_leave_asked_23_24_and_25_hours_ahead(requested, hours, valid):
    d = one(leave(requested, "2026-11-10 09:00", approved_at="2026-11-09 12:00" if valid else None))
    assert d.outcome["hours_before"] == hours and d.outcome["advance_met"] is valid and d.outcome["valid"] is valid
    assert d.outcome["status"] == ("effective" if valid else "not_effective") and d.outcome["not_effective"] is (not valid)
    assert d.rule_id == "retail.leave_notice" and str(d.citation) == "销售客户管理制度 篇2第2条"
    if not valid:
        assert [f["code"] for f in d.outcome["findings"]] == ["late_request"]
        assert "不足“提前一天”(按24小时计)" in d.explanation and "请假不生效:未提前一天申请" in d.explanation


def test_the_explanation_states_the_facts():
    d = one(leave("2026-11-09 09:00", "2026-11-10 09:00", approved_at="2026-11-09 10:00", staff_name="张伟"))
    assert d.explanation == ("员工张伟(S1)于2026年11月9日09:00申请自2026年11月10日09:00起请假,距开始24小时,已“提前一天”(按24小时计),"
                             "经店长M1于2026年11月9日10:00批准,依销售客户管理制度 篇2第2条请假生效。")


@pytest.mark.parametrize("requested, valid_24, valid_day", [
    ("2026-11-09 21:00", False, True),   # 12 h ahead, but the evening before
    ("2026-11-10 00:30", False, False),  # the same calendar day
    ("2026-11-08 23:59", True, True),
])
def test_the_calendar_day_reading_is_a_named_parameter(requested, valid_24, valid_day):
    request = leave(requested, "2026-11-10 09:00")
    assert one(request).outcome["valid"] is valid_24
    d = one(request, context(leave_advance="calendar_day"))
    assert d.outcome["valid"] is valid_day and d.outcome["advance_reading"] == "calendar_day" and "按日历日计" in d.explanation
    assert advance_met(request.requested_at, request.starts_at, "calendar_day") is valid_day


def test_only_the_store_manager_approves_unless_the_company_says_otherwise():
    by_supervisor = leave("2026-11-08 09:00", "2026-11-10 09:00", approver="M2", role="supervisor")
    d = one(by_supervisor)
    assert d.outcome["valid"] is False and d.outcome["findings"][0]["code"] == "wrong_approver" and "不是店长" in d.explanation
    assert one(by_supervisor, context(leave_approver_roles=["store_manager", "supervisor"])).outcome["valid"] is True
    with pytest.raises(ParameterError, match="leave_approver_roles"):
        SPEC.resolve(overrides={"leave_approver_roles": []})


def test_the_approvers_role_comes_from_the_staff_roster_when_the_request_does_not_say():
    request = leave("2026-11-08 09:00", "2026-11-10 09:00", approver="M1", role=None)
    roster = history_of(staff("M1", role="store_manager"), kind="store_staff", field="code")
    d = one(request, context(history=roster))
    assert d.outcome["valid"] is True and d.outcome["approver_role"] == "store_manager"
    unknown = one(request)
    assert unknown.outcome["status"] == "unverified" and unknown.outcome["valid"] is None and "岗位未知" in unknown.explanation


def test_approval_after_the_leave_started_does_not_make_it_effective_from_the_start():
    d = one(leave("2026-11-08 09:00", "2026-11-10 09:00", approved_at="2026-11-10 11:00"))
    assert d.outcome["valid"] is False and d.outcome["findings"][0]["code"] == "approved_after_start"


def test_a_refused_request_and_a_request_never_approved():
    assert one(leave("2026-11-08 09:00", "2026-11-10 09:00", approved=False)).outcome["findings"][0]["code"] == "rejected"
    never = one(leave("2026-11-08 09:00", "2026-11-10 09:00", approved=None))  # as of 2026-11-20: the leave has started
    assert never.outcome["status"] == "not_effective" and never.outcome["findings"][0]["code"] == "not_approved"


def test_a_timely_request_awaiting_approval_is_pending_and_a_late_one_is_not_effective_already():
    ctx = context(as_of=date(2026, 11, 20))
    pending = one(leave("2026-11-19 09:00", "2026-11-25 09:00", approved=None), ctx)
    assert pending.outcome["status"] == "pending" and pending.outcome["valid"] is None and pending.outcome["not_effective"] is False
    late = one(leave("2026-11-24 12:00", "2026-11-25 09:00", approved=None), ctx)
    assert late.outcome["status"] == "not_effective" and [f["code"] for f in late.outcome["findings"]] == ["late_request"]


def test_a_request_made_after_the_leave_started():
    d = one(leave("2026-11-10 10:00", "2026-11-10 09:00"))
    assert d.outcome["hours_before"] == Decimal("-1.00") and d.outcome["valid"] is False
