"""`zhidu plugin check NAME`: the built-in plugins pass; a plugin breaking one part of the contract
fails that check, with what is wrong, and the command exits 1."""

import itertools
import textwrap

import pytest

from zhidu.core.kit.conformance import money_problems
from zhidu.core.plugins import available_plugins
from zhidu.testing import invoke

PLUGIN = '''
import math
from dataclasses import dataclass
from decimal import Decimal

from marshmallow import Schema, fields, validate

from zhidu import hookimpl
from zhidu.core.bands import band_table
from zhidu.core.commandspecs import DecisionCommand
from zhidu.core.decisions import Citation, Rule
from zhidu.core.fields import Amount, Code, RecordSchema, zh
from zhidu.core.kinds import RecordKind
from zhidu.core.params import ParameterSpec
IMPORTS

DOC = "某厂客户管理办法"
GRADE = Rule("mill.grade", Citation(DOC, "第五条"), "按订单金额分级并分配佣金")


@dataclass(slots=True)
class Order:
    code: str
    amount: Decimal


class OrderSchema(RecordSchema):
    record_class = Order
    code = fields.String(required=True, validate=Code, **zh("订单编号"))
    amount = Amount(digits=14, places=2, required=True, **zh("金额"))


class Band(Schema):
    grade = fields.String(required=True)
    min = fields.Decimal(required=True)
    max = fields.Decimal(load_default=None, allow_none=True)


class Params(Schema):
    bands = fields.List(fields.Nested(Band), metadata=band_table(label="grade", start=0),
                        load_default=lambda: [{"grade": "C", "min": 0, "max": 100}, {"grade": "A", "min": 100, "max": None}])
    rate = fields.Decimal(load_default=Decimal("0.7"), validate=validate.Range(min=0, max=1))


def grade(orders, context):
    params = context.parameters("mill")
    out = []
    for o in orders:
        level = next(b["grade"] for b in params["bands"] if o.amount >= b["min"] and (b["max"] is None or o.amount < b["max"]))
        sales = (o.amount * params["rate"]).quantize(Decimal("0.01"))
        pool = o.amount - sales
        outcome = OUTCOME
        out.append(RULE.decide("order", o.code, outcome, EXPLANATION))
    return out


@hookimpl
def rule_catalogue():
    return [GRADE]


@hookimpl
def record_kinds():
    return [RecordKind("order", "订单", OrderSchema, ("code",), "code")]


@hookimpl
def decision_commands():
    return [DecisionCommand("grade", "订单分级", "order", decide=grade, outcome_keys=("grade",))]


@hookimpl
def policy_parameters():
    return ParameterSpec("mill", Params, presets=PRESETS, default_preset="std")


@hookimpl
def sample_data():
    return SAMPLE
'''

SERIAL = itertools.count(1)

GOOD = {
    "IMPORTS": "",
    "OUTCOME": '{"grade": level, "total": o.amount, "shares": [{"party": "sales", "share": params["rate"], "amount": sales}, '
               '{"party": "pool", "share": 1 - params["rate"], "amount": pool}]}',
    "RULE": "GRADE",
    "EXPLANATION": 'f"订单{o.code}金额{o.amount}元,按第五条定为{level}级。"',
    "PRESETS": '{"std": {}, "lean": {"rate": "0.6"}}',
    "SAMPLE": '{"order": [{"订单编号": "O1", "金额": "50.00"}, {"订单编号": "O2", "金额": "250.50"}]}',
}


