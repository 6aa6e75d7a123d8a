"""Staff conduct incidents -> the sanction the text gives, per rule and per sanction track (zhidu conduct, the assess_conduct hook)."""

from decimal import Decimal

import pytest

from retail_kit import SANCTION, context, history_of, incident, run
from zhidu.core.params import ParameterError
from zhidu.plugins.retail.conduct import resolve
from zhidu.plugins.retail.params import SPEC


def one(record, ctx=None):
    [d] = run("conduct", [record], ctx)
    return d


# --- 篇4第5条: the only sanction the text fixes -----------------------------------------------------

def test_a_first_uniform_offence_is_a_verbal_warning():
    d = one(incident(rule="uniform_not_worn", behaviour="上岗未穿工服", staff_name="张伟"))
    assert d.rule_id == "retail.uniform_not_worn" and str(d.citation) == "销售客户管理制度 篇4第1条、第5条"
    assert d.outcome["status"] == "decided" and d.outcome["sanction"] == "verbal_warning" and d.outcome["sanction_source"] == "text"
    assert d.outcome["repeat_checked"] is False and d.outcome["offence_number"] is None
    assert d.explanation == ("员工张伟(S1)于2026年11月2日09:00“上岗未穿工服”,未统计再犯(企业未设定再犯统计期),以初犯论,"
                             "依销售客户管理制度 篇4第1条、第5条处以口头警告。")


@pytest.mark.parametrize("severity", ["serious"])
def test_a_serious_uniform_offence_is_a_written_warning(severity):
    d = one(incident(rule="篇4第5条", severity=severity))
    assert d.outcome["sanction"] == "written_warning" and d.outcome["sanction_label"] == "书面警告" and "情节严重" in d.explanation


def test_the_uniform_rule_takes_no_company_sanction():
    with pytest.raises(ParameterError, match="the text itself decides rule uniform_not_worn"):
        SPEC.resolve(overrides={"sanctions": {"uniform_not_worn": SANCTION}})


# --- rules that point to another rulebook: the company's sanction, never an invented one ---------------

@pytest.mark.parametrize("rule, track, rulebook, clause", [
    ("leak_store_data", "administrative", "行政管理制度", "篇2第4条"),
    ("private_use_theft", "relevant_rules", "有关规定", "篇2第6条"),
    ("computer_data", "severe", None, "篇2第12条"),
    ("courtesy", "rewards_penalties", "奖惩条例", "篇5第5条、第9条"),
    ("attendance", "rewards_penalties", "奖惩条例", "篇2第2条"),
])
def test_an_unconfigured_rulebook_sanction_is_not_configured_and_names_the_rulebook(rule, track, rulebook, clause):
    d = one(incident(rule=rule))
    assert d.outcome["status"] == "not_configured" and d.outcome["sanction"] is None and d.outcome["fine"] is None
    assert d.outcome["track"] == track and d.outcome["rulebook"] == rulebook and d.citation.clause == clause
    assert d.outcome["needs_configuration"] is True
    assert d.outcome["configure"] == [f"sanctions.{rule}", f"track_sanctions.{track}"]
    assert "企业尚未配置该处罚" in d.explanation and "sanctions" not in d.explanation
    if rulebook:
        assert rulebook in d.explanation
    if track == "severe":
        assert "严厉处罚" in d.explanation


def test_leaking_sales_figures_is_punished_under_the_administrative_rules_once_configured():
    ctx = context(track_sanctions={"administrative": SANCTION})
    d = one(incident(behaviour="向竞争品牌店员透露本店当月销售额"), ctx)
    assert d.outcome["rule"] == "leak_store_data" and d.outcome["matched_by"] == "keyword"
    assert d.outcome["status"] == "decided" and d.outcome["sanction"] == "fine" and d.outcome["fine"] == Decimal("50.00")
    assert d.outcome["sanction_source"] == "track_sanctions.administrative"
    assert "根据行政管理制度予以处罚" in d.explanation and "罚款50.00元(奖惩条例第12条)" in d.explanation


