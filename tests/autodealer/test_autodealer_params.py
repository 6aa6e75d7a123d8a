"""Parameters: the texts' own numbers as defaults, the two presets, the numbers the texts do not
give left unset (and said so), bad values refused with their key; the rule table in the README is
the catalogue's; every rule cites a document title and a clause."""

from decimal import Decimal
from pathlib import Path

import pytest

from zhidu.core.kit.readme import mismatches
from zhidu.core.params import ParameterError
from zhidu.core.plugins import PolicyPlugins
from zhidu.plugins.autodealer.params import SPEC
from zhidu.plugins.autodealer.rules import DOC_FAW, DOC_SKODA, all_rules

README = Path(__file__).parents[2] / "plugins" / "autodealer" / "README.md"


def test_presets_choose_the_document():
    assert SPEC.resolve()["policy"] == "faw_vw" == SPEC.resolve("faw_vw")["policy"]
    assert SPEC.resolve("skoda")["policy"] == "skoda"
    assert set(SPEC.presets) == {"faw_vw", "skoda"} and SPEC.default_preset == "faw_vw"


def test_the_texts_numbers():
    p = SPEC.resolve()
    assert p["faw_invoice_pdi_max_hours"] == 24 and p["faw_estimate_tolerance"] == Decimal("0.10")
    assert p["faw_tread_min_mm"] == Decimal("3.0") and p["faw_correction_hours"] == 24 and p["faw_missing_report_days"] == 2
    assert [(d["from_km"], d["to_km"]) for d in p["faw_mileage_duties"]] == [(29000, 31000), (59000, 61000)]
    assert p["faw_completeness_target"] == Decimal("0.99") and p["faw_authenticity_target"] == Decimal("0.95")
    assert p["faw_kpi_points_late_correction"] == 1 and p["faw_kpi_points_unchanged_return"] == 1 and p["faw_favouritism_fine"] == 10
    assert [p[f"skoda_fine_{k}"] for k in ("sales_late", "sales_customer_signature", "contact_unverified", "service_late", "service_item",
                                           "service_customer_signature", "service_staff_signature", "lost_file")] == [50, 20, 50, 50, 20, 50, 20, 20]
    assert p["skoda_doubling_from"] == {"sales_consultant": 2, "service_advisor": 3} and p["skoda_doubling_factor"] == 2
    assert p["skoda_performance_cut_range"] == [Decimal("0.10"), Decimal("0.30")]
    assert p["skoda_sales_working_days"] == 3 and p["skoda_service_working_days"] == 1 and p["skoda_correction_working_days"] == 1
    assert all(isinstance(p[k], Decimal) for k in p if k.startswith("skoda_fine_"))


def test_numbers_the_text_does_not_give_are_unset():
    p = SPEC.resolve()
    assert p["faw_kpi_points_unqualified_file"] is None and p["faw_kpi_points_missing_file"] is None


@pytest.mark.parametrize("overrides, key", [
    ({"faw_estimate_tolerance": "1.5"}, "faw_estimate_tolerance"),
    ({"faw_mileage_duties": [{"from_km": 31000, "to_km": 29000, "items": ["火花塞"]}]}, "faw_mileage_duties"),
    ({"faw_mileage_duties": [{"from_km": 1, "to_km": 2, "items": ["雨刮片"]}]}, "faw_mileage_duties"),
    ({"skoda_performance_cut_range": ["0.3", "0.1"]}, "skoda_performance_cut_range"),
    ({"policy": "audi"}, "policy"),
    ({"skoda_violation_unit": "vehicle"}, "skoda_violation_unit"),
    ({"faw_sales_documents": ["invoice", "发票"]}, "faw_sales_documents"),
])
def test_bad_values_are_refused_with_their_key(overrides, key):
    with pytest.raises(ParameterError, match=key):
        SPEC.resolve(None, overrides)


def test_every_rule_cites_one_of_the_two_documents_and_a_clause():
    rules = all_rules()
    assert len({r.id for r in rules}) == len(rules) > 70
    assert all(r.citation.document in (DOC_FAW, DOC_SKODA) and r.citation.clause and r.title for r in rules)
    assert PolicyPlugins(["autodealer"]).rules.rules("autodealer") == rules


def test_the_readme_lists_exactly_the_catalogue():
    assert mismatches(README, all_rules()) == []