@pytest.fixture
def mill(tmp_path, monkeypatch):
    """mill(**changes): install the `mill` plugin with parts of GOOD replaced; the check's report."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", str(site))  # the check's fresh interpreter finds it too
    def install(**changes):
        module = f"mill_policy_{next(SERIAL)}"  # a new module name each time: imported modules stay cached
        source = PLUGIN
        for key, value in (GOOD | changes).items():
            source = source.replace(key, value)
        (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        info = site / f"{module}-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 0.1\n")
        (info / "entry_points.txt").write_text(f"[zhidu.plugins]\nmill = {module}\n")
        for old in site.glob("mill_policy_*.dist-info"):
            if old != info:
                (old / "entry_points.txt").write_text("")
        available_plugins.cache_clear()
        return invoke("plugin", "check", "mill")

    yield install
    available_plugins.cache_clear()


def _status(result):
    """check name -> PASS/FAIL/INFO, from the report."""
    return {line[5:].split(":")[0]: line[:4] for line in result.stdout.splitlines() if line[:4] in ("PASS", "FAIL", "INFO")}


@pytest.mark.parametrize("plugin", ["petrochem", "realestate"])
def test_the_builtin_plugins_pass_every_check(plugin):
    result = invoke("plugin", "check", plugin)
    assert result.exit_code == 0, result.stdout + result.stderr
    status = _status(result)
    assert set(status.values()) == {"PASS", "INFO"} and len(status) == 9
    assert f"{plugin}: 8 passed, 0 failed" in result.stdout


def test_a_conforming_plugin_passes(mill):
    result = mill()
    assert result.exit_code == 0, result.stdout
    assert "PASS band tables: bands: no gap and no overlap" in result.stdout
    assert "PASS commands run on the sample: over the database of a throwaway company, as of 2026-11-20: grade (2)" in result.stdout
    assert "INFO sample rule coverage: the sample produced 1 of 1 rule(s)" in result.stdout


@pytest.mark.parametrize("changes, check, words", [
    ({"PRESETS": '{"std": {}, "gappy": {"bands": [{"grade": "C", "min": 0, "max": 100}, {"grade": "A", "min": 120, "max": null}]}}'.replace("null", "None")},
     "band tables", "bands (preset gappy): gap between band 1 (C) (up to 100) and band 2 (A) (from 120)"),
    ({"PRESETS": '{"std": {}, "bad": {"rate": "2"}}'}, "parameters", "mill: rate: Must be greater than or equal to 0 and less than or equal to 1."),
    ({"SAMPLE": '{"order": [{"订单编号": "O1", "金额": "五十"}]}'}, "sample data", "row 2: column '金额'"),
    ({"SAMPLE": "None"}, "sample data", "no sample_data"),
    ({"SAMPLE": '{"order": [{"订单编号": "O1", "金额": "-5"}]}'}, "commands run on the sample", "plugin 'mill' failed in command grade"),
    ({"EXPLANATION": 'f"order {o.code} graded {level}"'}, "decisions", "the explanation is not a Chinese sentence"),
    ({"RULE": 'Rule("mill.grade", Citation(DOC, "第九条"), "x")'}, "decisions", "cites '某厂客户管理办法 第九条', which the catalogue does not give this rule"),
    ({"OUTCOME": '{"grade": level, "total": o.amount, "shares": [{"party": "sales", "amount": sales}, {"party": "pool", "amount": pool + 1}]}'},
     "decisions", "share amounts add up to"),
    ({"OUTCOME": '{"grade": level, "ratio": math.nan}'}, "decisions", "outcome is not JSON-serialisable"),
    ({"OUTCOME": '{"level": level}'}, "commands run on the sample", "lacks outcome key(s) grade"),
    ({"IMPORTS": "import zhidu.plugins.realestate.citations"}, "imports alone", "imports other plugins' modules: zhidu.plugins.realestate"),
])
def test_a_plugin_breaking_the_contract_fails_that_check(mill, changes, check, words):
    result = mill(**changes)
    assert result.exit_code == 1, result.stdout
    status = _status(result)
    assert status[check] == "FAIL", result.stdout
    assert sum(v == "FAIL" for v in status.values()) == 1, result.stdout
    block = result.stdout.split(f"FAIL {check}", 1)[1].split("\n", 1)[1].split("\nPASS", 1)[0].split("\nINFO", 1)[0]
    assert words in block, result.stdout
    assert "1 failed" in result.stdout.splitlines()[-1]


def test_an_unknown_plugin_is_a_clear_error():
    result = invoke("plugin", "check", "nosuch")
    assert result.exit_code == 1 and "unknown plugin(s): nosuch" in result.stderr


@pytest.mark.parametrize("outcome, problem", [
    ({"commission": "100.00", "shares": [{"party": "a", "share": "0.7", "amount": "70.00"}, {"party": "b", "share": "0.3", "amount": "30.00"}]}, None),
    ({"commission": "100.00", "shares": [{"party": "a", "amount": "70.00"}, {"party": "b", "amount": "29.99"}]}, "share amounts add up to 99.99, not the commission 100.00"),
    ({"shares": [{"party": "a", "amount": "70.00"}]}, "names no total"),
    ({"total": "10", "shares": [{"party": "a", "share": "0.5", "amount": "10"}]}, "share fractions add up to 0.5, not 1"),
    ({"total": "150", "deductions": {"wage": "100", "bonus": "50"}}, None),
    ({"total": "140", "deductions": {"wage": "100", "bonus": "50"}}, "deductions add up to 150, not the total 140"),
    ({"total": None, "deductions": {}}, None),
])
def test_money_adds_up(outcome, problem):
    problems = money_problems(outcome)
    assert (problems == []) if problem is None else any(problem in p for p in problems), problems


@pytest.mark.parametrize("rows, problem", [
    ([{"min": 0, "max": 10}, {"min": 10, "max": None}], None),
    ([{"min": 0, "max": 10}, {"min": 8, "max": None}], "overlap between band 1 (up to 10) and band 2 (from 8)"),
    ([{"min": 5, "max": 10}, {"min": 10, "max": None}], "band 1 must start at 0, starts at 5"),
    ([{"min": 0, "max": 10}, {"min": 10, "max": 20}], "band 2, the last, must be open-ended (max: null), ends at 20"),
    ([{"min": 0, "max": None}, {"min": 10, "max": None}], "band 1 has no upper bound but is followed by band 2"),
    ([{"min": 0, "max": 10}, {"min": 10, "max": 10}, {"min": 10, "max": None}], "band 2: upper bound 10 is not above lower bound 10"),
    ([], "a band table needs at least one band"),
])
def test_band_tables_have_no_gaps_or_overlaps(rows, problem):
    from zhidu.core.bands import band_problems, band_table

    problems = band_problems(rows, band_table(start=0)["zhidu_bands"])
    assert (problems == []) if problem is None else problem in problems, problems