def test_a_rule_sanction_wins_over_the_track_sanction_and_a_severity_entry_over_both():
    demerit = {"code": "demerit", "label": "记过"}
    dismissal = {"code": "dismissal", "label": "辞退"}
    ctx = context(track_sanctions={"relevant_rules": SANCTION},
                  sanctions={"private_use_theft": demerit, "private_use_theft.serious": dismissal})
    assert one(incident(rule="private_use_theft"), ctx).outcome["sanction"] == "demerit"
    assert one(incident(rule="private_use_theft", severity="serious"), ctx).outcome["sanction"] == "dismissal"
    assert one(incident(rule="personal_items"), ctx).outcome["status"] == "not_configured"  # another track: not touched


def test_store_rules_without_a_sanction_of_their_own_go_to_the_rewards_and_penalties_rules_through_pian5():
    d = one(incident(rule="leave_post", behaviour="擅自离岗20分钟"), context(track_sanctions={"rewards_penalties": SANCTION}))
    assert d.outcome["sanction_basis"] == "销售客户管理制度 篇5第2条、第9条" and d.outcome["rulebook"] == "奖惩条例"
    assert "篇2第10条未定处罚,按销售客户管理制度 篇5第2条、第9条应依据奖惩条例予以处罚" in d.explanation
    direct = one(incident(rule="courtesy"))
    assert direct.outcome["sanction_basis"] is None and direct.citation.clause == "篇5第5条、第9条"


def test_customer_service_manners_cite_document_3_and_take_the_sanction_basis_of_document_9():
    d = one(incident(rule="cs_phone", behaviour="接听电话不及时"))
    assert str(d.citation) == "客户管理制度3 客服部门日常行为规范第3条"
    assert d.outcome["category"] == "service_manners" and d.outcome["sanction_basis"] == "客户管理制度9 第1部分第2条、第9条"


@pytest.mark.parametrize("severity", ["general", "serious"])
def test_badge_misuse_is_sanctioned_by_seriousness(severity):
    ctx = context(track_sanctions={"by_seriousness.general": {"code": "written_warning", "label": "书面警告"},
                                   "by_seriousness.serious": {"code": "dismissal", "label": "辞退"}})
    d = one(incident(rule="badge_misuse", severity=severity), ctx)
    assert d.outcome["sanction"] == {"general": "written_warning", "serious": "dismissal"}[severity]
    assert f"本次情节{ {'general': '一般', 'serious': '严重'}[severity] }" in d.explanation
    # Configured for one severity only: the other is not configured, never borrowed.
    half = context(sanctions={"badge_misuse.serious": {"code": "dismissal", "label": "辞退"}})
    assert one(incident(rule="badge_misuse", severity=severity), half).outcome["status"] == ("decided" if severity == "serious" else "not_configured")


def test_a_by_seriousness_sanction_without_a_severity_is_refused():
    with pytest.raises(ParameterError, match="sanctioned by seriousness"):
        SPEC.resolve(overrides={"sanctions": {"badge_misuse": SANCTION}})
    with pytest.raises(ParameterError, match="by_seriousness.general and by_seriousness.serious"):
        SPEC.resolve(overrides={"track_sanctions": {"by_seriousness": SANCTION}})


@pytest.mark.parametrize("overrides, message", [
    ({"sanctions": {"nosuch": SANCTION}}, "no conduct rule 'nosuch'"),
    ({"sanctions": {"attendance.minor": SANCTION}}, "severity after the dot"),
    ({"track_sanctions": {"warning": SANCTION}}, "tracks a company sets are"),
    ({"track_sanctions": {"administrative": {"code": "fine", "label": "罚款", "fine": "50.001"}}}, "to the fen"),
    ({"track_sanctions": {"administrative": {"code": "Fine!", "label": "罚款"}}}, "lowercase code"),
    ({"repeat_ladder": [{"offence": 3, "sanction": SANCTION}, {"offence": 2, "sanction": SANCTION}]}, "strictly increasing"),
    ({"repeat_ladder": [{"offence": 1, "sanction": SANCTION}]}, "greater than or equal to 2"),
])
def test_bad_sanction_parameters_are_refused_with_their_key(overrides, message):
    with pytest.raises(ParameterError, match=message):
        SPEC.resolve(overrides=overrides)


