"""Issue 12 (realestate): same-day recognition without the new registration, 细则(五)3(7) after the
visit, the seeded draw of 细则(五)3(12), escalation targets per document, leader-designated company
customers, and the facts the inputs could not express (work-contact referrals, two old customers,
discount designations, old customers who neither came nor called)."""

from decimal import Decimal

import pytest

from realestate_floor import floor  # noqa: F401  (the fixture)


def _forgot_today(f, register_new: bool = False) -> str:
    """张三 registered C1 on 3月2日; on 3月20日 C1 says they came but forgot who served them."""
    f.register("3-02 10:00", "张三", "C1")
    f.roster("3-20 09:00", "李四", "张三")
    v = f.visit("3-20 10:00", "C1", visited_before=True)
    if register_new:
        f.register("3-20 10:10", "李四", "C1")
    return v


# --- same-day recognition (万科§3.7g, 置业顾问 二.6A, 细则(五)3(1)) -------------------------------------


@pytest.mark.parametrize("preset, clause", [("vanke", "§3.7g"), ("consultant", "二.6A"), ("xize", "(五)3(1)")])
def test_same_day_recognition_hands_back_before_the_new_salesperson_registers(floor, preset, clause):
    f = floor(preset)
    _forgot_today(f)
    e = f.ev("3-20 10:30", "recognition", staff="张三", customer="C1")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.recognized_same_day" and clause in d.explanation
    assert d.outcome["owner"] == "张三" and d.outcome["new_salesperson"] == "李四"
    assert "由李四按新客户接待" in d.explanation and "仍由张三接待" in d.explanation
    # a registration by 李四 later that day does not take the customer either
    later = f.register("3-20 11:00", "李四", "C1")
    assert f.about("C1", later).rule_id == "realestate.recognized_same_day"
    assert f.shares(f.deal("C1", "李四", "3-25 10:00")) == {"张三": 10000}


def test_recognition_by_someone_who_is_not_the_registrant_hands_nothing_back(floor):
    f = floor("vanke")
    _forgot_today(f)
    e = f.ev("3-20 10:30", "recognition", staff="王五", customer="C1")
    assert not f.has_about("C1", e)
    assert f.owner("C1") == "张三"


