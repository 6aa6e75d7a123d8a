"""Reception: who serves a walk-in now, per preset."""

import pytest

from realestate_floor import floor  # noqa: F401  (the fixture)


def receivers(f, *visits):
    return [f.of(v).outcome["receiver"] for v in visits]


@pytest.mark.parametrize("preset, clause", [("vanke", "§3.1-3.2"), ("xize", "(二)1"), ("consultant", "二.1")])
def test_rolling_rotation(floor, preset, clause):
    f = floor(preset, lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四", "王五")
    vs = [f.visit(f"3-02 10:0{i}", f"C{i}") for i in range(5)]
    assert receivers(f, *vs) == ["张三", "李四", "王五", "张三", "李四"]
    d = f.of(vs[0])
    assert d.rule_id == "realestate.rotation" and d.outcome["counted"] is True
    assert clause in d.explanation and "张三" in d.explanation


def test_sign_in_order_builds_the_rotation_and_sign_out_leaves_it(floor):
    f = floor("consultant")
    for i, who in enumerate(["王五", "张三", "李四"]):
        f.ev(f"3-02 09:0{i}", "sign_in", staff=who)
    f.ev("3-02 09:30", "sign_out", staff="张三")
    vs = [f.visit(f"3-02 10:0{i}", f"C{i}") for i in range(3)]
    assert receivers(f, *vs) == ["王五", "李四", "王五"]


def test_consultant_rebuilds_the_order_each_day_but_vanke_rolls_on(floor):
    for preset, expected in (("consultant", "王五"), ("vanke", "张三")):
        f = floor(preset, lunch_desk=False)
        for i, who in enumerate(["王五", "张三", "李四"]):
            f.ev(f"3-02 09:0{i}", "sign_in", staff=who)
        f.visit("3-02 10:00", "C1")  # 王五
        for i, who in enumerate(["王五", "张三", "李四"]):
            f.ev(f"3-03 09:0{i}", "sign_in", staff=who)
        v = f.visit("3-03 10:00", "C2")
        assert f.of(v).outcome["receiver"] == expected, preset


@pytest.mark.parametrize("preset", ["vanke", "xize", "consultant"])
def test_absent_without_reason_loses_the_turn(floor, preset):
    f = floor(preset, lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四", "王五")
    f.ev("3-02 09:30", "away", staff="张三", reason="none")
    v1 = f.visit("3-02 10:00", "C1")
    f.ev("3-02 10:30", "back", staff="张三")
    v2 = f.visit("3-02 11:00", "C2")
    v3 = f.visit("3-02 11:10", "C3")
    assert receivers(f, v1, v2, v3) == ["李四", "王五", "张三"]  # no priority, no make-up
    [turn] = f.turns()
    assert turn.rule_id == "realestate.lose_turn" and turn.subject_id == f"张三@{v1}"
    assert "取消本轮接客资格" in turn.explanation


@pytest.mark.parametrize("preset", ["vanke", "consultant"])
def test_approved_errand_keeps_a_priority_slot(floor, preset):
    f = floor(preset, lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四", "王五")
    f.ev("3-02 09:30", "away", staff="张三", reason="errand", approved=True)
    v1 = f.visit("3-02 10:00", "C1")
    v2 = f.visit("3-02 10:10", "C2")  # 张三 still out: no second priority slot
    f.ev("3-02 10:30", "back", staff="张三")
    v3 = f.visit("3-02 11:00", "C3")
    v4 = f.visit("3-02 11:10", "C4")
    v5 = f.visit("3-02 11:20", "C5")
    # round 1: 李四, 王五, then 张三's kept slot; round 2 starts with 张三 again.
    assert receivers(f, v1, v2, v3, v4, v5) == ["李四", "王五", "张三", "张三", "李四"]
    assert f.of(v3).rule_id == "realestate.priority_slot"
    assert [t.rule_id for t in f.turns()] == ["realestate.priority_slot"]


def test_unapproved_errand_is_absence_without_reason(floor):
    f = floor("vanke", lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四")
    f.ev("3-02 09:30", "away", staff="张三", reason="领导临时安排")
    f.visit("3-02 10:00", "C1")
    assert [t.rule_id for t in f.turns()] == ["realestate.lose_turn"]


def test_xize_make_up_turns_for_every_missed_round(floor):
    f = floor("xize")
    f.roster("3-02 09:00", "张三", "李四", "王五")
    f.ev("3-02 09:30", "away", staff="张三", reason="business")
    vs = [f.visit(f"3-02 10:0{i}", f"C{i}") for i in range(4)]  # 李四 王五 (张三 missed) 李四 王五
    f.ev("3-02 11:00", "back", staff="张三")
    ws = [f.visit(f"3-02 11:1{i}", f"D{i}") for i in range(3)]
    assert receivers(f, *vs) == ["李四", "王五", "李四", "王五"]
    assert receivers(f, *ws) == ["张三", "张三", "张三"]  # two make-up turns, then his own turn
    assert [f.of(w).rule_id for w in ws] == ["realestate.makeup_turn", "realestate.makeup_turn", "realestate.rotation"]
    assert [t.rule_id for t in f.turns()] == ["realestate.makeup_turn", "realestate.makeup_turn"]


def test_busy_salesperson_is_passed_without_penalty(floor):
    f = floor("vanke", lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四")
    f.ev("3-02 09:30", "away", staff="张三", reason="busy")
    v = f.visit("3-02 10:00", "C1")
    assert f.of(v).outcome["receiver"] == "李四"
    assert f.turns() == []


@pytest.mark.parametrize("preset, loses", [("vanke", True), ("consultant", True), ("xize", False)])
def test_not_dressed_or_prepared_loses_that_turn(floor, preset, loses):
    f = floor(preset, lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四")
    f.ev("3-02 09:30", "unready", staff="张三")
    v1 = f.visit("3-02 10:00", "C1")
    v2 = f.visit("3-02 10:10", "C2")
    if loses:
        assert receivers(f, v1, v2) == ["李四", "张三"]
        assert [t.rule_id for t in f.turns()] == ["realestate.unready_turn"]
    else:
        assert receivers(f, v1, v2) == ["张三", "李四"]
        assert f.turns() == []


@pytest.mark.parametrize("preset, clause", [("vanke", "§5.1"), ("consultant", "四.1"), ("xize", "(二)5(1)")])
def test_designation_before_reception_is_not_counted_and_not_made_up(floor, preset, clause):
    f = floor(preset, lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四", "王五")
    v1 = f.visit("3-02 10:00", "C1", designated="王五")
    v2 = f.visit("3-02 10:05", "C2")
    v3 = f.visit("3-02 10:10", "C3")
    v4 = f.visit("3-02 10:15", "C4")
    d = f.of(v1)
    assert d.rule_id == "realestate.designated_before" and d.outcome["counted"] is False and clause in d.explanation
    assert receivers(f, v1, v2, v3, v4) == ["王五", "张三", "李四", "王五"]


def test_staff_who_merely_knows_a_new_customer_does_not_get_them(floor):
    # 细则(二)5(1): knowing the customer without a designation -> rotation.
    f = floor("xize")
    f.roster("3-02 09:00", "张三", "李四")
    v = f.visit("3-02 10:00", "C1", note="李四认识该客户")
    assert f.of(v).outcome["receiver"] == "张三"


def test_designated_salesperson_absent_falls_back_to_rotation(floor):
    f = floor("vanke", lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四")
    f.ev("3-02 09:30", "away", staff="李四", reason="busy")
    v = f.visit("3-02 10:00", "C1", designated="李四")
    d = f.of(v)
    assert d.outcome["receiver"] == "张三" and d.outcome["counted"] is True and "指定的李四不在岗" in d.explanation


@pytest.mark.parametrize("preset, clause", [("vanke", "§4.1"), ("consultant", "三.1"), ("xize", "(五)3(1)")])
def test_returning_customer_goes_to_the_registered_owner_and_is_not_counted(floor, preset, clause):
    f = floor(preset, lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四", "王五")
    f.register("3-02 08:00", "王五", "C1")
    v1 = f.visit("3-02 10:00", "C1", visited_before=True, named_staff=["王五"])
    v2 = f.visit("3-02 10:10", "C2")
    d = f.of(v1)
    assert d.rule_id == "realestate.returning_owner" and d.outcome == {
        "customer": "C1", "receiver": "王五", "mode": "returning_owner", "counted": False, "volunteer_for": None}
    assert clause in d.explanation
    assert f.of(v2).outcome["receiver"] == "张三"  # the rotation did not move


def test_returning_customer_not_asked_goes_by_the_registration(floor):
    f = floor("vanke", lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四")
    f.register("3-01 10:00", "李四", "C1")
    v = f.visit("3-02 10:00", "C1")
    assert f.of(v).outcome["receiver"] == "李四"


@pytest.mark.parametrize("preset", ["vanke", "consultant", "xize"])
def test_owner_absent_volunteer_reception(floor, preset):
    f = floor(preset, lunch_desk=False)
    f.register("3-01 10:00", "张三", "C1")
    f.roster("3-02 09:00", "李四", "王五", "赵六")
    f.visit("3-02 09:10", "X1")  # 李四
    f.visit("3-02 09:20", "X2")  # 王五
    f.visit("3-02 09:30", "X3")  # 赵六: now the last in rotation, 李四 on turn
    v = f.visit("3-02 10:00", "C1", visited_before=True, named_staff=["张三"])
    d = f.of(v)
    expected = "赵六" if preset != "xize" else "李四"
    assert d.rule_id == "realestate.returning_volunteer"
    assert d.outcome["receiver"] == expected and d.outcome["counted"] is False and d.outcome["volunteer_for"] == "张三"
    e = f.register("3-02 10:05", expected, "C1")
    nxt = f.visit("3-02 10:10", "X4")
    assert f.of(nxt).outcome["receiver"] == "李四"  # the volunteer reception did not take anyone's turn
    assert f.about("C1", e).rule_id == "realestate.volunteer_registration"
    assert f.owner("C1") == "张三"


@pytest.mark.parametrize("preset, counted", [("vanke", True), ("consultant", False), ("xize", False)])
def test_old_customer_bringing_a_new_one_counts_once_only_under_vanke(floor, preset, counted):
    f = floor(preset, lunch_desk=False)
    f.register("3-01 10:00", "张三", "OLD")
    f.roster("3-02 09:00", "李四", "张三")
    v = f.visit("3-02 10:00", "NEW", related="OLD", designated="张三")
    d = f.of(v)
    assert d.outcome["receiver"] == "张三" and d.outcome["counted"] is counted
    if counted:
        assert "视为接待客户一次" in d.explanation or "视为接待一次" in d.explanation
    assert f.tally("张三") == (1 if counted else 0)


def test_returning_customers_never_count_toward_the_quota(floor):
    f = floor("xize")
    f.register("3-01 10:00", "张三", "C1")
    f.roster("3-02 09:00", "张三", "李四")
    f.visit("3-02 10:00", "C1", visited_before=True, named_staff=["张三"])
    f.visit("3-02 10:30", "C1", visited_before=True, named_staff=["张三"])
    f.visit("3-02 10:40", "C2")
    assert f.tally("张三") == 1  # only the new customer counts


def test_lunch_desk_vanke(floor):
    f = floor("vanke")
    f.roster("3-02 09:00", "张三", "李四", "王五", "赵六")
    f.visit("3-02 11:00", "C0")  # 张三; 李四 next
    vs = [f.visit(f"3-02 12:{10 * i:02d}", f"L{i}") for i in range(3)]
    after = f.visit("3-02 13:40", "A1")
    assert receivers(f, *vs) == ["李四", "王五", "李四"]  # only the desk pair serves at lunch
    assert f.of(vs[0]).rule_id == "realestate.lunch_desk"
    assert f.of(after).outcome["receiver"] == "赵六"  # after lunch the rotation goes on behind the desk pair
    lunch = [d for d in f.decisions if d.subject_kind == "floor_day"]
    assert len(lunch) == 1 and lunch[0].outcome["desk"] == ["李四", "王五"]
    assert "§3.14" in lunch[0].explanation and f.turns() == []


def test_no_lunch_desk_outside_vanke(floor):
    f = floor("consultant")
    f.roster("3-02 09:00", "张三", "李四", "王五")
    vs = [f.visit(f"3-02 12:{10 * i:02d}", f"L{i}") for i in range(3)]
    assert receivers(f, *vs) == ["张三", "李四", "王五"]
    assert not any(d.subject_kind == "floor_day" for d in f.decisions)


def test_lunch_window_end_is_exclusive(floor):
    f = floor("vanke")
    f.roster("3-02 09:00", "张三", "李四", "王五")
    v = f.visit("3-02 13:30", "C1")
    assert f.of(v).rule_id == "realestate.rotation"


def test_xize_customer_naming_several_salespeople(floor):
    f = floor("xize")
    f.register("3-01 10:00", "王五", "C1")
    f.roster("3-02 09:00", "张三", "李四", "赵六")
    v1 = f.visit("3-02 10:00", "C1", visited_before=True, named_staff=["王五", "李四", "赵六"])
    d = f.of(v1)
    assert d.rule_id == "realestate.named_first" and d.outcome["receiver"] == "李四" and "(五)3(5)" in d.explanation
    f.ev("3-02 10:30", "away", staff="李四", reason="busy")
    f.ev("3-02 10:30", "away", staff="赵六", reason="busy")
    v2 = f.visit("3-02 11:00", "C1", visited_before=True, named_staff=["王五", "李四", "赵六"])
    assert f.of(v2).outcome["receiver"] == "张三"  # all named absent: the one on the front desk


def test_vanke_customer_naming_several_goes_by_the_registration(floor):
    f = floor("vanke", lunch_desk=False)
    f.register("3-01 10:00", "王五", "C1")
    f.roster("3-02 09:00", "张三", "李四", "王五")
    v = f.visit("3-02 10:00", "C1", visited_before=True, named_staff=["李四", "王五"])
    assert f.of(v).outcome["receiver"] == "王五"


def test_customer_who_forgot_goes_to_the_rotation_as_new(floor):
    f = floor("vanke", lunch_desk=False)
    f.register("3-01 10:00", "王五", "C1")
    f.roster("3-02 09:00", "张三", "王五")
    v = f.visit("3-02 10:00", "C1", visited_before=True)
    d = f.of(v)
    assert d.rule_id == "realestate.forgotten_new" and d.outcome["receiver"] == "张三" and d.outcome["counted"] is True


@pytest.mark.parametrize("preset", ["vanke", "consultant"])
def test_returning_customer_designating_another_is_not_supported_without_the_manager(floor, preset):
    f = floor(preset, lunch_desk=False)
    f.register("3-01 10:00", "张三", "C1")
    f.roster("3-02 09:00", "张三", "李四")
    v = f.visit("3-02 10:00", "C1", visited_before=True, named_staff=["张三"], designated="李四")
    d = f.of(v)
    assert d.rule_id == "realestate.returning_designation" and d.outcome["receiver"] == "张三"
    assert "不予支持" in d.explanation


def test_no_one_on_the_floor(floor):
    f = floor("vanke")
    v = f.visit("3-02 10:00", "C1")
    d = f.of(v)
    assert d.rule_id == "realestate.no_rotation" and d.outcome["receiver"] is None


def test_actual_receiver_differing_from_the_rule_is_flagged(floor):
    f = floor("vanke", lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四")
    v = f.visit("3-02 10:00", "C1", staff="李四")
    d = f.of(v)
    assert d.outcome["receiver"] == "张三" and d.outcome["actual_receiver"] == "李四" and "与规定不符" in d.explanation


def test_company_customer_designated_by_a_leader_is_a_volunteer_reception(floor):
    f = floor("vanke", lunch_desk=False)
    f.ev("3-01 10:00", "company_introduction", customer="C7", introducer="总经理", leader_designated="李四")
    f.roster("3-02 09:00", "张三", "李四")
    v = f.visit("3-02 10:00", "C7")
    d = f.of(v)
    assert d.rule_id == "realestate.company_volunteer" and d.outcome["receiver"] == "李四" and d.outcome["counted"] is False
    assert f.of(f.visit("3-02 10:10", "C8")).outcome["receiver"] == "张三"
    f.register("3-02 10:05", "李四", "C7")
    deal = f.deal("C7", "李四", "3-10 10:00")
    assert deal.rule_id == "realestate.company_designated" and f.shares(deal) == {"company_pool": 10000}


def test_leader_designated_salesperson_absent_falls_back_to_rotation(floor):
    f = floor("vanke", lunch_desk=False)
    f.ev("3-01 10:00", "company_introduction", customer="C7", introducer="总经理", leader_designated="王五")
    f.roster("3-02 09:00", "张三", "李四")
    v = f.visit("3-02 10:00", "C7")
    assert f.of(v).rule_id == "realestate.rotation" and f.of(v).outcome["receiver"] == "张三"


def test_announcement_brings_one_visit_only(floor):
    f = floor("vanke", lunch_desk=False)
    f.register("2-20 10:00", "张三", "OLD")
    f.ev("3-01 18:00", "referral_notice", staff="张三", customer="NEW", related="OLD")
    f.roster("3-02 09:00", "李四", "张三")
    assert f.of(f.visit("3-02 10:00", "NEW")).rule_id == "realestate.old_announced"
    f.roster("4-10 09:00", "李四", "张三")  # 张三's hold on NEW lapsed on 4月2日
    v = f.visit("4-10 10:00", "NEW")
    assert f.of(v).rule_id == "realestate.rotation" and f.of(v).outcome["receiver"] == "李四"
