"""Parameters: the documents' numbers as defaults, presets, and tables rejected with their key named."""

from copy import deepcopy
from decimal import Decimal

import pytest

from zhidu.core.params import ParameterError
from zhidu.plugins.petrochem.params import SPEC


def bands(*rows):
    return [{"level": lvl, "min": lo, "max": hi} for lvl, lo, hi in rows]


GOOD = [("ordinary", "0", "1000"), ("star1", "1000", "2000"), ("star2", "2000", "3000"), ("star3", "3000", None)]


def test_defaults_are_the_documents_numbers():
    p = SPEC.resolve()
    assert [(b["level"], b["min"], b["max"]) for b in p["tier_bands"]] == [
        ("ordinary", Decimal(0), Decimal(1000)),
        ("star1", Decimal(1000), Decimal(2000)),
        ("star2", Decimal(2000), Decimal(3000)),
        ("star3", Decimal(3000), None),
    ]
    assert p["max_level_step"] == 1
    assert p["complaint_working_days"] == {"general": 1, "major": 3, "serious": 3}
    assert p["special_approval_max_working_days"] == 7
    assert p["meeting_handler"] == "总经理专题会议"
    assert p["complaint_department"] == "销售部"
    assert p["approval_chain"] == ["sales", "finance", "general_manager"]
    assert p["allocation_class_order"] == ["direct", "exclusive_agent", "distributor"]
    assert p["visit_scales"]["service"]["不好"] == 30 and p["visit_scales"]["service"]["恶劣"] == 0


def test_youpin_preset_changes_only_the_complaint_handling():
    hb, youpin = SPEC.resolve("hb"), SPEC.resolve("youpin")
    assert youpin["meeting_handler"] == "经理办公会专题会议"
    assert youpin["complaint_department"] == "企业发展部"
    assert youpin["complaint_source"] == "youpin"
    changed = {k for k in hb if hb[k] != youpin[k]}
    assert changed == {"meeting_handler", "complaint_department", "complaint_source"}


def test_profile_bands_as_strings_load():
    p = SPEC.resolve(overrides={"tier_bands": bands(("ordinary", "0", "800"), ("star1", "800", "2000"), ("star2", "2000", "3000"), ("star3", "3000", None))})
    assert p["tier_bands"][1]["min"] == Decimal(800)


@pytest.mark.parametrize(
    "table, words",
    [
        (bands(("ordinary", "0", "1000"), ("star1", "1100", "2000"), ("star2", "2000", "3000"), ("star3", "3000", None)), "gap"),
        (bands(("ordinary", "0", "1000"), ("star1", "900", "2000"), ("star2", "2000", "3000"), ("star3", "3000", None)), "overlap"),
        (bands(("ordinary", "0", "1000"), ("star1", "1000", "1000"), ("star2", "1000", "3000"), ("star3", "3000", None)), "non-monotonic"),
        (bands(("ordinary", "0", "1000"), ("star1", "1000", "900"), ("star2", "900", "3000"), ("star3", "3000", None)), "non-monotonic"),
        (bands(("ordinary", "0", "1000"), ("star2", "1000", "2000"), ("star1", "2000", "3000"), ("star3", "3000", None)), "in this order"),
        (bands(("ordinary", "0", "1000"), ("star1", "1000", "2000"), ("star3", "2000", None)), "in this order"),
        (bands(("ordinary", "10", "1000"), ("star1", "1000", "2000"), ("star2", "2000", "3000"), ("star3", "3000", None)), "start at 0"),
        (bands(("ordinary", "0", "1000"), ("star1", "1000", "2000"), ("star2", "2000", "3000"), ("star3", "3000", "9000")), "open-ended"),
        (bands(("ordinary", "0", None), ("star1", "1000", "2000"), ("star2", "2000", "3000"), ("star3", "3000", None)), "no upper bound"),
    ],
)
def test_bad_band_tables_are_rejected_naming_the_key(table, words):
    with pytest.raises(ParameterError) as err:
        SPEC.resolve(overrides={"tier_bands": table})
    assert "tier_bands" in str(err.value)
    assert words in str(err.value)


@pytest.mark.parametrize(
    "overrides, key",
    [
        ({"complaint_working_days": {"general": 0, "major": 3, "serious": 3}}, "complaint_working_days"),
        ({"complaint_working_days": {"general": 4, "major": 3, "serious": 3}}, "complaint_working_days"),
        ({"complaint_working_days": {"general": 1, "major": 3}}, "complaint_working_days"),
        ({"special_approval_max_working_days": 2}, "special_approval_max_working_days"),
        ({"meeting_severities": ["major", "urgent"]}, "meeting_severities"),
        ({"approval_chain": ["sales", "sales"]}, "approval_chain"),
        ({"approval_chain": ["sales", "ceo"]}, "approval_chain"),
        ({"required_documents": ["business_licence", "passport"]}, "required_documents"),
        ({"allocation_class_order": ["direct", "distributor"]}, "allocation_class_order"),
        ({"review_basis": "best_month"}, "review_basis"),
        ({"max_level_step": -1}, "max_level_step"),
        ({"upgrade_min_completion_rate": "1.5"}, "upgrade_min_completion_rate"),
    ],
)
def test_bad_values_name_their_key(overrides, key):
    with pytest.raises(ParameterError) as err:
        SPEC.resolve(overrides=overrides)
    assert key in str(err.value)


def test_visit_scale_must_not_rise_left_to_right():
    scales = deepcopy(SPEC.resolve()["visit_scales"])
    assert SPEC.resolve(overrides={"visit_scales": scales})["visit_scales"] == scales
    scales["quality"] = {**scales["quality"], "非常优良": 90, "优良": 100}
    with pytest.raises(ParameterError, match="visit_scales"):
        SPEC.resolve(overrides={"visit_scales": scales})


def test_visit_scale_rescores_the_forms_options_but_adds_or_drops_none():
    scales = deepcopy(SPEC.resolve()["visit_scales"])
    scales["quality"] = {**scales["quality"], "合格": 65}
    assert SPEC.resolve(overrides={"visit_scales": scales})["visit_scales"]["quality"]["合格"] == 65
    for changed in ({**scales["quality"], "差": 10}, {k: v for k, v in scales["quality"].items() if k != "合格"}):
        with pytest.raises(ParameterError, match="visit_scales"):
            SPEC.resolve(overrides={"visit_scales": {**scales, "quality": changed}})


def test_unknown_preset_is_an_error():
    with pytest.raises(ParameterError, match="unknown preset"):
        SPEC.resolve("nope")
