"""The rule catalogue: every plugin declares its rules (id, document, clause, title) once; decisions must
use a declared rule; `zhidu rules` lists them with where their code is; the READMEs agree with it."""

import json
import textwrap
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from zhidu import hookimpl
from zhidu.cli import cli
from zhidu.core.commandspecs import DecisionCommand
from zhidu.core.decisions import Citation, Rule
from zhidu.core.engine import PluginAnswerError
from zhidu.core.kit.readme import mismatches
from zhidu.core.plugins import PluginError, PolicyPlugins, available_plugins
from zhidu.core.records import Customer
from zhidu.plugins.realestate.citations import CONSULTANT, VANKE, XIZE, rule
from zhidu.testing import decide, make_context

ROOT = Path(__file__).resolve().parent.parent
CLEAN = {"ZHIDU_PROFILE": None, "ZHIDU_PLUGINS": None, "ZHIDU_TRACE": None}
REALESTATE_COLUMNS = {"万科 (vanke)": VANKE, "细则 (xize)": XIZE, "置业顾问 (consultant)": CONSULTANT}


def test_hook_rule_catalogue_declares_every_builtin_rule_with_its_clause():
    catalogue = PolicyPlugins(["petrochem", "realestate"]).rules
    petrochem = {r.id: r for r in catalogue.rules("petrochem")}
    assert petrochem["petrochem.polyolefin_tier"].citation == Citation("石油销售公司化工品客户管理办法", "第九条(二)")
    assert petrochem["petrochem.youpin_complaint_general"].citation.document == "工贸油品调运分公司客户管理办法"
    assert len(petrochem) == 28 and all(r.title for r in petrochem.values())
    # A rule several documents state differently: once per document, one id.
    rotation = {r.citation for r in catalogue.rules("realestate") if r.id == "realestate.rotation"}
    assert rotation == {Citation(VANKE, "§3.1-3.2"), Citation(CONSULTANT, "二.1"), Citation(XIZE, "(二)1")}
    assert catalogue.citations("realestate.referral_split") == {Citation(VANKE, "§6(2)5"), Citation("房地产公司员工介绍客户管理办法", "第8条")}


def test_every_rule_the_realestate_replay_can_cite_is_in_the_catalogue():
    from zhidu.plugins.realestate.citations import DOCUMENTS, RULE_KEYS

    catalogue = PolicyPlugins(["realestate"]).rules
    for key in RULE_KEYS:
        for doc in DOCUMENTS:
            found = rule(key, doc)
            if found is not None:
                assert found.citation in catalogue.citations(found.id), (key, doc)


