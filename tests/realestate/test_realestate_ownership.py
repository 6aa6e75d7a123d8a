"""Ownership: first valid registration, the window, phone registrations, forgotten salespeople,
rejections, family relations, referrals, company customers, leave, quarrels, escalation."""

from decimal import Decimal

import pytest

from realestate_floor import floor  # noqa: F401  (the fixture)


# --- first registration and the window ----------------------------------------------------------------


def test_first_valid_registration_wins_and_explains_itself(floor):
    f = floor("vanke")
    e1 = f.register("3-02 10:00", "张三", "C1")
    e2 = f.register("3-20 11:00", "李四", "C1")
    first = f.about("C1", e1)
    assert first.rule_id == "realestate.first_registration"
    assert first.outcome["owner"] == "张三"
    assert "3月2日由张三首次登记" in first.explanation and "万科房地产销售部客户管理制度 §7.3" in first.explanation
    conflict = f.about("C1", e2)
    assert conflict.rule_id == "realestate.registration_conflict"
    assert conflict.outcome["owner"] == "张三" and conflict.outcome["effective"] is False
    assert "3月20日李四" in conflict.explanation
    assert f.owner("C1") == "张三"


@pytest.mark.parametrize(
    "preset, registered, later, expected_owner",
    [
        # 民法典 第二百零一、二百零二条: the registration day is not counted; a month ends on the
        # corresponding day. 万科: 4月1日 -> valid through 5月1日, expired 5月2日.
        ("vanke", "4-01 10:00", "5-01 10:00", "张三"),
        ("vanke", "4-01 10:00", "5-02 10:00", "李四"),
        # 3月2日 -> through 4月2日 (the issue's own example), expired 4月3日.
        ("vanke", "3-02 10:00", "4-02 10:00", "张三"),
        ("vanke", "3-02 10:00", "4-03 10:00", "李四"),
        # No corresponding day: 1月31日 + 1 month -> the end of February.
        ("vanke", "1-31 10:00", "2-28 10:00", "张三"),
        ("vanke", "1-31 10:00", "3-01 10:00", "李四"),
        # 细则: two months, 4月1日 -> through 6月1日.
        ("xize", "4-01 10:00", "6-01 10:00", "张三"),
        ("xize", "4-01 10:00", "6-02 10:00", "李四"),
        ("xize", "4-01 10:00", "5-02 10:00", "张三"),
        # 置业顾问: one month from the last follow-up (none here: the registration itself).
        ("consultant", "4-01 10:00", "5-01 10:00", "张三"),
        ("consultant", "4-01 10:00", "5-02 10:00", "李四"),
    ],
)
def test_window_edges_per_preset(floor, preset, registered, later, expected_owner):
    f = floor(preset)
    f.register(registered, "张三", "C1")
    e2 = f.register(later, "李四", "C1")
    assert f.owner("C1") == expected_owner
    decision = f.about("C1", e2)
    if expected_owner == "李四":
        assert decision.rule_id == "realestate.registration_expired"
        assert decision.outcome["previous_owner"] == "张三"
        assert "届满" in decision.explanation
    else:
        assert decision.rule_id == "realestate.registration_conflict"


def test_window_in_days_overrides_months(floor):
    # 30 days counted from the day after the registration: 3月2日 -> through 4月1日.
    f = floor("vanke", window_days=30)
    e1 = f.register("3-02 10:00", "张三", "C1")
    assert "至4月1日" in f.about("C1", e1).explanation
    f.register("4-01 10:00", "李四", "C1")  # the 30th day: still valid
    assert f.owner("C1") == "张三"
    f.register("4-02 10:00", "李四", "C1")  # the 31st: expired
    assert f.owner("C1") == "李四"


def test_consultant_window_counts_from_last_followup_and_each_renewal_is_decided(floor):
    f = floor("consultant")
    f.register("4-01 10:00", "张三", "C1")
    fu = f.ev("4-25 15:00", "followup", staff="张三", customer="C1")
    renewal = f.about("C1", fu)
    assert renewal.rule_id == "realestate.window_renewed" and "五.2" in renewal.explanation
    assert renewal.outcome["renewed"] is True and str(renewal.outcome["valid_until"]) == "2026-05-25"
    assert str(renewal.outcome["previous_valid_until"]) == "2026-05-01"
    assert "回访记录不是来访登记" in renewal.explanation and "至5月25日" in renewal.explanation
    e = f.register("5-25 10:00", "李四", "C1")  # 4月25日 + 1 month: valid through 5月25日
    assert f.owner("C1") == "张三"
    assert f.about("C1", e).rule_id == "realestate.registration_conflict"
    e2 = f.register("5-26 10:00", "王五", "C1")
    assert f.owner("C1") == "王五"
    assert f.about("C1", e2).rule_id == "realestate.registration_expired"
    assert "置业顾问客户管理制度 五.2" in f.about("C1", e2).explanation


