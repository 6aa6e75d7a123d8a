"""zhidu.testing, as a plugin author uses it: the pytest plugin's fixtures (throwaway company, fixed
context, in-process CLI), validated records, golden cases from CSV, and the rule-coverage report."""

import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from zhidu.core.importer import ImportFailed
from zhidu.core.params import ParameterError
from zhidu.testing import AS_OF, assert_readme_matches_catalogue, check_golden, golden_cases, records

HERE = Path(__file__).parent
CUSTOMERS = [{"客户编码": "C1", "客户名称": "甲塑料", "客户类别": "经销商", "销售形式": "计划", "月份": "2026-10", "月提货量": "1000"},
             {"客户编码": "C2", "客户名称": "乙塑料", "客户类别": "经销商", "销售形式": "计划", "月份": "2026-10", "月提货量": "10"}]


def test_zhidu_testing_is_registered_as_a_pytest_plugin(request):
    assert "zhidu.testing" in {ep.value for ep in entry_points(group="pytest11")}
    assert request.config.pluginmanager.has_plugin("zhidu")
    for name in ("zhidu_company", "zhidu_context", "zhidu_cli"):
        assert callable(request.getfixturevalue(name))


def test_a_throwaway_company_has_the_preset_parameters_and_days_it_was_given(zhidu_company):
    company = zhidu_company(["petrochem"], preset="youpin", parameters={"max_level_step": 2}, extra_holidays=[date(2026, 11, 23)])
    assert company.profile.exists() and company.database.exists()
    ws = company.workspace()
    params, presets = ws.resolved
    assert presets["petrochem"] == "youpin" and params["petrochem"]["max_level_step"] == 2
    assert params["petrochem"]["complaint_source"] == "youpin"
    assert not ws.calendar.is_workday(date(2026, 11, 23))  # a Monday, the company's day off
    other = zhidu_company(["realestate"], name="floor")
    assert other.directory != company.directory and other.workspace().plugin_names == ["realestate"]


def test_a_company_imports_rows_and_decides_over_its_database(zhidu_company):
    company = zhidu_company(["petrochem"])
    assert "2 new" in company.import_rows("customer", CUSTOMERS)
    decisions = company.decide("classify", "--as-of", "2026-11-20")
    assert [(d["subject_id"], d["outcome"]["level"]) for d in decisions] == [("C1", "star1"), ("C2", "ordinary")]
    assert all(isinstance(d["decision_id"], int) for d in decisions)
    failed = company.invoke("classify", "--preset", "nosuch")
    assert failed.exit_code == 1 and "unknown preset 'nosuch'" in failed.stderr
    with pytest.raises(AssertionError, match="exited 1"):
        failed.check()


def test_the_context_fixture_fixes_the_date_calendar_and_parameters(zhidu_context):
    context = zhidu_context("petrochem")
    assert context.as_of == AS_OF == date(2026, 11, 20)
    assert context.calendar.extra_holidays == frozenset() and not context.calendar.is_workday(date(2026, 10, 1))
    assert context.parameters("petrochem")["max_level_step"] == 1 and context.presets == {"petrochem": "hb"}
    assert zhidu_context("petrochem", overrides={"max_level_step": 3}).parameters("petrochem")["max_level_step"] == 3
    both = zhidu_context(["petrochem", "realestate"], preset="xize", options={"month": "2026-10"})
    assert both.presets == {"petrochem": "hb", "realestate": "xize"} and both.options == {"month": "2026-10"}
    with pytest.raises(ParameterError, match="unknown preset 'nosuch'"):
        zhidu_context("petrochem", preset="nosuch")