def test_a_rule_knows_the_line_that_defines_it():
    catalogue = PolicyPlugins(["petrochem", "realestate"]).rules
    tier = next(r for r in catalogue.rules("petrochem") if r.id == "petrochem.polyolefin_tier")
    path, line = tier.source.rsplit(":", 1)
    assert Path(path).name == "rules.py" and "TIER = Rule(" in Path(path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    lunch = next(r for r in catalogue.rules("realestate") if r.id == "realestate.lunch_desk")
    path, line = lunch.source.rsplit(":", 1)
    assert '"lunch_desk": (' in Path(path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert Rule("x.y", Citation("d", "c")) == Rule("x.y", Citation("d", "c"), source="elsewhere:1")  # not part of equality


# --- the engine refuses a decision under an undeclared rule -----------------------------------------

DECLARED = Rule("gamma.vip", Citation("丙制度", "第三条"), "VIP客户")
UNDECLARED = Rule("gamma.secret", Citation("丙制度", "第九条"), "未登记的规则")


def _gamma(catalogue, rule_used):
    module = types.ModuleType("gamma")
    module.__version__ = "1.0"

    def decision_commands():
        return [DecisionCommand("classify", "分级", "customer", hook="classify_customer")]

    def classify_customer(customers, context):
        return [rule_used.decide("customer", c.code, {"level": "vip"}, f"{c.name}为VIP客户。") for c in customers]

    module.decision_commands = hookimpl(decision_commands)
    module.classify_customer = hookimpl(classify_customer)
    if catalogue is not None:
        module.rule_catalogue = hookimpl(lambda: catalogue)
    return module


def test_a_decision_under_a_rule_missing_from_the_catalogue_is_refused_naming_plugin_and_rule():
    plugins = PolicyPlugins([], extra_modules=[("gamma", _gamma([DECLARED], UNDECLARED))])
    with pytest.raises(PluginAnswerError, match=r"plugin 'gamma' \(classify\) returned a decision under rule 'gamma.secret', which its rule_catalogue does not declare"):
        decide(plugins, "classify", [Customer("C1", "甲")], make_context("petrochem"))
    allowed = PolicyPlugins([], extra_modules=[("gamma", _gamma([DECLARED], DECLARED))])
    assert [d.rule_id for d in decide(allowed, "classify", [Customer("C1", "甲")], make_context("petrochem"))] == ["gamma.vip"]


def test_a_plugin_that_decides_without_a_catalogue_is_an_error_naming_it():
    plugins = PolicyPlugins([], extra_modules=[("gamma", _gamma(None, DECLARED))])
    with pytest.raises(PluginError, match="plugin 'gamma' answers decision command\\(s\\) classify but declares no rule catalogue"):
        plugins.commands


@pytest.mark.parametrize("catalogue, message", [
    ([Rule("delta.vip", Citation("丙制度", "第三条"))], "rule 'delta.vip' is outside its namespace 'gamma.\\*'"),
    ([Rule("gamma.vip", Citation("丙制度", " "))], "rule 'gamma.vip' needs a citation with a document and a clause"),
    (["gamma.vip"], "rule_catalogue returned str, expected a Rule"),
    (DECLARED, "rule_catalogue must return a list of Rule, got Rule"),
    ([DECLARED, Rule("gamma.vip", Citation("丙制度", "第三条"), "another title")], "rule 'gamma.vip' \\(丙制度 第三条\\) is declared twice with different titles"),
])
def test_an_unusable_catalogue_is_an_error_naming_the_plugin(catalogue, message):
    plugins = PolicyPlugins([], extra_modules=[("gamma", _gamma(catalogue, DECLARED))])
    with pytest.raises(PluginError, match="plugin 'gamma': " + message):
        plugins.rules


SITE_PLUGIN = '''
from dataclasses import dataclass
from zhidu import hookimpl
from zhidu.core.commandspecs import DecisionCommand
from zhidu.core.decisions import Citation, Rule

KNOWN = Rule("shadow.known", Citation("某制度", "第一条"), "已登记")
HIDDEN = Rule("shadow.hidden", Citation("某制度", "第二条"), "未登记")

@hookimpl
def rule_catalogue():
    return [KNOWN]

@hookimpl
def decision_commands():
    return [DecisionCommand("classify", "分级", "customer", hook="classify_customer")]

@hookimpl
def classify_customer(customers, context):
    return [(HIDDEN if c.code == "C2" else KNOWN).decide("customer", c.code, {"level": "a"}, "按第一条分级。") for c in customers]
'''


def test_over_the_database_an_undeclared_rule_fails_the_run_and_nothing_counts(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "shadow_policy.py").write_text(textwrap.dedent(SITE_PLUGIN), encoding="utf-8")
    info = site / "shadow_policy-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shadow-policy\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[zhidu.plugins]\nshadow = shadow_policy\n")
    monkeypatch.syspath_prepend(str(site))
    available_plugins.cache_clear()
    try:
        runner = CliRunner(env=CLEAN)
        assert runner.invoke(cli, ["init", "co", "--plugins", "shadow", "--dir", str(tmp_path)]).exit_code == 0
        profile = str(tmp_path / "co.toml")
        (tmp_path / "c.csv").write_text("code,name\nC1,甲\nC2,乙\n", encoding="utf-8")
        assert runner.invoke(cli, ["--profile", profile, "import", "customer", str(tmp_path / "c.csv")]).exit_code == 0
        result = runner.invoke(cli, ["--profile", profile, "classify", "-f", "jsonl"])
        assert result.exit_code == 1
        assert "plugin 'shadow' (classify) returned a decision under rule 'shadow.hidden', which its rule_catalogue does not declare" in result.stderr
        listed = runner.invoke(cli, ["--profile", profile, "decisions", "--history", "-f", "jsonl"])
        assert listed.exit_code == 0 and listed.stdout == ""
    finally:
        available_plugins.cache_clear()


# --- zhidu rules -------------------------------------------------------------------------------------

def test_rules_lists_a_clause_with_the_code_that_applies_it(tmp_path):
    result = CliRunner(env=CLEAN).invoke(cli, ["rules", "--plugin", "petrochem", "--clause", "第九条", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["rule_id"]: r for r in json.loads(result.stdout)}
    # 第九条 matches 第九条(二), 第九条(二)1 and 第十六条、第九条(二); nothing else.
    assert set(rows) == {"petrochem.polyolefin_tier", "petrochem.auction_customer", "petrochem.direct_as_plan_ordinary",
                         "petrochem.tier_without_volume", "petrochem.tier_review"}
    tier = rows["petrochem.polyolefin_tier"]
    assert tier["document"] == "石油销售公司化工品客户管理办法" and tier["clause"] == "第九条(二)" and tier["plugin"] == "petrochem"
    assert tier["defined_at"].endswith("petrochem/rules.py:" + tier["defined_at"].rsplit(":", 1)[1])
    assert tier["used_in"] == ["zhidu.plugins.petrochem.tiers:classify"]
    assert rows["petrochem.tier_review"]["used_in"] == ["zhidu.plugins.petrochem.tiers:_review"]


def test_rules_finds_rules_used_through_tables_and_keys():
    result = CliRunner(env=CLEAN).invoke(cli, ["--plugins", "petrochem,realestate", "rules", "-f", "json"])
    rows = json.loads(result.stdout)
    uses = {r["rule_id"]: r["used_in"] for r in rows}
    assert "zhidu.plugins.petrochem.archive:validate" in uses["petrochem.archive_rejected"]  # via _STATUS_RULES
    assert "zhidu.plugins.petrochem.complaints:route" in uses["petrochem.youpin_complaint_major"]  # via COMPLAINT_RULES
    assert "zhidu.plugins.realestate.rules_conduct:assess" in uses["realestate.conduct_grab"]  # via RULE_OF_TYPE's keys
    assert "zhidu.plugins.realestate.rules_reception:pick_rotation" in uses["realestate.rotation"]  # via the key "rotation"
    assert {r["plugin"] for r in rows} == {"petrochem", "realestate"}
    assert len([r for r in rows if r["rule_id"] == "realestate.rotation"]) == 3


def test_rules_by_document_and_an_unknown_plugin():
    runner = CliRunner(env=CLEAN)
    rows = json.loads(runner.invoke(cli, ["rules", "--plugin", "realestate", "--document", "细则", "-f", "json"]).stdout)
    assert rows and {r["document"] for r in rows} == {XIZE}
    bad = runner.invoke(cli, ["rules", "--plugin", "nosuch"])
    assert bad.exit_code == 1 and "unknown plugin(s): nosuch" in bad.stderr


# --- the READMEs' rule tables ----------------------------------------------------------------------

def test_the_petrochem_readme_lists_exactly_the_catalogue():
    assert mismatches(ROOT / "plugins/petrochem/README.md", PolicyPlugins(["petrochem"]).rules.rules("petrochem")) == []


def test_the_realestate_readme_gives_each_document_the_clause_of_the_catalogue():
    rules = PolicyPlugins(["realestate"]).rules.rules("realestate")
    assert mismatches(ROOT / "plugins/realestate/README.md", rules, REALESTATE_COLUMNS) == []


def test_a_readme_that_disagrees_with_the_catalogue_is_caught(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(textwrap.dedent("""\
        | rule id | clause | what |
        | --- | --- | --- |
        | `gamma.vip` | 第四条 | wrong clause |
        | `gamma.ghost` | 第一条 | not in the catalogue |
    """), encoding="utf-8")
    problems = mismatches(readme, [DECLARED, UNDECLARED])
    assert problems == ["gamma.vip: clause '第四条' is not one the catalogue gives it (丙制度 第三条)",
                        "gamma.ghost: in the README, not in the catalogue",
                        "gamma.secret: in the catalogue, missing from the README's table"]
    per_document = tmp_path / "R2.md"
    per_document.write_text("| rule id | 甲 | 乙 |\n|---|---|---|\n| `gamma.vip` | — | 丙 第三条 |\n| `gamma.secret` | 第九条 | — |\n", encoding="utf-8")
    assert mismatches(per_document, [DECLARED, UNDECLARED], {"甲": "丙制度", "乙": "丁制度"}) == [
        "gamma.vip: README says 甲 has no clause; the catalogue cites 第三条"]
