"""第九条 / 第十条(一): polyolefin star levels from one month's tonnage, one step at a time."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhidu.plugins.petrochem.records import ChemCustomer as Customer
from zhidu.plugins.petrochem import tiers
from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.vocabulary import LEVELS

P = SPEC.resolve()
BOUNDS = tiers.lower_bounds(P)


def plan(volume, level=None, **kw):
    kw.setdefault("segment", "distributor")
    kw.setdefault("sales_form", "plan")
    return Customer("C1", "华北塑料", level=level, month="2026-07", monthly_volume=None if volume is None else Decimal(volume), **kw)


@pytest.mark.parametrize(
    "volume, level",
    [
        ("0", "ordinary"),
        ("999.999", "ordinary"),  # 小于1000吨: 普通
        ("1000", "star1"),  # 大于等于1000吨: 一星 (lower bound inclusive)
        ("1999.999", "star1"),
        ("2000", "star2"),  # 大于等于2000吨: 二星
        ("2999.999", "star2"),
        ("3000", "star3"),  # 3000吨以上 includes 3000 (以上含本数)
        ("250000", "star3"),
    ],
)
def test_exact_band_edges(volume, level):
    assert tiers.volume_level(Decimal(volume), BOUNDS) == level
    decision = tiers.classify(plan(volume), P, BOUNDS)
    assert decision.rule_id == "petrochem.polyolefin_tier"
    assert decision.outcome["level"] == level
    assert decision.outcome["change"] == "initial"


def test_rises_one_level_per_review_not_three():
    d = tiers.classify(plan("3000", level="普通"), P)
    assert d.outcome["earned_level"] == "star3"
    assert d.outcome["level"] == "star1"
    assert d.outcome["change"] == "up" and d.outcome["changed"] is True
    assert "3000吨" in d.explanation and "只升一级至一星客户" in d.explanation and "华北塑料" in d.explanation


def test_falls_one_level_per_review():
    d = tiers.classify(plan("10", level="三星客户"), P)
    assert d.outcome["level"] == "star2"
    assert d.outcome["change"] == "down"
    assert "只降一级至二星客户" in d.explanation


def test_unrecognised_current_level_is_said_and_treated_as_none():
    d = tiers.classify(plan("2500", level="VIP"), P)
    assert d.outcome["level"] == "star2" and d.outcome["previous_level"] is None
    assert "“VIP”无法识别" in d.explanation


def test_adjacent_move_is_not_limited():
    d = tiers.classify(plan("2000", level="star1"), P)
    assert d.outcome["level"] == "star2" and "调整为二星客户" in d.explanation


def test_same_level_is_kept():
    d = tiers.classify(plan("1500", level="一星"), P)
    assert d.outcome["level"] == "star1"
    assert d.outcome["changed"] is False and d.outcome["change"] == "same"


def test_step_limit_zero_means_no_limit():
    p = SPEC.resolve(overrides={"max_level_step": 0})
    assert tiers.classify(plan("3000", level="普通"), p).outcome["level"] == "star3"


def test_step_limit_two():
    p = SPEC.resolve(overrides={"max_level_step": 2})
    assert tiers.classify(plan("3000", level="普通"), p).outcome["level"] == "star2"


def test_auction_customer_turning_plan_climbs_from_the_lowest_rung():
    d = tiers.classify(plan("5000", level="网拍"), P)
    assert d.outcome["level"] == "ordinary"


def test_auction_sales_form_is_auction_whatever_the_tonnage():
    d = tiers.classify(plan("5000", level="一星", sales_form="auction"), P)
    assert d.rule_id == "petrochem.auction_customer"
    assert d.outcome["level"] == "auction" and d.outcome["previous_level"] == "star1"


def test_new_customer_without_form_or_volume_is_auction():
    d = tiers.classify(plan(None, sales_form=None), P)
    assert d.rule_id == "petrochem.auction_customer"


def test_direct_customer_is_plan_ordinary_whatever_the_tonnage():
    d = tiers.classify(plan("5000", level="三星", segment="direct"), P)
    assert d.rule_id == "petrochem.direct_as_plan_ordinary"
    assert d.outcome["level"] == "ordinary"
    assert "直销客户" in d.explanation


def test_plan_customer_without_volume_keeps_its_level():
    d = tiers.classify(plan(None, level="二星"), P)
    assert d.rule_id == "petrochem.tier_without_volume"
    assert d.outcome["level"] == "star2" and d.outcome["rated"] is False


def test_completion_rate_holds_back_a_rise_when_configured():
    p = SPEC.resolve(overrides={"upgrade_min_completion_rate": "0.9"})
    held = tiers.classify(plan("2500", level="一星", pickup_completion_rate=Decimal("0.89")), p)
    assert held.outcome["level"] == "star1" and held.outcome["held_back"] is True
    assert "89%" in held.explanation and "90%" in held.explanation


@pytest.mark.parametrize(
    "rate, level, volume, expected",
    [
        ("0.9", "一星", "2500", "star2"),  # exactly at the floor: not held
        (None, "一星", "2500", "star2"),  # unknown rate: not held
        ("0.5", "二星", "10", "star1"),  # a fall is never held back
    ],
)
def test_completion_rate_hold_must_not_fire(rate, level, volume, expected):
    p = SPEC.resolve(overrides={"upgrade_min_completion_rate": "0.9"})
    d = tiers.classify(plan(volume, level=level, pickup_completion_rate=None if rate is None else Decimal(rate)), p)
    assert d.outcome["level"] == expected and d.outcome["held_back"] is False


def test_completion_rate_is_ignored_by_default():
    d = tiers.classify(plan("2500", level="一星", pickup_completion_rate=Decimal("0.1")), P)
    assert d.outcome["level"] == "star2"


def test_other_products_are_classed_by_sales_object():
    for segment, label in (("direct", "直销客户"), ("exclusive_agent", "独家代理商"), ("distributor", "经销商")):
        d = tiers.classify(plan("5000", segment=segment, product_line="other"), P)
        assert d.rule_id == "petrochem.other_product_class"
        assert d.outcome["level"] == segment and d.outcome["level_label"] == label
    unknown = tiers.classify(plan("5000", segment=None, product_line="other"), P)
    assert unknown.outcome["level"] is None and "未登记客户类别" in unknown.explanation


def test_custom_bands_are_used():
    p = SPEC.resolve(overrides={"tier_bands": [
        {"level": "ordinary", "min": "0", "max": "500"}, {"level": "star1", "min": "500", "max": "800"},
        {"level": "star2", "min": "800", "max": "1200"}, {"level": "star3", "min": "1200", "max": None},
    ]})
    assert tiers.classify(plan("500"), p).outcome["level"] == "star1"
    assert tiers.classify(plan("499.999"), p).outcome["level"] == "ordinary"


tonnage = st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def band_tables(draw):
    cuts = sorted(draw(st.lists(st.decimals(min_value="0.001", max_value=50000, places=3), min_size=3, max_size=3, unique=True)))
    edges = [Decimal(0), *cuts, None]
    return [{"level": lvl, "min": edges[i], "max": edges[i + 1]} for i, lvl in enumerate(LEVELS[1:])]


@given(a=tonnage, b=tonnage)
def test_levels_are_monotonic_in_tonnage(a, b):
    low, high = min(a, b), max(a, b)
    assert LEVELS.index(tiers.volume_level(low, BOUNDS)) <= LEVELS.index(tiers.volume_level(high, BOUNDS))


@given(table=band_tables(), a=tonnage, b=tonnage)
def test_levels_are_monotonic_for_any_valid_table(table, a, b):
    p = SPEC.resolve(overrides={"tier_bands": table})
    bounds = tiers.lower_bounds(p)
    low, high = min(a, b), max(a, b)
    assert LEVELS.index(tiers.volume_level(low, bounds)) <= LEVELS.index(tiers.volume_level(high, bounds))
    # and the level found is the band that contains the tonnage
    level = tiers.volume_level(low, bounds)
    band = next(b for b in p["tier_bands"] if b["level"] == level)
    assert band["min"] <= low and (band["max"] is None or low < band["max"])


@given(current=st.sampled_from(LEVELS), volume=tonnage)
def test_one_review_moves_at_most_one_level(current, volume):
    d = tiers.classify(plan(volume, level=current), P)
    assert abs(LEVELS.index(d.outcome["level"]) - LEVELS.index(current)) <= 1