def test_consultant_followup_by_another_or_after_lapse_renews_nothing(floor):
    f = floor("consultant")
    f.register("4-01 10:00", "张三", "C1")
    other = f.ev("4-20 15:00", "followup", staff="李四", customer="C1")
    late = f.ev("5-05 15:00", "followup", staff="张三", customer="C1")
    assert f.about("C1", other).outcome["renewed"] is False and "不延长" in f.about("C1", other).explanation
    assert f.about("C1", late).outcome["renewed"] is False and "届满" in f.about("C1", late).explanation
    assert str(f.replay().customers["C1"].standing.anchor.date()) == "2026-04-01"


def test_reregistration_by_the_owner_renews_the_window_with_a_decision(floor):
    f = floor("vanke")
    f.register("4-01 10:00", "张三", "C1")
    again = f.register("4-20 10:00", "张三", "C1")
    d = f.about("C1", again)
    assert d.rule_id == "realestate.window_renewed" and d.outcome["by"] == "registration"
    assert str(d.outcome["valid_until"]) == "2026-05-20" and "§7.1" in d.explanation


def test_vanke_followup_does_not_extend_the_window(floor):
    f = floor("vanke")
    f.register("4-01 10:00", "张三", "C1")
    fu = f.ev("4-25 15:00", "followup", staff="张三", customer="C1")
    d = f.about("C1", fu)
    assert d.outcome["renewed"] is False and "跟进不是来访登记" in d.explanation and "至5月1日" in d.explanation
    f.register("5-20 10:00", "李四", "C1")
    assert f.owner("C1") == "李四"


def test_followup_by_someone_else_does_not_extend(floor):
    f = floor("consultant")
    f.register("4-01 10:00", "张三", "C1")
    f.ev("4-25 15:00", "followup", staff="李四", customer="C1")
    f.register("5-20 10:00", "王五", "C1")
    assert f.owner("C1") == "王五"


def test_owner_reregistration_renews_the_window(floor):
    f = floor("vanke")
    f.register("4-01 10:00", "张三", "C1")
    f.register("4-20 10:00", "张三", "C1")
    f.register("5-10 10:00", "李四", "C1")
    assert f.owner("C1") == "张三"


def test_same_timestamp_registrations_settled_by_delivery_order(floor):
    f = floor("vanke")
    e1 = f.register("3-02 10:00", "李四", "C1")
    e2 = f.register("3-02 10:00", "张三", "C1")
    assert f.owner("C1") == "李四"
    d = f.about("C1", e2)
    assert d.rule_id == "realestate.registration_conflict"
    assert "时间相同" in d.explanation and "李四在先" in d.explanation
    assert f.about("C1", e1).outcome["owner"] == "李四"


def test_same_day_second_registration_is_a_conflict_not_a_forgotten_case(floor):
    f = floor("vanke")
    f.roster("3-02 09:00", "李四", "张三")
    f.register("3-02 10:00", "张三", "C1")
    f.visit("3-02 15:00", "C1", visited_before=False)
    e = f.register("3-02 15:05", "李四", "C1")
    assert f.about("C1", e).rule_id == "realestate.registration_conflict"
    assert f.owner("C1") == "张三"


@pytest.mark.parametrize("preset", ["vanke", "xize", "consultant"])
def test_phone_registration_never_establishes_ownership(floor, preset):
    f = floor(preset)
    e1 = f.ev("3-01 10:00", "call", staff="李四", customer="C1")
    e2 = f.register("3-05 10:00", "张三", "C1")
    d = f.about("C1", e1)
    assert d.rule_id == "realestate.phone_not_ownership"
    assert d.outcome["effective"] is False and "来电登记仅作资料留存" in d.explanation
    assert f.about("C1", e2).rule_id == "realestate.first_registration"
    assert f.owner("C1") == "张三"


def test_unapproved_registration_waits_for_approval_and_then_counts_from_its_own_time(floor):
    f = floor("vanke")
    e1 = f.register("3-02 10:00", "张三", "C1", approved=False)
    assert f.about("C1", e1).outcome["status"] == "pending"
    assert f.owner("C1") is None
    f.register("3-02 11:00", "李四", "C1")
    assert f.owner("C1") == "李四"
    e3 = f.ev("3-02 18:00", "approval", event_id="A1", ref_event_id=e1)
    d = f.about("C1", e3)
    assert d.rule_id == "realestate.registration_conflict" and d.outcome["owner"] == "张三"
    assert f.owner("C1") == "张三"


def test_refused_registration_never_counts(floor):
    f = floor("vanke")
    e1 = f.register("3-02 10:00", "张三", "C1", approved=False)
    e2 = f.ev("3-02 18:00", "approval", ref_event_id=e1, approved=False)
    assert f.about("C1", e2).outcome["status"] == "refused"
    assert f.owner("C1") is None


def test_correction_is_a_new_record_and_keeps_the_original_time(floor):
    f = floor("vanke")
    e1 = f.register("3-02 10:00", "张山", "C1")
    e2 = f.register("3-02 17:00", "张三", "C1", corrects=e1)
    d = f.about("C1", e2)
    assert d.rule_id == "realestate.registration_correction"
    assert d.outcome["owner"] == "张三" and d.outcome["since"].day == 2 and d.outcome["since"].hour == 10
    # the corrected record keeps its 10:00 priority over a later registration
    f.register("3-02 11:00", "李四", "C1")
    assert f.owner("C1") == "张三"