def test_the_cli_fixture_runs_in_process_and_parses_decisions(zhidu_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIDU_PLUGINS", "realestate")  # the caller's ZHIDU_* variables do not leak in
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "c.csv"
    path.write_text("客户编码,客户名称,销售形式,月提货量\nC1,甲,计划,2000\n", encoding="utf-8")
    result = zhidu_cli("--plugins", "petrochem", "classify", str(path))
    assert result.exit_code == 0, result.stderr
    [decision] = result.decisions
    assert decision["rule_id"] == "petrochem.polyolefin_tier" and decision["outcome"]["level"] == "star2"
    as_json = zhidu_cli("--plugins", "petrochem", "classify", str(path), "-f", "json")
    assert as_json.decisions == result.decisions
    assert zhidu_cli("--plugins", "petrochem", "classify", str(path), "-f", "table").decisions == []


def test_records_are_validated_like_an_import():
    customers = records("petrochem", "customer", CUSTOMERS)
    assert [(c.code, c.monthly_volume) for c in customers] == [("C1", Decimal("1000")), ("C2", Decimal("10"))]
    with pytest.raises(ImportFailed, match="column '月提货量'"):
        records("petrochem", "customer", [CUSTOMERS[0] | {"月提货量": "许多"}])


@pytest.mark.parametrize("case", golden_cases(HERE / "petrochem" / "golden_tiers.csv", ["petrochem"]), ids=str)
def test_golden_case(case):
    assert check_golden(case)


def test_a_golden_case_that_is_not_met_names_its_line(tmp_path):
    table = tmp_path / "golden.csv"
    table.write_text(textwrap.dedent("""\
        case,command,option.available,option.month,customer_code,name,segment,requested,expect.rule,expect.allocated,expect.subject,expect.available
        share,allocate,100,2026-08,X1,甲,distributor,80,petrochem.resource_allocation,80,,
        share,,,,X2,乙,distributor,50,petrochem.resource_allocation,20,,
        share,,,,,,,,petrochem.resource_allocation,,2026-08,100
        wrong,allocate,100,2026-08,X1,甲,distributor,80,petrochem.resource_allocation,79.5,,
    """), encoding="utf-8")
    share, wrong = golden_cases(table, ["petrochem"])
    assert len(check_golden(share)) == 3 and share.options == {"available": "100", "month": "2026-08"}
    with pytest.raises(AssertionError, match=r"golden.csv: line 5: case 'wrong': X1 should have rule=petrochem.resource_allocation, allocated=79.5; got petrochem.resource_allocation"):
        check_golden(wrong)


def test_a_readme_out_of_step_with_the_catalogue_fails_the_assertion(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("| rule id | clause |\n| --- | --- |\n| `petrochem.polyolefin_tier` | 第九条(二) |\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="petrochem.tier_review: in the catalogue, missing from the README's table"):
        assert_readme_matches_catalogue("petrochem", readme)
    assert_readme_matches_catalogue("petrochem", HERE.parent / "plugins" / "petrochem" / "README.md")


COVERAGE_TEST = '''
from decimal import Decimal
from zhidu.plugins.petrochem import tiers
from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.records import ChemCustomer

def test_one_rule():
    customer = ChemCustomer("C1", "甲", segment="distributor", sales_form="plan", month="2026-07", monthly_volume=Decimal(5))
    assert tiers.classify(customer, SPEC.resolve()).rule_id == "petrochem.polyolefin_tier"

def test_through_the_cli(zhidu_cli, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("客户编码,客户名称,销售形式\\nC1,甲,网拍\\n", encoding="utf-8")
    assert zhidu_cli("--plugins", "petrochem", "classify", str(path)).decisions[0]["rule_id"] == "petrochem.auction_customer"
'''


def _pytest(folder, *args):
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder), *args],
                          cwd=folder, capture_output=True, text=True)


def test_rule_coverage_reports_the_rules_produced_and_fails_below_the_minimum(tmp_path):
    (tmp_path / "test_cov.py").write_text(COVERAGE_TEST, encoding="utf-8")
    report = _pytest(tmp_path, "--zhidu-rule-coverage=petrochem")
    assert report.returncode == 0, report.stdout + report.stderr
    assert "zhidu rule coverage" in report.stdout
    line = next(line for line in report.stdout.splitlines() if line.startswith("petrochem: "))
    from zhidu.plugins.petrochem.rules import catalogue

    total = len(catalogue())
    assert line.startswith(f"petrochem: 2/{total} rules ({2 / total:.0%}); not produced: ") and "petrochem.tier_review" in line
    assert "petrochem.polyolefin_tier" not in line and "petrochem.auction_customer" not in line
    below = _pytest(tmp_path, "--zhidu-rule-coverage=petrochem", "--zhidu-min-rule-coverage=0.5")
    assert below.returncode == 1 and "2 passed" in below.stdout
    assert "FAIL: petrochem rule coverage 7% is below the required 50%" in below.stdout
    enough = _pytest(tmp_path, "--zhidu-rule-coverage=petrochem", "--zhidu-min-rule-coverage=0.05")
    assert enough.returncode == 0 and "FAIL" not in enough.stdout
    plain = _pytest(tmp_path)
    assert plain.returncode == 0 and "zhidu rule coverage" not in plain.stdout