def test_recognition_of_a_customer_who_did_not_forget_hands_nothing_back(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    f.roster("3-20 09:00", "李四", "张三")
    f.visit("3-20 10:00", "C1", visited_before=True, named_staff=["张三"])
    e = f.ev("3-20 10:30", "recognition", staff="张三", customer="C1")
    assert not f.has_about("C1", e)


def test_recognition_on_a_later_day_without_the_new_registration_shares_the_commission(floor):
    # 万科§3.7i: recognised within a month after the visit: the new salesperson follows up, 50/50.
    f = floor("vanke")
    _forgot_today(f)
    e = f.ev("3-25 10:00", "recognition", staff="张三", customer="C1")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.recognized_within" and d.outcome["owner"] == "李四"
    assert f.shares(f.deal("C1", "李四", "3-28 10:00")) == {"张三": 5000, "李四": 5000}


# --- 细则(五)3(7): found in the potential-customer file after the customer left --------------------------


def test_xize_archive_lookup_after_the_visit_splits_fifty_fifty_under_5_3_7(floor):
    f = floor("xize")
    _forgot_today(f, register_new=True)
    e = f.ev("3-20 17:00", "recognition", staff="张三", customer="C1", method="archive")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.recognized_within" and "(五)3(7)" in d.explanation and "(五)3(1)" not in d.explanation
    assert "客户走后李四" in d.explanation and "潜在客户档案" in d.explanation
    assert d.outcome["method"] == "archive" and d.outcome["owner"] == "李四"
    deal = f.deal("C1", "李四", "3-28 10:00")
    assert deal.rule_id == "realestate.recognized_split" and "(五)3(7)" in deal.explanation
    assert f.shares(deal) == {"张三": 5000, "李四": 5000}


def test_xize_archive_lookup_without_the_new_registration_still_splits(floor):
    f = floor("xize")
    _forgot_today(f)
    e = f.ev("3-20 17:00", "recognition", staff="张三", customer="C1", method="查潜在客户档案")
    assert f.about("C1", e).rule_id == "realestate.recognized_within"
    assert f.shares(f.deal("C1", "李四", "3-28 10:00")) == {"张三": 5000, "李四": 5000}


def test_xize_archive_lookup_after_bs_archive_lapsed_leaves_b_out(floor):
    f = floor("xize")
    f.register("1-05 10:00", "张三", "C1")
    f.roster("3-20 09:00", "李四", "张三")
    f.visit("3-20 10:00", "C1", visited_before=True)
    f.register("3-20 10:10", "李四", "C1")  # 张三's archive ran through 3月5日: 李四 simply owns C1
    e = f.ev("3-20 17:00", "recognition", staff="张三", customer="C1", method="archive")
    assert not f.has_about("C1", e)
    assert f.shares(f.deal("C1", "李四", "3-28 10:00")) == {"李四": 10000}


def test_xize_on_site_same_day_recognition_is_still_5_3_1(floor):
    f = floor("xize")
    _forgot_today(f, register_new=True)
    e = f.ev("3-20 10:30", "recognition", staff="张三", customer="C1")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.recognized_same_day" and "(五)3(1)" in d.explanation


# --- 细则(五)3(12): long leave / transfer, a seeded draw -----------------------------------------------------


def _leave_floor(f, **details):
    f.roster("3-02 09:00", "张三", "李四", "王五", "赵六")
    for n in range(1, 7):
        f.register(f"3-02 1{n % 10}:00", "张三", f"C{n}")
    return f.ev("3-10 10:00", "staff_leave", staff="张三", kind="long_leave", **details)


def test_xize_leave_draws_each_customer_among_the_others_reproducibly(floor):
    f = floor("xize")
    e = _leave_floor(f, draw_seed="2026-03")
    draws = [f.about(f"C{n}", e) for n in range(1, 7)]
    assert {d.rule_id for d in draws} == {"realestate.reassignment"}
    assert all(d.outcome["draw"] == {"seed": "2026-03", "among": ["李四", "王五", "赵六"]} for d in draws)
    assert all(d.inputs["draw_seed"] == "2026-03" for d in draws)
    owners = [d.outcome["owner"] for d in draws]
    assert set(owners) <= {"李四", "王五", "赵六"} and "张三" not in owners
    assert "随机抽数" in draws[0].explanation and "(五)3(12)" in draws[0].explanation
    again = floor("xize")
    e2 = _leave_floor(again, draw_seed="2026-03")
    assert [again.about(f"C{n}", e2).outcome["owner"] for n in range(1, 7)] == owners
    assert [f.owner(f"C{n}") for n in range(1, 7)] == owners


def test_xize_leave_seed_falls_back_to_the_parameter_then_the_event_id(floor):
    f = floor("xize", reassignment_seed="公司种子")
    e = _leave_floor(f)
    assert f.about("C1", e).outcome["draw"]["seed"] == "公司种子"
    g = floor("xize")
    e = _leave_floor(g)
    assert g.about("C1", e).outcome["draw"]["seed"] == e


def test_xize_leave_with_the_managers_own_assignment_draws_nothing(floor):
    f = floor("xize")
    e = _leave_floor(f, reassign_to="王五")
    d = f.about("C1", e)
    assert d.outcome["owner"] == "王五" and "draw" not in d.outcome and "随机" not in d.explanation


def test_xize_leave_with_nobody_to_draw_among_is_escalated_to_the_department_manager(floor):
    f = floor("xize")
    f.roster("3-02 09:00", "张三")
    f.register("3-02 10:00", "张三", "C1")
    e = f.ev("3-10 10:00", "staff_leave", staff="张三", kind="transfer")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.escalate" and d.outcome["escalate_to"] == ["department_manager"]
    assert "由部门经理进行界定" in d.explanation and "销售总监" not in d.explanation


@pytest.mark.parametrize("preset, clause", [("vanke", "§7.7"), ("consultant", "五.7F")])
def test_leave_outside_xize_is_escalated_to_the_project_manager_and_sales_director(floor, preset, clause):
    f = floor(preset)
    f.roster("3-02 09:00", "张三", "李四")
    f.register("3-02 10:00", "张三", "C1")
    e = f.ev("3-10 10:00", "staff_leave", staff="张三", kind="transfer")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.escalate" and d.outcome["escalate_to"] == ["project_manager", "sales_director"]
    assert "由项目经理" in d.explanation and "报销售总监审批" in d.explanation and clause in d.explanation


# --- 万科§6(1)2 vs §6(1)3: a leader-designated company customer --------------------------------------------


def test_leader_designated_company_customer_is_all_pool_whatever_the_deal_says(floor):
    f = floor("vanke")
    f.ev("3-01 10:00", "company_introduction", customer="C1", introducer="董事长", leader_designated="张三")
    f.roster("3-02 09:00", "李四", "张三")
    f.visit("3-02 10:00", "C1")
    f.register("3-02 10:05", "张三", "C1")
    deal = f.deal("C1", "张三", "3-20 10:00", company_mode="followed")
    assert deal.rule_id == "realestate.company_designated" and "§6(1)2" in deal.explanation
    assert f.shares(deal) == {"company_pool": 10000}
    assert "公司公共池" in deal.explanation and "company_pool" not in deal.explanation


def test_company_customer_without_a_designation_follows_the_deal_mode(floor):
    f = floor("vanke")
    f.ev("3-01 10:00", "company_introduction", customer="C1", introducer="董事长")
    f.register("3-02 10:05", "张三", "C1")
    deal = f.deal("C1", "张三", "3-20 10:00", company_mode="followed")
    assert deal.rule_id == "realestate.company_followed"
    assert f.shares(deal) == {"张三": 7000, "company_pool": 3000}
    assert "公司公共池(公佣) 3000.00元" in deal.explanation and "company_pool" not in deal.explanation


# --- 员工介绍办法 第1条: private relation vs work contact --------------------------------------------------------


@pytest.mark.parametrize("preset", ["vanke", "xize", "consultant"])
def test_work_contact_is_not_an_employee_referral(floor, preset):
    f = floor(preset)
    e = f.ev("3-18 17:00", "referral_registration", staff="财务部刘七", customer="C6", appointment_date="2026-03-20", relation="work")
    d = f.about("C6", e)
    assert d.rule_id == "realestate.referral_work_contact" and "房地产公司员工介绍客户管理办法 第1条" in d.explanation
    assert d.outcome["valid"] is False and "工作中接触" in d.explanation
    f.roster("3-20 09:00", "赵六")
    f.visit("3-20 10:30", "C6")
    f.ev("3-20 10:32", "referral_confirmation", staff="财务部刘七", customer="C6", confirmed_by="项目经理")
    f.register("3-20 10:35", "赵六", "C6")
    assert f.shares(f.deal("C6", "赵六", "3-26 11:00")) == {"赵六": 10000}


def test_private_relation_referral_is_taken(floor):
    f = floor("vanke")
    f.ev("3-18 17:00", "referral_registration", staff="财务部刘七", customer="C6", appointment_date="2026-03-20", relation="私人关系")
    f.roster("3-20 09:00", "赵六")
    f.visit("3-20 10:30", "C6")
    f.ev("3-20 10:32", "referral_confirmation", staff="财务部刘七", customer="C6", confirmed_by="项目经理")
    f.register("3-20 10:35", "赵六", "C6")
    assert f.shares(f.deal("C6", "赵六", "3-26 11:00")) == {"财务部刘七": 3000, "赵六": 7000}


# --- two old customers bringing one new customer together ----------------------------------------------


def _two_old(f, second_owner: str) -> str:
    f.register("2-20 10:00", "张三", "OLD1")
    f.register("2-21 10:00", second_owner, "OLD2")
    f.roster("3-02 09:00", "李四", "张三", "王五")
    return f.visit("3-02 10:00", "NEW", related="OLD1", also_brought_by="OLD2")


@pytest.mark.parametrize("preset, clause, targets", [
    ("vanke", "§7.7", ["project_manager", "sales_director"]),
    ("consultant", "五.7F", ["project_manager", "sales_director"]),
    ("xize", "(五)4", ["department_manager"]),
])
def test_two_old_customers_of_different_salespeople_send_the_new_one_up(floor, preset, clause, targets):
    f = floor(preset)
    v = _two_old(f, "王五")
    d = f.about("NEW", v)
    assert d.rule_id == "realestate.escalate" and clause in d.explanation and d.outcome["escalate_to"] == targets
    assert "OLD1(张三的客户)" in d.explanation and "OLD2(王五的客户)" in d.explanation
    receiver = f.of(v).outcome["receiver"]
    f.register("3-02 10:05", receiver, "NEW")
    deal = f.deal("NEW", receiver, "3-10 10:00")
    assert deal.rule_id == "realestate.escalated_split" and f.shares(deal) == {"pending": 10000}
    assert "暂挂" in deal.explanation and "pending" not in deal.explanation
    assert ("已报部门经理" if preset == "xize" else "已报项目经理、销售总监") in deal.explanation


def test_two_old_customers_of_one_salesperson_need_no_ruling(floor):
    f = floor("vanke")
    v = _two_old(f, "张三")
    assert not f.has_about("NEW", v) or f.about("NEW", v).rule_id != "realestate.escalate"
    assert "realestate.escalate" not in f.rules()


# --- 细则(五)3(6): a designation made to fish for a discount ---------------------------------------------------


def test_xize_designation_for_a_discount_leaves_everything_to_the_first_receiver(floor):
    f = floor("xize")
    f.roster("3-02 09:00", "李四", "王五")
    f.visit("3-02 10:00", "C1")
    f.register("3-02 10:05", "李四", "C1")
    e = f.ev("3-02 10:40", "designation", staff="王五", customer="C1", other="李四", for_discount=True)
    d = f.about("C1", e)
    assert d.rule_id == "realestate.discount_designation" and "(五)3(6)" in d.explanation
    assert "为争取销售折头而找王五" in d.explanation
    deal = f.deal("C1", "王五", "3-10 10:00")
    assert deal.rule_id == "realestate.discount_designation" and f.shares(deal) == {"李四": 10000}


def test_xize_returning_customer_fishing_for_a_discount_stays_the_owners(floor):
    f = floor("xize")
    f.register("3-02 10:05", "李四", "C1")
    e = f.ev("3-09 10:40", "designation", staff="王五", customer="C1", other="赵六", for_discount=True)
    assert f.about("C1", e).outcome["owner"] == "李四"
    assert f.shares(f.deal("C1", "王五", "3-10 10:00")) == {"李四": 10000}


def test_xize_designation_not_for_a_discount_is_the_nth_visit_split(floor):
    f = floor("xize")
    f.register("3-02 10:05", "李四", "C1")
    e = f.ev("3-09 10:40", "designation", staff="王五", customer="C1", other="李四")
    assert f.about("C1", e).rule_id == "realestate.returning_designation"
    assert f.shares(f.deal("C1", "王五", "3-10 10:00")) == {"王五": 5000, "李四": 5000}


def test_vanke_has_no_discount_clause_so_the_designation_rules_apply(floor):
    f = floor("vanke")
    f.roster("3-02 09:00", "李四", "王五")
    f.visit("3-02 10:00", "C1")
    f.register("3-02 10:05", "李四", "C1")
    e = f.ev("3-02 10:40", "designation", staff="王五", customer="C1", other="李四", for_discount=True, manager_approved=True)
    assert f.about("C1", e).rule_id == "realestate.designation_split"
    assert "realestate.discount_designation" not in f.rules()


# --- 万科§7.5c / 置业顾问 五.7C: an old customer who neither came nor called ------------------------------------


@pytest.mark.parametrize("preset, clause", [("vanke", "§7.5c"), ("consultant", "五.7C")])
def test_new_customer_sent_by_an_old_one_who_neither_came_nor_called_is_the_receivers(floor, preset, clause):
    f = floor(preset)
    f.register("2-20 10:00", "张三", "OLD1")
    f.roster("3-02 09:00", "李四", "张三")
    v = f.visit("3-02 10:00", "NEW", referred_by="OLD1")
    d = f.of(v)
    assert d.rule_id == "realestate.old_not_announced" and clause in d.explanation
    assert d.outcome["receiver"] == "李四" and "新客户归李四" in d.explanation and "找" not in d.explanation
    f.register("3-02 10:05", "李四", "NEW")
    assert f.shares(f.deal("NEW", "李四", "3-10 10:00")) == {"李四": 10000}


def test_an_announced_new_customer_is_not_the_receivers(floor):
    f = floor("vanke")
    f.register("2-20 10:00", "张三", "OLD1")
    f.ev("3-01 18:00", "referral_notice", staff="张三", customer="NEW", related="OLD1")
    f.roster("3-02 09:00", "李四", "张三")
    v = f.visit("3-02 10:00", "NEW", referred_by="OLD1")
    assert f.of(v).rule_id == "realestate.old_announced"
    assert "realestate.old_not_announced" not in f.rules()


def test_xize_has_no_announcement_clause_so_the_rotation_applies(floor):
    f = floor("xize")
    f.roster("3-02 09:00", "李四", "张三")
    v = f.visit("3-02 10:00", "NEW", referred_by="OLD1")
    assert f.of(v).rule_id == "realestate.rotation"


def test_xize_old_customer_bringing_a_new_one_does_not_say_anyone_was_asked_for(floor):
    f = floor("xize")
    f.register("2-20 10:00", "张三", "OLD1")
    f.roster("3-02 09:00", "李四", "张三")
    v = f.visit("3-02 10:00", "NEW", related="OLD1")
    d = f.about("NEW", v)
    assert d.rule_id == "realestate.old_brought" and "找张三" not in d.explanation
    assert "张三为老客户的原接待者" in d.explanation


# --- commission cites the floor decisions it relied on ---------------------------------------------------


def test_commission_references_the_floor_decisions_of_the_standing(floor):
    f = floor("vanke")
    _forgot_today(f, register_new=True)
    rec = f.ev("3-25 10:00", "recognition", staff="张三", customer="C1")
    deal = f.deal("C1", "李四", "3-28 10:00")
    relied = deal.outcome["relied_on"]
    # 张三's original registration, 李四 taking over the forgetful customer, the recognition
    assert [r["subject_id"] for r in relied] == ["C1@E001", "C1@E004", f"C1@{rec}"]
    assert [r["rule"] for r in relied] == ["realestate.first_registration", "realestate.forgotten_new", "realestate.recognized_within"]
    assert all(r["decision_id"] is None for r in relied)  # nothing logged in a direct hook call
    assert f"依据案场决策C1@E001、C1@E004、C1@{rec}" in deal.explanation


def test_commission_of_a_customer_never_decided_on_the_floor_relies_on_nothing(floor):
    f = floor("vanke")
    deal = f.deal("C9", "李四", "3-28 10:00")
    assert deal.outcome["relied_on"] == [] and "依据案场决策" not in deal.explanation
    assert f.shares(deal) == {"李四": Decimal("10000")}


def test_expiry_after_a_follow_up_does_not_call_the_follow_up_a_registration(floor):
    f = floor("consultant")
    f.register("4-01 10:00", "张三", "C1")
    f.ev("4-25 15:00", "followup", staff="张三", customer="C1")
    e = f.register("5-26 10:00", "李四", "C1")
    d = f.about("C1", e)
    assert d.rule_id == "realestate.registration_expired"
    assert "原由张三于4月1日登记、最后一次于4月25日回访或再次登记" in d.explanation and "5月25日届满" in d.explanation


def test_a_ruling_giving_the_pool_a_share_names_it_in_chinese(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "张三", "C1")
    f.ev("3-05 10:00", "dispute", staff="张三", customer="C1", other="李四")
    e = f.ev("3-08 10:00", "ruling", staff="张三", customer="C1", approved_by="销售总监",
             shares=[{"party": "张三", "share": "0.5"}, {"party": "company_pool", "share": "0.5"}])
    d = f.about("C1", e)
    assert "公司公共池(公佣)50%" in d.explanation and "company_pool" not in d.explanation
    deal = f.deal("C1", "张三", "3-20 10:00")
    assert f.shares(deal) == {"张三": 5000, "company_pool": 5000} and "company_pool" not in deal.explanation


def test_an_invalid_event_names_its_type_in_chinese(floor):
    f = floor("vanke")
    e = f.ev("3-02 10:00", "registration", customer="C1")  # no salesperson
    d = f.of(e)
    assert d.rule_id == "realestate.invalid_event" and "(来访登记)" in d.explanation


def test_recognition_too_late_without_the_new_registration_leaves_the_registrant(floor):
    # 张三's registration (three months here) still holds on 4月25日; 李四 received the forgetful
    # customer on 3月20日 but never registered them, and the recognition comes after 万科's month
    # after the visit: 李四 has nothing to keep, nothing moves.
    f = floor("vanke", window_months=3)
    _forgot_today(f)
    e = f.ev("4-25 10:00", "recognition", staff="张三", customer="C1")
    assert not f.has_about("C1", e)
    assert f.owner("C1") == "张三"


def test_spouses_sharing_a_customer_date_the_owner_from_the_first_registration(floor):
    f = floor("vanke")
    f.register("3-02 10:00", "王五", "C2")
    f.register("3-20 11:05", "张三", "C7")
    f.ev("3-20 11:30", "relation", customer="C7", related="C2", relation="spouse")
    rp = f.replay()
    st = rp.customers["C7"].standing
    assert (st.owner, st.co_owner, st.owner_since.day) == ("王五", "张三", 2)