def test_void_correction_releases_the_customer(floor):
    f = floor("vanke")
    e1 = f.register("3-02 10:00", "张三", "C1")
    f.register("3-02 17:00", "张三", "C1", corrects=e1, void=True)
    assert f.owner("C1") is None
    f.register("3-03 10:00", "李四", "C1")
    assert f.owner("C1") == "李四"


# --- the forgotten salesperson (万科§3.7 g-j, 置业顾问二.6, 细则(五)3(7)) --------------------------------------


def _forgotten(f, second_day="3-20"):
    f.roster("3-02 09:00", "张三", "李四")
    f.register("3-02 10:00", "张三", "C1")
    f.roster(f"{second_day} 09:00", "李四", "张三")
    f.visit(f"{second_day} 10:00", "C1", visited_before=True)
    return f.register(f"{second_day} 10:10", "李四", "C1")


def test_forgotten_salesperson_new_one_follows_up(floor):
    f = floor("vanke")
    e = _forgotten(f)
    d = f.about("C1", e)
    assert d.rule_id == "realestate.forgotten_new"
    assert d.outcome == {"customer": "C1", "owner": "李四", "original": "张三", "status": "provisional"}
    assert "§3.7" in d.explanation


def test_customer_saying_they_never_came_stays_with_the_valid_registrant(floor):
    # "Never visited" is not "forgot": 谁登记早是谁的客户.
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    f.roster("3-20 09:00", "李四")
    v = f.visit("3-20 10:00", "C1", visited_before=False)
    e = f.register("3-20 10:10", "李四", "C1")
    reception = f.of(v)
    assert reception.rule_id == "realestate.rotation" and "称从未来过" in reception.explanation and "记不得" not in reception.explanation
    d = f.about("C1", e)
    assert d.rule_id == "realestate.registration_conflict" and d.outcome["owner"] == "张三"
    assert "称从未来过" in d.explanation and "谁登记早是谁的客户" in d.explanation and "记不得" not in d.explanation
    assert f.owner("C1") == "张三"
    assert f.shares(f.deal("C1", "李四", "3-28 10:00")) == {"张三": 10000}