# --- compensation and leave are not sanctions ----------------------------------------------------------

def test_a_uniform_not_returned_is_compensated_not_sanctioned():
    d = one(incident(behaviour="离职未退回工服"))
    assert d.outcome["rule"] == "uniform_return" and d.outcome["status"] == "compensation" and d.outcome["sanction"] is None
    assert "按工服发放记录另行核算" in d.explanation


def test_late_leave_is_not_effective_and_carries_no_sanction():
    d = one(incident(rule="leave_notice"))
    assert d.outcome["status"] == "no_sanction" and d.outcome["sanction"] is None and "不生效" in d.explanation


# --- which rule: key, title, clause, 其他, keywords; never a guess ----------------------------------------

@pytest.mark.parametrize("rule_text, behaviour, expected, how", [
    ("leak_store_data", None, "leak_store_data", "key"),
    ("retail.leak_store_data", None, "leak_store_data", "key"),
    ("严禁私用、盗窃公司货品及其他物品", None, "private_use_theft", "title"),
    ("篇2第12条", None, "computer_data", "clause"),
    ("篇2 12", None, "computer_data", "clause"),
    ("销售客户管理制度篇2第6条", None, "private_use_theft", "clause"),
    ("第4部分第6条", None, "private_use_theft", "clause"),
    ("4.6", None, "private_use_theft", "clause"),
    ("篇4第5条", None, "uniform_not_worn", "clause"),
    ("篇2第3条", "下班拒绝包裹检查", "bag_check", "clause"),
    (None, "下班包裹检查发现未付款T恤", "private_use_theft", "keyword"),
    ("其他", "私自调换门店陈列", "obey_rules", "other"),
    (None, "迟到15分钟", "attendance", "keyword"),
    (None, "营业中在收银台吃零食", "hygiene_food", "keyword"),
    (None, "穿拖鞋上岗", "footwear", "keyword"),
    (None, "擅自删除系统里的会员数据", "computer_data", "keyword"),
])
def test_the_rule_is_found_from_key_title_clause_or_keywords(rule_text, behaviour, expected, how):
    assert resolve(rule_text, behaviour) == (expected, (), how)


def test_a_clause_holding_two_rules_without_a_telling_behaviour_is_ambiguous():
    key, candidates, how = resolve("篇2第3条", "下班时的事")
    assert key is None and how == "ambiguous" and set(candidates) == {"personal_items", "bag_check"}
    d = one(incident(rule="篇2第3条"))
    assert d.rule_id == "retail.conduct_unmatched" and d.outcome["status"] == "unmatched" and d.outcome["sanction"] is None
    assert "篇2第3条" in d.explanation and "暂不处罚" in d.explanation


def test_a_behaviour_matching_two_rules_is_not_guessed():
    d = one(incident(behaviour="在卖场大声喧哗并吃零食"))
    assert d.outcome["status"] == "unmatched" and d.outcome["candidates"] == ["hygiene_food", "floor_behaviour"]
    assert "可能涉及篇2第5条、篇2第8条" in d.explanation


@pytest.mark.parametrize("rule_text, behaviour, how", [(None, "与顾客聊天", "none"), ("篇9第1条", None, "unknown_rule"),
                                                       ("乱写的条款", None, "unknown_rule"), (None, None, "none")])
