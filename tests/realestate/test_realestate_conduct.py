"""Floor conduct sanctions (assess_conduct)."""

from decimal import Decimal

import pytest

from realestate_floor import floor  # noqa: F401  (the fixture)

WAGES = {"daily_base_wage": "150", "monthly_base_wage": "3000", "monthly_bonus": "5000.01", "monthly_deal_bonus": "8000"}


@pytest.mark.parametrize("incident_type", ["grab", "fight", "neglect", "抢客", "争客", "怠慢"])
def test_xize_grabbing_costs_the_days_base_wage(floor, incident_type):
    d = floor("xize").conduct(incident_type, "general", **WAGES)
    assert d.rule_id == "realestate.conduct_grab" and "(二)4" in d.explanation
    assert d.outcome["sanction"] == "deduct_daily_base_wage"
    assert d.outcome["total"] == Decimal("150.00")


@pytest.mark.parametrize("severity", ["serious", "严重"])
def test_xize_serious_grabbing_costs_month_wage_and_half_the_bonus(floor, severity):
    d = floor("xize").conduct("grab", severity, **WAGES)
    assert d.outcome["sanction"] == "deduct_monthly_base_wage_and_bonus"
    assert d.outcome["deductions"] == {"monthly_base_wage": Decimal("3000.00"), "monthly_bonus": Decimal("2500.01")}
    assert d.outcome["total"] == Decimal("5500.01")
    assert "3000.00元" in d.explanation and "50%" in d.explanation


def test_xize_provoking_disputes_means_dismissal_and_half_the_deal_bonus(floor):
    d = floor("xize").conduct("provoke_dispute", **WAGES)
    assert d.rule_id == "realestate.conduct_provoke" and "(二)5(3)" in d.explanation
    assert d.outcome["sanction"] == "dismissal" and d.outcome["total"] == Decimal("4000.00")


def test_missing_figures_are_reported_not_guessed(floor):
    d = floor("xize").conduct("grab", "serious", monthly_base_wage="3000")
    assert d.outcome["missing"] == ["monthly_bonus"] and d.outcome["total"] is None
    assert "缺少当月应发奖金数额" in d.explanation and "monthly_bonus" not in d.explanation


def test_invalid_figures_are_reported(floor):
    d = floor("xize").conduct("grab", "general", daily_base_wage="lots")
    assert d.outcome["status"] == "invalid" and "daily_base_wage" in d.outcome["errors"]


@pytest.mark.parametrize("preset, clause", [("vanke", "§2.1"), ("consultant", "一.1")])
@pytest.mark.parametrize("incident_type", ["not_dressed", "not_prepared", "未着装"])
def test_not_dressed_or_prepared_loses_the_turn(floor, preset, clause, incident_type):
    d = floor(preset).conduct(incident_type)
    assert d.rule_id == "realestate.conduct_unready" and d.outcome["sanction"] == "lose_turn" and clause in d.explanation


def test_xize_has_no_dress_rule_and_vanke_no_provoke_rule(floor):
    assert floor("xize").conduct("not_dressed") is None
    assert floor("vanke").conduct("provoke_dispute", **WAGES) is None


def test_vanke_grabbing_is_a_violation_without_a_fixed_amount(floor):
    d = floor("vanke").conduct("grab", "serious", **WAGES)
    assert d.outcome["sanction"] == "violation" and d.outcome["total"] is None and "§3.8-3.9" in d.explanation