def test_customer_saying_they_never_came_after_the_window_is_simply_new(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    f.roster("4-10 09:00", "李四")
    v = f.visit("4-10 10:00", "C1", visited_before=False)
    e = f.register("4-10 10:10", "李四", "C1")
    assert f.of(v).rule_id == "realestate.rotation"
    assert f.about("C1", e).rule_id == "realestate.registration_expired" and f.owner("C1") == "李四"


def test_customer_naming_the_original_cannot_be_taken_over(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    f.roster("3-20 09:00", "李四", "张三")
    f.visit("3-20 10:00", "C1", visited_before=True, named_staff=["张三"])
    e = f.register("3-20 10:10", "李四", "C1")
    assert f.about("C1", e).rule_id == "realestate.registration_conflict"
    assert f.owner("C1") == "张三"


def test_registration_without_visit_facts_is_a_plain_conflict(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    e = f.register("3-20 10:10", "李四", "C1")
    assert f.about("C1", e).rule_id == "realestate.registration_conflict"


@pytest.mark.parametrize("preset, clause", [("vanke", "§3.7g"), ("consultant", "二.6A"), ("xize", "(五)3(1)")])
def test_same_day_recognition_returns_the_customer(floor, preset, clause):
    f = floor(preset)
    _forgotten(f)
    e = f.ev("3-20 11:00", "recognition", staff="张三", customer="C1")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.recognized_same_day" and d.outcome["owner"] == "张三"
    assert clause in d.explanation
    assert f.owner("C1") == "张三"
    deal = f.deal("C1", "张三", "3-25 10:00")
    assert f.shares(deal) == {"张三": 10000}


def test_recognition_before_the_registration_keeps_the_original(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    f.roster("3-20 09:00", "李四", "张三")
    f.visit("3-20 10:00", "C1", visited_before=True)
    f.ev("3-20 10:05", "recognition", staff="张三", customer="C1")
    e = f.register("3-20 10:10", "李四", "C1")
    assert f.about("C1", e).rule_id == "realestate.recognized_same_day"
    assert f.owner("C1") == "张三"


@pytest.mark.parametrize("preset, split_clause", [("vanke", "§3.7i"), ("consultant", "二.6C")])
def test_recognition_within_a_month_of_the_new_visit_halves_the_commission(floor, preset, split_clause):
    f = floor(preset)
    _forgotten(f)  # 3月20日
    e = f.ev("4-20 11:00", "recognition", staff="张三", customer="C1")  # 3月20日 + 1 month: the last day
    assert f.about("C1", e).rule_id == "realestate.recognized_within"
    assert f.owner("C1") == "李四"
    deal = f.deal("C1", "李四", "4-25 10:00", "10000")
    assert deal.rule_id == "realestate.recognized_split"
    assert f.shares(deal) == {"张三": 5000, "李四": 5000}
    assert split_clause in deal.explanation


@pytest.mark.parametrize("preset", ["vanke", "consultant"])
def test_recognition_after_the_month_leaves_all_to_the_new_salesperson(floor, preset):
    f = floor(preset)
    _forgotten(f)
    e = f.ev("4-21 11:00", "recognition", staff="张三", customer="C1")
    assert f.about("C1", e).rule_id == "realestate.recognized_late"
    deal = f.deal("C1", "李四", "4-25 10:00")
    assert deal.rule_id == "realestate.unrecognized_new"
    assert f.shares(deal) == {"李四": 10000}


def test_xize_recognition_window_is_the_original_two_month_archive(floor):
    # 细则(五)3(7): found while b's 建档 (2 months from 3月2日, through 5月2日) is valid -> 50/50.
    f = floor("xize")
    _forgotten(f)
    e = f.ev("5-02 11:00", "recognition", staff="张三", customer="C1")
    assert f.about("C1", e).rule_id == "realestate.recognized_within"
    assert f.shares(f.deal("C1", "李四", "5-10 10:00")) == {"张三": 5000, "李四": 5000}

    g = floor("xize")
    _forgotten(g)
    e = g.ev("5-03 11:00", "recognition", staff="张三", customer="C1")
    assert g.about("C1", e).rule_id == "realestate.recognized_late"
    assert g.shares(g.deal("C1", "李四", "5-10 10:00")) == {"李四": 10000}


def test_no_recognition_at_all_leaves_all_to_the_new_salesperson(floor):
    f = floor("vanke")
    _forgotten(f)
    deal = f.deal("C1", "李四", "3-28 10:00")
    assert deal.rule_id == "realestate.unrecognized_new"
    assert f.shares(deal) == {"李四": 10000}


def test_recognition_after_the_deal_does_not_reach_back(floor):
    f = floor("vanke")
    _forgotten(f)
    f.ev("3-30 11:00", "recognition", staff="张三", customer="C1")
    deal = f.deal("C1", "李四", "3-28 10:00")
    assert f.shares(deal) == {"李四": 10000}


@pytest.mark.parametrize("preset", ["vanke", "consultant"])
def test_deal_on_the_spot_before_recognition_keeps_all_for_the_new_salesperson(floor, preset):
    f = floor(preset)
    _forgotten(f)
    e = f.ev("3-20 11:00", "deal", staff="李四", customer="C1")
    f.ev("3-20 11:30", "recognition", staff="张三", customer="C1")
    assert f.about("C1", e).rule_id == "realestate.deal_on_spot"
    assert f.owner("C1") == "李四"
    deal = f.deal("C1", "李四", "3-20 11:00")
    assert deal.rule_id == "realestate.spot_deal_new"
    assert f.shares(deal) == {"李四": 10000}


def test_xize_has_no_deal_on_the_spot_rule(floor):
    f = floor("xize")
    _forgotten(f)
    e = f.ev("3-20 11:00", "deal", staff="李四", customer="C1")
    assert not f.has_about("C1", e)
    f.ev("3-20 11:30", "recognition", staff="张三", customer="C1")
    assert f.owner("C1") == "张三"


def test_forgotten_case_needs_a_valid_original_registration(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    f.roster("4-05 09:00", "李四")
    f.visit("4-05 10:00", "C1", visited_before=True)
    e = f.register("4-05 10:10", "李四", "C1")
    assert f.about("C1", e).rule_id == "realestate.registration_expired"
    f.ev("4-06 10:00", "recognition", staff="张三", customer="C1")
    assert f.owner("C1") == "李四"


# --- rejection (万科§3.10, 置业顾问二.9, 细则(五)3(4)) --------------------------------------------------------


def _rejection_floor(f):
    f.roster("3-02 09:00", "张三", "李四", "王五")
    f.visit("3-02 10:00", "C1")
    f.register("3-02 10:05", "张三", "C1")


@pytest.mark.parametrize("preset, clause", [("vanke", "§3.10a"), ("consultant", "二.9A")])
def test_rejection_without_fault_is_not_supported(floor, preset, clause):
    f = floor(preset)
    _rejection_floor(f)
    e = f.ev("3-02 10:30", "rejection", staff="张三", customer="C1", fault="none")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.rejection_no_fault" and clause in d.explanation
    assert f.owner("C1") == "张三"


def test_rejection_with_general_fault_keeps_the_salesperson(floor):
    f = floor("vanke")
    _rejection_floor(f)
    e = f.ev("3-02 10:30", "rejection", staff="张三", customer="C1", fault="一般过错")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.rejection_general" and d.outcome["penalty"] == "manager_discretion"
    assert f.owner("C1") == "张三"


@pytest.mark.parametrize("preset, priority", [("vanke", True), ("consultant", False)])
def test_rejection_with_serious_fault_treats_the_customer_as_new(floor, preset, priority):
    f = floor(preset)
    _rejection_floor(f)
    e = f.ev("3-02 10:30", "rejection", staff="张三", customer="C1", fault="serious")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.rejection_serious" and d.outcome["excluded"] == "张三"
    reassign = f.of(e)
    assert reassign.rule_id == "realestate.rejection_reassign"
    assert reassign.outcome["receiver"] == "李四"
    assert reassign.outcome["priority_slot_for"] == ("张三" if priority else None)
    e2 = f.register("3-02 10:40", "李四", "C1")
    assert f.about("C1", e2).rule_id == "realestate.first_registration"
    e3 = f.register("3-02 11:00", "张三", "C1")
    assert f.about("C1", e3).outcome["effective"] is False
    assert f.owner("C1") == "李四"
    # vanke: the rejected salesperson gets the next walk-in (priority slot); consultant: rotation.
    v = f.visit("3-02 11:30", "C2")
    assert f.of(v).outcome["receiver"] == ("张三" if priority else "王五")
    assert f.shares(f.deal("C1", "李四", "3-10 10:00")) == {"李四": 10000}


def test_customer_insisting_is_treated_like_serious_fault(floor):
    f = floor("vanke")
    _rejection_floor(f)
    e = f.ev("3-02 10:30", "rejection", staff="张三", customer="C1", fault="none", insists=True)
    assert f.about("C1", e).rule_id == "realestate.rejection_serious"
    assert f.owner("C1") is None


def test_xize_rejection_needs_a_verified_complaint(floor):
    f = floor("xize")
    _rejection_floor(f)
    e1 = f.ev("3-05 10:30", "rejection", staff="张三", customer="C1", complaint=True)
    assert f.about("C1", e1).outcome["status"] == "pending_verification"
    assert f.owner("C1") == "张三"
    e2 = f.ev("3-06 10:30", "rejection", staff="张三", customer="C1", complaint=True, verified=True)
    d = f.about("C1", e2)
    assert d.rule_id == "realestate.rejection_complaint" and "(五)3(4)" in d.explanation
    assert f.owner("C1") is None
    f.register("3-06 11:00", "李四", "C1")
    assert f.shares(f.deal("C1", "李四", "3-20 10:00")) == {"李四": 10000}


# --- family relations ---------------------------------------------------------------------------------------


def _spouses(f, relation="spouse"):
    f.register("3-02 10:00", "张三", "HUSBAND")
    f.register("3-05 10:00", "李四", "WIFE")
    return f.ev("3-08 10:00", "relation", customer="WIFE", related="HUSBAND", relation=relation)


def test_vanke_spouses_share_fifty_fifty(floor):
    f = floor("vanke")
    e = _spouses(f)
    d = f.about("WIFE", e)
    assert d.rule_id == "realestate.family_share" and d.outcome["owners"] == ["张三", "李四"]
    for customer in ("WIFE", "HUSBAND"):
        deal = f.deal(customer, "李四", "3-20 10:00", "9999.99")
        assert deal.rule_id == "realestate.family_share_split"
        assert f.ratios(deal) == {"张三": Decimal("0.5"), "李四": Decimal("0.5")}
        assert sum(f.shares(deal).values()) == Decimal("9999.99")


@pytest.mark.parametrize("relation", ["parent_child", "sibling"])
def test_vanke_other_relatives_stay_separate(floor, relation):
    f = floor("vanke")
    e = _spouses(f, relation)
    assert f.about("WIFE", e).rule_id == "realestate.family_separate"
    assert f.shares(f.deal("WIFE", "李四", "3-20 10:00")) == {"李四": 10000}


@pytest.mark.parametrize("relation", ["spouse", "parent_child", "in_law"])
def test_consultant_direct_relatives_go_to_the_first_registrant(floor, relation):
    f = floor("consultant")
    e = _spouses(f, relation)
    d = f.about("WIFE", e)
    assert d.rule_id == "realestate.family_first" and d.outcome["owner"] == "张三"
    assert "李四的登记不产生归属" in d.explanation
    assert f.shares(f.deal("WIFE", "李四", "3-20 10:00")) == {"张三": 10000}


def test_consultant_siblings_are_separate_customers(floor):
    f = floor("consultant")
    e = _spouses(f, "sibling")
    assert f.about("WIFE", e).rule_id == "realestate.family_separate"
    assert f.shares(f.deal("WIFE", "李四", "3-20 10:00")) == {"李四": 10000}


def test_consultant_family_first_registration_must_still_be_valid(floor):
    # 五.6: validity counts from the earliest visit; expired -> the valid one.
    f = floor("consultant")
    f.register("1-05 10:00", "张三", "HUSBAND")
    f.register("3-05 10:00", "李四", "WIFE")
    f.ev("3-08 10:00", "relation", customer="WIFE", related="HUSBAND", relation="spouse")
    assert f.owner("WIFE") == "李四" and f.owner("HUSBAND") == "李四"


def test_xize_family_goes_to_the_first_receiver_but_siblings_do_not(floor):
    f = floor("xize")
    e = _spouses(f, "spouse")
    assert f.about("WIFE", e).rule_id == "realestate.family_first"
    assert f.owner("WIFE") == "张三"
    g = floor("xize")
    e = _spouses(g, "sibling")
    assert g.about("WIFE", e).rule_id == "realestate.family_separate"
    assert g.owner("WIFE") == "李四"


# --- employee referrals ---------------------------------------------------------------------------------------


def _referral(f, visit_day="3-05", confirm=True, confirm_after_registration=False):
    """Referral registered 3月1日 for 3月5日; returns the salesperson's registration event id."""
    f.ev("3-01 10:00", "referral_registration", staff="财务部赵六", customer="C9", appointment_date="2026-03-05")
    f.roster(f"{visit_day} 09:00", "张三", "李四")
    f.visit(f"{visit_day} 10:00", "C9")
    if confirm and not confirm_after_registration:
        f.ev(f"{visit_day} 10:02", "referral_confirmation", staff="财务部赵六", customer="C9", confirmed_by="项目经理")
    e = f.register(f"{visit_day} 10:05", "张三", "C9")
    if confirm and confirm_after_registration:
        f.ev(f"{visit_day} 10:30", "referral_confirmation", staff="财务部赵六", customer="C9", event_id="LATE")
    return e


@pytest.mark.parametrize("preset, clause", [("vanke", "万科房地产销售部客户管理制度 §6(2)3"), ("xize", "房地产公司员工介绍客户管理办法 第4条"), ("consultant", "房地产公司员工介绍客户管理办法 第4条")])
def test_valid_employee_referral_pays_thirty_percent(floor, preset, clause):
    f = floor(preset)
    e = _referral(f)
    d = f.about("C9", f"{e}/referral")
    assert d.rule_id == "realestate.referral_valid" and clause in d.explanation
    assert f.owner("C9") == "张三"
    deal = f.deal("C9", "张三", "3-20 10:00", "10000")
    assert deal.rule_id == "realestate.referral_split"
    assert f.shares(deal) == {"财务部赵六": 3000, "张三": 7000}


def test_referral_with_missed_appointment_lapses(floor):
    f = floor("vanke")
    e = _referral(f, visit_day="3-06")
    assert f.about("C9", f"{e}/referral").rule_id == "realestate.referral_expired"
    assert f.shares(f.deal("C9", "张三", "3-20 10:00")) == {"张三": 10000}


def test_referral_not_confirmed_at_the_visit_is_void(floor):
    f = floor("vanke")
    e = _referral(f, confirm=False)
    assert f.about("C9", f"{e}/referral").rule_id == "realestate.referral_unconfirmed"
    assert f.shares(f.deal("C9", "张三", "3-20 10:00")) == {"张三": 10000}


def test_referral_confirmed_after_a_salesperson_registered_is_not_supported(floor):
    f = floor("vanke")
    e = _referral(f, confirm_after_registration=True)
    assert f.about("C9", f"{e}/referral").rule_id == "realestate.referral_unconfirmed"
    late = f.about("C9", "LATE")
    assert late.rule_id == "realestate.referral_preempted"
    assert late.outcome["registered_by"] == "张三" and "登记在先" in late.explanation
    assert f.shares(f.deal("C9", "张三", "3-20 10:00")) == {"张三": 10000}


def test_referral_registered_after_the_first_visit_is_refused(floor):
    f = floor("vanke")
    f.register("3-01 10:00", "张三", "C9")
    e = f.ev("3-02 10:00", "referral_registration", staff="财务部赵六", customer="C9", appointment_date="2026-03-05")
    d = f.about("C9", e)
    assert d.rule_id == "realestate.referral_registered" and d.outcome["valid"] is False


def test_referral_rules_can_be_switched_off(floor):
    f = floor("xize", referral_enabled=False)
    e = _referral(f)
    assert not f.has_about("C9", f"{e}/referral")
    assert f.shares(f.deal("C9", "张三", "3-20 10:00")) == {"张三": 10000}


# --- company customers (万科§6(1)) ------------------------------------------------------------------------------


def test_company_introduction_before_the_first_visit_makes_a_company_customer(floor):
    f = floor("vanke")
    e = f.ev("3-01 10:00", "company_introduction", customer="C7", introducer="董事长")
    assert f.about("C7", e).outcome["company_customer"] is True
    f.roster("3-02 09:00", "张三")
    f.visit("3-02 10:00", "C7")
    f.register("3-02 10:05", "张三", "C7")
    deal = f.deal("C7", "张三", "3-10 10:00", "10000")
    assert deal.rule_id == "realestate.company_followed"
    assert f.shares(deal) == {"张三": 7000, "company_pool": 3000}


def test_company_introduction_after_a_registration_is_not_a_company_customer(floor):
    f = floor("vanke")
    f.register("3-01 10:00", "张三", "C7")
    e = f.ev("3-02 10:00", "company_introduction", customer="C7", introducer="董事长")
    assert f.about("C7", e).outcome["company_customer"] is False
    assert f.shares(f.deal("C7", "张三", "3-10 10:00")) == {"张三": 10000}


def test_company_customers_are_a_vanke_rule_only(floor):
    f = floor("consultant")
    e = f.ev("3-01 10:00", "company_introduction", customer="C7", introducer="董事长")
    f.register("3-02 10:05", "张三", "C7")
    assert not f.has_about("C7", e)
    assert f.shares(f.deal("C7", "张三", "3-10 10:00")) == {"张三": 10000}


# --- old customers introducing new ones ------------------------------------------------------------------------


def _old_customer(f):
    f.register("2-20 10:00", "张三", "OLD")


@pytest.mark.parametrize("preset, clause", [("vanke", "§7.5a"), ("consultant", "五.7A")])
def test_announced_referral_by_phone_goes_to_the_announcing_salesperson(floor, preset, clause):
    f = floor(preset)
    _old_customer(f)
    e = f.ev("3-01 18:00", "referral_notice", staff="张三", customer="NEW", related="OLD")
    assert f.about("NEW", e).outcome["valid"] is True
    f.roster("3-02 09:00", "李四", "王五")  # 张三 is not on the floor
    v = f.visit("3-02 10:00", "NEW")
    rec = f.of(v)
    assert rec.rule_id == "realestate.old_announced"
    assert rec.outcome["receiver"] == "王五"  # last in rotation volunteers
    assert rec.outcome["counted"] is False and rec.outcome["volunteer_for"] == "张三"
    assert clause in f.about("NEW", v).explanation
    e2 = f.register("3-02 10:05", "王五", "NEW")
    assert f.about("NEW", e2).rule_id == "realestate.volunteer_registration"
    assert f.owner("NEW") == "张三"
    # the volunteer still takes the next customer: 李四 is next in rotation, then 王五.
    assert f.of(f.visit("3-02 11:00", "X1")).outcome["receiver"] == "李四"
    assert f.of(f.visit("3-02 11:30", "X2")).outcome["receiver"] == "王五"


def test_notice_by_someone_who_never_served_the_old_customer_is_void(floor):
    f = floor("vanke")
    _old_customer(f)
    e = f.ev("3-01 18:00", "referral_notice", staff="李四", customer="NEW", related="OLD")
    assert f.about("NEW", e).outcome["valid"] is False


def test_xize_has_no_announcement_rule(floor):
    f = floor("xize")
    _old_customer(f)
    e = f.ev("3-01 18:00", "referral_notice", staff="张三", customer="NEW", related="OLD")
    assert not f.has_about("NEW", e)
    f.roster("3-02 09:00", "李四", "王五")
    v = f.visit("3-02 10:00", "NEW")
    assert f.of(v).rule_id == "realestate.rotation" and f.of(v).outcome["receiver"] == "李四"


@pytest.mark.parametrize("preset", ["vanke", "consultant"])
def test_old_customer_bringing_new_one_and_asking_for_the_salesperson(floor, preset):
    f = floor(preset)
    _old_customer(f)
    f.roster("3-02 09:00", "李四", "张三")
    v = f.visit("3-02 10:00", "NEW", related="OLD", designated="张三")
    assert f.of(v).outcome["receiver"] == "张三"
    assert f.about("NEW", v).rule_id == "realestate.old_brought"
    assert f.owner("NEW") == "张三"


def test_old_customer_bringing_new_one_without_asking_vanke_is_a_new_customer(floor):
    f = floor("vanke")
    f.roster("2-20 09:00", "张三")
    f.register("2-20 10:00", "张三", "OLD")
    f.register("3-01 10:00", "张三", "OLD")  # keep the old customer's registration valid
    f.roster("3-02 09:00", "李四", "张三")
    v = f.visit("3-02 10:00", "NEW", related="OLD")
    rec = f.of(v)
    assert rec.outcome["receiver"] == "张三"  # the old customer's salesperson receives the pair
    assert not f.has_about("NEW", v)  # no ownership by referral: 万科§5.4 new customer
    assert f.owner("NEW") is None


def test_xize_new_customer_brought_by_old_one_belongs_to_the_original_receiver(floor):
    f = floor("xize")
    _old_customer(f)
    f.roster("3-02 09:00", "李四", "张三")
    v = f.visit("3-02 10:00", "NEW", related="OLD")
    d = f.about("NEW", v)
    assert d.rule_id == "realestate.old_brought" and "(五)3(10)" in d.explanation
    assert f.owner("NEW") == "张三"


@pytest.mark.parametrize("preset, clause", [("vanke", "§7.5c"), ("consultant", "五.7D")])
def test_unreported_old_customer_referral_goes_to_the_floor(floor, preset, clause):
    f = floor(preset)
    _old_customer(f)
    f.roster("3-02 09:00", "李四", "王五")
    v = f.visit("3-02 10:00", "NEW", unreported_referrer="张三")
    d = f.about("NEW", v)
    assert d.rule_id == "realestate.old_unreported" and clause in d.explanation
    f.register("3-02 10:05", "李四", "NEW")
    assert f.owner("NEW") == "李四"
    late = f.ev("3-02 18:00", "referral_notice", staff="张三", customer="NEW", related="OLD")
    assert f.about("NEW", late).rule_id == "realestate.registration_conflict"


# --- changes, leave, quarrels, disputes ---------------------------------------------------------------------------


@pytest.mark.parametrize("preset", ["vanke", "xize", "consultant"])
def test_rename_after_deal_keeps_the_original_salesperson(floor, preset):
    f = floor(preset)
    f.register("3-02 10:00", "张三", "C1")
    first = f.deal("C1", "张三", "3-10 10:00", "10000", code="D1")
    e = f.ev("3-15 10:00", "change", customer="C1", related="C1B", kind="rename")
    assert f.about("C1", e).rule_id == "realestate.change_keeps"
    assert f.owner("C1B") == "张三"
    later = f.deal("C1B", "李四", "5-20 10:00", "10000", code="D2", original_deal="D1", change="rename")
    assert later.rule_id == "realestate.change_split"
    assert f.shares(later) == f.shares(first) == {"张三": 10000}


def test_unit_change_keeps_the_original_split(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "HUSBAND")
    f.register("3-05 10:00", "李四", "WIFE")
    f.ev("3-08 10:00", "relation", customer="WIFE", related="HUSBAND", relation="spouse")
    f.deal("WIFE", "李四", "3-20 10:00", "10000", code="D1")
    later = f.deal("WIFE", "王五", "6-20 10:00", "12000", code="D2", original_deal="D1", change="unit_change")
    assert f.shares(later) == {"张三": 6000, "李四": 6000}


def test_change_of_an_unknown_deal_is_held_pending(floor):
    f = floor("vanke")
    d = f.deal("C1", "张三", "3-10 10:00", original_deal="NOPE")
    assert d.rule_id == "realestate.escalated_split" and f.shares(d) == {"pending": 10000}


def test_xize_long_leave_reassigns_the_customers(floor):
    f = floor("xize")
    f.register("3-02 10:00", "张三", "C1")
    f.register("3-03 10:00", "张三", "C2")
    e = f.ev("3-10 10:00", "staff_leave", staff="张三", kind="long_leave", reassignments={"C1": "李四", "C2": "王五"})
    d1, d2 = f.about("C1", e), f.about("C2", e)
    assert d1.rule_id == d2.rule_id == "realestate.reassignment"
    assert d1.outcome["reassignment"] is True
    assert "(五)3(12)" in d1.explanation
    assert (f.owner("C1"), f.owner("C2")) == ("李四", "王五")


def test_vanke_transfer_without_a_named_successor_is_escalated(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    e = f.ev("3-10 10:00", "staff_leave", staff="张三", kind="transfer")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.escalate"
    assert d.outcome["escalate_to"] == ["project_manager", "sales_director"]
    assert f.deal("C1", "张三", "3-20 10:00").rule_id == "realestate.escalated_split"


def test_vanke_transfer_with_a_manager_decision_is_recorded_as_ruling(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    e = f.ev("3-10 10:00", "staff_leave", staff="张三", kind="transfer", reassign_to="李四")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.ruling" and d.outcome["reassignment"] is True
    assert f.owner("C1") == "李四"


def test_xize_quarrel_sends_the_commission_to_the_department(floor):
    f = floor("xize")
    f.register("3-02 10:00", "张三", "C1")
    e = f.ev("3-05 10:00", "quarrel", staff="张三", customer="C1", other="李四")
    assert f.about("C1", e).rule_id == "realestate.quarrel_department"
    deal = f.deal("C1", "张三", "3-20 10:00")
    assert deal.rule_id == "realestate.department_split" and f.shares(deal) == {"department": 10000}
    # a deal signed before the quarrel is not affected
    assert f.shares(f.deal("C1", "张三", "3-04 10:00", code="D0")) == {"张三": 10000}


@pytest.mark.parametrize("preset", ["vanke", "consultant"])
def test_quarrel_elsewhere_is_escalated_not_guessed(floor, preset):
    f = floor(preset)
    f.register("3-02 10:00", "张三", "C1")
    e = f.ev("3-05 10:00", "quarrel", staff="张三", customer="C1", other="李四")
    assert f.about("C1", e).rule_id == "realestate.escalate"
    d = f.deal("C1", "张三", "3-20 10:00")
    assert d.rule_id == "realestate.escalated_split" and f.shares(d) == {"pending": 10000}


def test_dispute_is_escalated_and_a_ruling_settles_it(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    e = f.ev("3-05 10:00", "dispute", staff="张三", other="李四", customer="C1", reason="双方均称先接待")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.escalate" and "项目经理" in d.explanation and "销售总监" in d.explanation
    f.ev("3-08 10:00", "ruling", staff="李四", customer="C1", approved_by="销售总监",
         shares=[{"party": "张三", "share": "0.4"}, {"party": "李四", "share": "0.6"}])
    deal = f.deal("C1", "李四", "3-20 10:00", "10000")
    assert deal.rule_id == "realestate.ruling_split"
    assert f.shares(deal) == {"张三": 4000, "李四": 6000}


def test_approval_of_an_unknown_registration_is_rejected(floor):
    f = floor("vanke")
    e = f.ev("3-02 18:00", "approval", ref_event_id="NOPE")
    d = f.of(e)
    assert d.rule_id == "realestate.invalid_event" and "ref_event_id" in d.outcome["errors"]["details"]