def test_nothing_fires_for_a_behaviour_or_rule_the_text_does_not_have(rule_text, behaviour, how):
    d = one(incident(rule=rule_text, behaviour=behaviour), context(track_sanctions={"rewards_penalties": SANCTION}))
    assert d.rule_id == "retail.conduct_unmatched" and d.outcome["matched_by"] == how
    assert d.outcome["sanction"] is None and d.outcome["fine"] is None and d.outcome["needs_configuration"] is False


def test_the_doc9_preset_cites_document_9_with_the_same_sanctions():
    ctx = context(preset="doc9")
    d = one(incident(rule="uniform_not_worn"), ctx)
    assert str(d.citation) == "客户管理制度9 第3部分第1条、第5条" and d.outcome["sanction"] == "verbal_warning"
    basis = one(incident(rule="hair"), ctx)
    assert basis.citation.clause == "第2部分第1条" and basis.outcome["sanction_basis"] == "客户管理制度9 第1部分第2条、第9条"
    assert one(incident(rule="第3部分第5条"), ctx).outcome["rule"] == "uniform_not_worn"


# --- repeat offences: parameters, off by default, earlier incidents from the history ------------------------

EARLIER = [incident("E1", "S1", "2026-10-05 09:00", rule="uniform_not_worn"),
           incident("E2", "S1", "2026-11-01 09:00", rule="badge_not_worn"),
           incident("E3", "S2", "2026-11-01 09:00", rule="uniform_not_worn"),
           incident("E4", "S1", "2026-08-01 09:00", rule="uniform_not_worn"),
           incident("E5", "S1", "2026-11-01 10:00", behaviour="与顾客聊天"),
           incident("E6", "S1", "2026-11-01 11:00", rule="uniform_return"),
           incident("E7", "S1", "2026-11-03 09:00", rule="uniform_not_worn")]
NOW = incident("N1", "S1", "2026-11-02 09:00", rule="uniform_not_worn")


def test_repeat_offences_are_off_by_default_even_with_earlier_incidents_at_hand():
    d = one(NOW, context(history=history_of(*EARLIER)))
    assert d.outcome["repeat_checked"] is False and d.outcome["sanction"] == "verbal_warning"


@pytest.mark.parametrize("scope, earlier", [
    # E1 is 28 days before: counts with 30 days; E4 (93 days) does not; E3 is another person; E5 matched no rule;
    # E6 is compensation; E7 is later; E2 is another rule (counts for the category and for any).
    ("same_rule", ["E1"]),
    ("same_category", ["E1", "E2"]),
    ("any", ["E1", "E2"]),
])
def test_earlier_offences_counted_from_the_history_within_the_period_and_scope(scope, earlier):
    ctx = context(history=history_of(*EARLIER), repeat_period_days=30, repeat_scope=scope)
    d = one(NOW, ctx)
    assert d.outcome["earlier_incidents"] == earlier and d.outcome["offence_number"] == len(earlier) + 1
    # The text gives no sanction for a repeat uniform offence: not configured until a ladder is set.
    assert d.outcome["status"] == "not_configured" and d.outcome["configure"] == ["repeat_ladder"] and "再犯处罚阶梯" in d.explanation
    assert d.inputs["earlier_incidents"] == earlier


def test_the_period_bound_is_inclusive():
    ctx = context(history=history_of(EARLIER[0]), repeat_period_days=28)
    assert one(NOW, ctx).outcome["offence_number"] == 2
    ctx = context(history=history_of(EARLIER[0]), repeat_period_days=27)
    assert one(NOW, ctx).outcome["offence_number"] == 1


def test_a_first_offence_with_counting_on_says_so():
    d = one(NOW, context(repeat_period_days=30))
    assert d.outcome["offence_number"] == 1 and d.outcome["sanction"] == "verbal_warning" and "属初犯" in d.explanation


