"""A standard decision command fed from several input kinds: two plugins installed through real entry
points answer ``conduct`` (assess_conduct), each over an incident kind of its own, and a third shares
the first one's kind. Each implementation receives only records of the kind its plugin declared;
over the database the command reads every kind; a FILE names its kind; ``--id`` works per kind;
outcome keys are checked per kind; the decisions are logged, listed and explained."""

import json
import textwrap

import pytest
from click.testing import CliRunner

from zhidu.cli import cli
from zhidu.core.commandspecs import CommandError, CommandOption, DecisionCommand, build_plans
from zhidu.core.plugins import PolicyPlugins, available_plugins

PLUGIN = '''
from dataclasses import dataclass

from marshmallow import fields

from zhidu import hookimpl
from zhidu.core.commandspecs import CommandOption, DecisionCommand
from zhidu.core.decisions import Citation, Rule
from zhidu.core.fields import Code, RecordSchema, zh
from zhidu.core.kinds import RecordKind

__version__ = "1.0"

NAME = "{name}"
KIND = "{kind}"
SANCTION = Rule(NAME + ".sanction", Citation("{document}", "第三条"), "违纪处罚")


@dataclass(slots=True)
class Incident:
    code: str
    person: str


class IncidentSchema(RecordSchema):
    record_class = Incident
    code = fields.String(required=True, validate=Code, **zh("编号"))
    person = fields.String(required=True, **zh("员工"))


@hookimpl
def rule_catalogue():
    return [SANCTION]


@hookimpl
def record_kinds():
    return [RecordKind(KIND, "违纪事件", IncidentSchema, ("code",), "code")] if {declares_kind} else None


@hookimpl
def decision_commands():
    return [DecisionCommand("conduct", "员工违纪", KIND, hook="assess_conduct", outcome_keys={keys},
                            options=(CommandOption("serious", "{help}", flag=True),))]


@hookimpl
def assess_conduct(incidents, context):
    out = []
    for i in incidents:
        # Proof that only this plugin's own kind arrives here.
        assert type(i).__module__ == "{record_module}", type(i).__module__
        outcome = {{"sanction": "书面警告" if context.options.get("serious") else "口头警告", "seen": NAME}}
        if {gives_points}:
            outcome["points"] = 2
        out.append(SANCTION.decide(KIND, i.code, outcome, f"员工{{i.person}}违反第三条,由{{NAME}}处理。"))
    return out
'''

PLUGINS = {
    "alpha": dict(kind="alpha_incident", document="甲公司员工守则", declares_kind=True, keys=(), help="Serious.", gives_points=False,
                  record_module="alpha_policy"),
    "beta": dict(kind="beta_incident", document="乙公司员工守则", declares_kind=True, keys=("points",), help="Serious, by beta.",
                 gives_points=True, record_module="beta_policy"),
    # gamma reads alpha's kind: the two share it as before (and each gets alpha's records).
    "gamma": dict(kind="alpha_incident", document="丙公司员工守则", declares_kind=False, keys=(), help="Serious.", gives_points=False,
                  record_module="alpha_policy"),
}


@pytest.fixture
def site(tmp_path, monkeypatch):
    folder = tmp_path / "site"
    folder.mkdir()
    for name, values in PLUGINS.items():
        (folder / f"{name}_policy.py").write_text(textwrap.dedent(PLUGIN.format(name=name, **values)), encoding="utf-8")
        info = folder / f"{name}_policy-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}-policy\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text(f"[zhidu.plugins]\n{name} = {name}_policy\n")
    monkeypatch.syspath_prepend(str(folder))
    available_plugins.cache_clear()
    yield tmp_path
    available_plugins.cache_clear()


def company(folder, plugins="alpha,beta"):
    runner = CliRunner()
    made = runner.invoke(cli, ["init", "co", "--plugins", plugins, "--dir", str(folder)], obj={})
    assert made.exit_code == 0, made.output
    profile = str(folder / "co.toml")

    def zhidu(*args, code=0):
        result = runner.invoke(cli, ["--profile", profile, *args], obj={})
        assert result.exit_code == code, result.output
        return result

    return zhidu


def lines(result):
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def write(folder, name, rows):
    path = folder / name
    path.write_text("编号,员工\n" + "".join(f"{code},{person}\n" for code, person in rows), encoding="utf-8")
    return str(path)


def test_the_plan_keeps_each_plugins_kind_and_the_shared_kind_stays_shared(site):
    plan = PolicyPlugins(["alpha", "beta", "gamma"]).commands["conduct"]
    assert plan.kinds == ("alpha_incident", "beta_incident")
    assert plan.input_kinds == {"alpha": "alpha_incident", "beta": "beta_incident", "gamma": "alpha_incident"}
    assert [p for p, _f, _a in plan.implementations_for("alpha_incident")] == ["gamma", "alpha"]
    assert [p for p, _f, _a in plan.implementations_for("beta_incident")] == ["beta"]
    # beta's promise binds beta's kind only; the hook's own key binds both.
    assert plan.outcome_keys_for("beta_incident") == ("sanction", "points")
    assert plan.outcome_keys_for("alpha_incident") == ("sanction",)
    # Same option, worded differently by beta: united, it behaves the same for both.
    assert [o.name for o in plan.options] == ["serious"]


