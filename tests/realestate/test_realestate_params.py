"""Presets and parameter validation."""

from decimal import Decimal

import pytest

from zhidu.core.params import ParameterError
from zhidu.plugins.realestate.citations import RULE_KEYS, rule
from zhidu.plugins.realestate.params import SPEC


def test_presets_carry_each_documents_numbers():
    vanke, xize, consultant = (SPEC.resolve(p) for p in ("vanke", "xize", "consultant"))
    assert (vanke["window_months"], xize["window_months"], consultant["window_months"]) == (1, 2, 1)
    assert vanke["designation_split"] == [Decimal("0.7"), Decimal("0.3")]
    assert consultant["designation_split"] == [Decimal("0.55"), Decimal("0.45")]
    assert consultant["window_anchor"] == "followup" and vanke["window_anchor"] == "registration"
    assert vanke["family_rule"] == "share" and consultant["family_rule"] == "first"
    assert xize["absence_effects"]["business"] == "makeup" and vanke["absence_effects"]["errand"] == "priority"
    assert vanke["referral_split"] == xize["referral_split"] == [Decimal("0.3"), Decimal("0.7")]
    assert SPEC.default_preset == "vanke" and set(SPEC.preset_descriptions) == set(SPEC.presets)


@pytest.mark.parametrize("overrides, key", [
    ({"designation_split": ["0.7", "0.4"]}, "designation_split"),
    ({"referral_split": ["1.2", "-0.2"]}, "referral_split"),
    ({"window_months": 0}, "window_months"),
    ({"lunch_start": "14:00", "lunch_end": "13:00"}, "lunch_end"),
    ({"absence_effects": {"none": "lose"}}, "absence_effects"),
    ({"absence_effects": {"none": "lose", "busy": "skip", "errand": "nap", "business": "makeup"}}, "absence_effects"),
    ({"document": "other"}, "document"),
    ({"amount_quantum": "0"}, "amount_quantum"),
])
def test_bad_values_error_with_their_key(overrides, key):
    with pytest.raises(ParameterError) as exc:
        SPEC.resolve("vanke", overrides)
    assert key in str(exc.value)


def test_overrides_on_top_of_a_preset():
    p = SPEC.resolve("consultant", {"window_months": 3})
    assert p["window_months"] == 3 and p["designation_split"] == [Decimal("0.55"), Decimal("0.45")]


def test_every_parameter_is_described():
    rows = SPEC.describe()
    assert all(r["description"] for r in rows), [r["name"] for r in rows if not r["description"]]


def test_rule_table_cites_each_document_by_its_title():
    assert str(rule("first_registration", "vanke").citation) == "万科房地产销售部客户管理制度 §7.3"
    assert str(rule("first_registration", "consultant").citation) == "置业顾问客户管理制度 五.2"
    assert str(rule("first_registration", "xize").citation) == "房地产销售客户管理细则 (五)1"
    assert str(rule("referral_split", "xize").citation) == "房地产公司员工介绍客户管理办法 第8条"
    assert str(rule("referral_split", "vanke").citation) == "万科房地产销售部客户管理制度 §6(2)5"
    assert rule("lunch_desk", "xize") is None and rule("makeup_turn", "vanke") is None
    for key in RULE_KEYS:
        assert any(rule(key, doc) for doc in ("vanke", "xize", "consultant")), key
        for doc in ("vanke", "xize", "consultant"):
            r = rule(key, doc)
            if r is not None:
                assert r.id == f"realestate.{key}" and r.title