def test_the_ladder_gives_the_repeat_sanction_and_a_serious_offence_stays_a_written_warning():
    ladder = [{"offence": 2, "sanction": {"code": "written_warning", "label": "书面警告"}},
              {"offence": 3, "sanction": {"code": "fine", "label": "罚款", "fine": "100"}}]
    ctx = context(history=history_of(*EARLIER), repeat_period_days=120, repeat_ladder=ladder)
    second = one(NOW, ctx)  # E4 (93 days) and E1 count now: third offence
    assert second.outcome["offence_number"] == 3 and second.outcome["sanction"] == "fine" and second.outcome["fine"] == Decimal("100")
    assert second.outcome["sanction_source"] == "repeat_ladder" and "第3次" in second.explanation
    serious = one(incident("N2", "S1", "2026-11-02 09:00", rule="uniform_not_worn", severity="serious"), ctx)
    assert serious.outcome["sanction"] == "written_warning" and serious.outcome["sanction_source"] == "text"


def test_the_ladder_replaces_a_rulebook_sanction_for_repeat_offences_and_keeps_the_base():
    ladder = [{"offence": 2, "sanction": {"code": "demerit", "label": "记过"}}]
    ctx = context(history=history_of(incident("E1", "S1", "2026-10-20 09:00", rule="attendance")), repeat_period_days=30,
                  repeat_ladder=ladder, track_sanctions={"rewards_penalties": SANCTION})
    d = one(incident("N1", "S1", "2026-11-02 09:00", behaviour="迟到"), ctx)
    assert d.outcome["sanction"] == "demerit" and d.outcome["base_sanction"] == "fine"
    first = one(incident("N0", "S9", "2026-11-02 09:00", behaviour="迟到"), ctx)
    assert first.outcome["sanction"] == "fine" and "base_sanction" not in first.outcome


def test_incidents_of_the_same_chunk_count_for_each_other_in_time_order_whatever_their_order_in_the_file():
    ctx = context(repeat_period_days=30)
    later = incident("B", "S1", "2026-11-10 09:00", rule="uniform_not_worn")
    earlier = incident("A", "S1", "2026-11-01 09:00", rule="uniform_not_worn")
    decisions = {d.subject_id: d.outcome["offence_number"] for d in run("conduct", [later, earlier], ctx)}
    assert decisions == {"A": 1, "B": 2}


class CountingHistory:
    """A history that counts its record lookups (one per person and run, however many chunks)."""

    def __init__(self, inner):
        self.inner, self.asked = inner, []

    def records(self, kind, subjects):
        subjects = list(subjects)
        self.asked.extend(subjects)
        return self.inner.records(kind, subjects)

    def decisions(self, *args, **kwargs):
        return self.inner.decisions(*args, **kwargs)

    def latest(self, *args, **kwargs):
        return self.inner.latest(*args, **kwargs)


def test_chunks_of_one_run_share_the_persons_incidents_and_the_history_is_read_once_per_person():
    history = CountingHistory(history_of(EARLIER[0]))
    ctx = context(history=history, repeat_period_days=60)
    first = run("conduct", [incident("A", "S1", "2026-11-02 09:00", rule="uniform_not_worn")], ctx)
    second = run("conduct", [incident("B", "S1", "2026-11-05 09:00", rule="uniform_not_worn")], ctx)
    assert first[0].outcome["earlier_incidents"] == ["E1"] and second[0].outcome["earlier_incidents"] == ["E1", "A"]
    assert history.asked == ["S1"]


def test_a_file_out_of_time_order_across_chunks_is_reported_once():
    from zhidu.plugins.retail.conduct import RepeatOrderWarning

    ctx = context(repeat_period_days=60)
    run("conduct", [incident("B", "S1", "2026-11-05 09:00", rule="uniform_not_worn")], ctx)
    with pytest.warns(RepeatOrderWarning, match="incident\\(s\\) A came after later incidents"):
        [late] = run("conduct", [incident("A", "S1", "2026-11-02 09:00", rule="uniform_not_worn")], ctx)
    assert late.outcome["offence_number"] == 1  # A itself is right; B's decision missed A