def test_over_the_database_each_plugin_decides_only_its_own_kind(site):
    zhidu = company(site)
    zhidu("import", "alpha_incident", write(site, "a.csv", [("A1", "张三"), ("X1", "李四")]))
    zhidu("import", "beta_incident", write(site, "b.csv", [("B1", "王五"), ("X1", "赵六")]))
    decided = lines(zhidu("conduct", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert sorted((d["subject_kind"], d["subject_id"], d["plugin"], d["outcome"]["seen"]) for d in decided) == [
        ("alpha_incident", "A1", "alpha", "alpha"), ("alpha_incident", "X1", "alpha", "alpha"),
        ("beta_incident", "B1", "beta", "beta"), ("beta_incident", "X1", "beta", "beta")]
    assert all(d["decision_id"] for d in decided)
    # --id per kind: X1 is a subject of both kinds, B1 of beta's only.
    both = lines(zhidu("conduct", "--id", "X1", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert sorted(d["subject_kind"] for d in both) == ["alpha_incident", "beta_incident"]
    assert [d["subject_kind"] for d in lines(zhidu("conduct", "--id", "B1", "--as-of", "2026-11-20", "-f", "jsonl"))] == ["beta_incident"]
    # --kind over the database: only that kind's stored records.
    only = lines(zhidu("conduct", "--kind", "beta_incident", "--serious", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert {(d["subject_id"], d["outcome"]["sanction"]) for d in only} == {("B1", "书面警告"), ("X1", "书面警告")}
    from zhidu.core.workspace import Workspace

    db = Workspace.resolve(profile_path=str(site / "co.toml")).database()
    try:
        from sqlalchemy import text

        with db.engine.connect() as connection:
            recorded = [json.loads(row[0]) if isinstance(row[0], str) else row[0]
                        for row in connection.execute(text("SELECT options FROM runs WHERE command = 'conduct' ORDER BY started_at"))]
    finally:
        db.dispose()
    assert recorded[-1] == {"kind": "beta_incident", "serious": True} and "kind" not in recorded[0]
    # Logged, listed and explained like any other decision.
    listed = lines(zhidu("decisions", "--command", "conduct", "-f", "jsonl"))
    # The latest decision of each subject, of both kinds.
    assert sorted((d["subject_kind"], d["subject_id"], d["outcome"]["sanction"]) for d in listed) == [
        ("alpha_incident", "A1", "口头警告"), ("alpha_incident", "X1", "口头警告"),
        ("beta_incident", "B1", "书面警告"), ("beta_incident", "X1", "书面警告")]
    explained = zhidu("explain", str(only[0]["decision_id"]))
    assert "乙公司员工守则 第三条" in explained.output and "由beta处理" in explained.output


def test_a_file_names_its_kind(site):
    zhidu = company(site)
    path = write(site, "b.csv", [("B7", "王五")])
    unnamed = zhidu("conduct", path, code=2)
    assert "alpha_incident (alpha) and beta_incident (beta)" in unnamed.output and "--kind" in unnamed.output
    assert "Traceback" not in unnamed.output
    named = lines(zhidu("conduct", path, "--kind", "beta_incident", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [(d["subject_kind"], d["subject_id"], d["plugin"]) for d in named] == [("beta_incident", "B7", "beta")]
    wrong = zhidu("conduct", path, "--kind", "customer", code=2)
    assert "Invalid value for '--kind'" in wrong.output


def test_a_command_with_one_kind_needs_no_kind_for_its_file(site):
    zhidu = company(site, "alpha")
    decided = lines(zhidu("conduct", write(site, "a.csv", [("A1", "张三")]), "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [(d["subject_id"], d["plugin"]) for d in decided] == [("A1", "alpha")]


def test_plugins_sharing_a_kind_both_answer_its_records(site):
    zhidu = company(site, "alpha,beta,gamma")
    zhidu("import", "alpha_incident", write(site, "a.csv", [("A1", "张三")]))
    decided = lines(zhidu("conduct", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert sorted((d["subject_kind"], d["plugin"]) for d in decided) == [("alpha_incident", "alpha"), ("alpha_incident", "gamma")]


def test_the_help_and_completion_name_every_kind(site):
    zhidu = company(site)
    helped = zhidu("conduct", "--help").output
    assert "alpha_incident (alpha) or beta_incident (beta)" in helped and "--kind" in helped
    from zhidu.core.clibuild import decision_click_command

    command = decision_click_command(PolicyPlugins(["alpha", "beta"]).commands["conduct"], lambda *a: None)
    [kind] = [p for p in command.params if p.name == "kind"]
    import click

    assert [c.value for c in kind.shell_complete(click.Context(command), "b")] == ["beta_incident"]


def test_declarations_still_must_agree_on_the_hook_and_an_options_behaviour(site):
    plugins = PolicyPlugins(["alpha", "beta"])
    kinds, pm = plugins.kinds, plugins.pm
    own = DecisionCommand("conduct", "违纪", "beta_incident", decide=lambda records, context: [])
    with pytest.raises(CommandError, match="has one owner"):
        build_plans({"alpha": [DecisionCommand("conduct", "违纪", "alpha_incident", hook="assess_conduct")], "beta": [own]}, kinds, pm)
    flag = DecisionCommand("conduct", "违纪", "alpha_incident", hook="assess_conduct", options=(CommandOption("serious", flag=True),))
    value = DecisionCommand("conduct", "违纪", "beta_incident", hook="assess_conduct", options=(CommandOption("serious"),))
    with pytest.raises(CommandError, match="option --serious is declared differently"):
        build_plans({"alpha": [flag], "beta": [value]}, kinds, pm)
    reserved = DecisionCommand("conduct", "违纪", "alpha_incident", hook="assess_conduct", options=(CommandOption("kind"),))
    with pytest.raises(CommandError, match="--kind is the core's option"):
        build_plans({"alpha": [reserved]}, kinds, pm)
