"""Plugin discovery through entry points, selective loading, clear errors, tracing, and how answers combine."""

import json
import subprocess
import sys
import textwrap
import types
from dataclasses import dataclass
from datetime import date

import pytest
from marshmallow import fields

from zhidu.testing import run_cli
from zhidu import hookimpl
from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.decisions import Citation, Rule
from zhidu.core.fields import RecordSchema, zh
from zhidu.core.kinds import RecordKind
from zhidu.core.commandspecs import DecisionCommand
from zhidu.core.engine import PluginAnswerError
from zhidu.core.plugins import PluginError, PolicyPlugins, available_plugins
from zhidu.core.records import Customer
from zhidu.testing import decide


def test_builtin_plugins_are_registered_as_entry_points():
    plugins = available_plugins()
    assert {"petrochem", "realestate"} <= set(plugins)
    assert plugins["petrochem"][1].module == "zhidu.plugins.petrochem.hooks"


def test_enabling_one_plugin_imports_only_that_plugin():
    code = (
        "import sys\n"
        "from zhidu.core.plugins import PolicyPlugins, available_plugins\n"
        "available_plugins()\n"
        "PolicyPlugins(['petrochem'])\n"
        "print([m for m in sys.modules if m.startswith('zhidu.plugins.')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = eval(out)
    assert any(m.startswith("zhidu.plugins.petrochem") for m in loaded)
    assert not any(m.startswith("zhidu.plugins.realestate") for m in loaded)


def test_unknown_plugin_lists_the_available_ones():
    with pytest.raises(PluginError, match=r"unknown plugin\(s\): petrochm; available plugins: .*petrochem"):
        PolicyPlugins(["petrochm"])


def _fake_distribution(tmp_path, module_name, source):
    (tmp_path / f"{module_name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = tmp_path / f"{module_name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module_name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[zhidu.plugins]\n{module_name} = {module_name}\n")
    return {"PYTHONPATH": str(tmp_path)}


def test_plugin_that_fails_to_import_is_named_and_exits_non_zero(tmp_path):
    env = _fake_distribution(tmp_path, "brokenplug", "import not_a_real_module_xyz\n")
    result = run_cli("--plugins", "brokenplug", "config", "show", cwd=tmp_path, env=env)
    assert result.returncode != 0
    assert "plugin 'brokenplug'" in result.stderr and "failed to import" in result.stderr


def test_hook_name_typo_is_named_and_exits_non_zero(tmp_path):
    env = _fake_distribution(tmp_path, "typoplug", """
        from zhidu import hookimpl

        @hookimpl
        def clasify_customer(customers, context):
            return []
    """)
    result = run_cli("--plugins", "typoplug", "config", "show", cwd=tmp_path, env=env)
    assert result.returncode != 0
    assert "typoplug" in result.stderr and "clasify_customer" in result.stderr


def test_third_party_plugin_registers_like_builtins(tmp_path):
    env = _fake_distribution(tmp_path, "extraplug", """
        from zhidu import hookimpl
        from zhidu.core.decisions import Citation, Rule

        from zhidu.core.commandspecs import DecisionCommand

        VIP = Rule("extraplug.vip", Citation("某公司VIP管理办法", "第三条"))

        @hookimpl
        def rule_catalogue():
            return [VIP]

        @hookimpl
        def decision_commands():
            return [DecisionCommand("classify", "VIP分级", "customer", hook="classify_customer")]

        @hookimpl
        def classify_customer(customers, context):
            return [VIP.decide("customer", c.code, {"level": "vip"}, f"{c.name}为VIP客户。") for c in customers]
    """)
    (tmp_path / "c.csv").write_text("code,name\nC1,甲\n", encoding="utf-8")
    result = run_cli("--plugins", "extraplug", "classify", "c.csv", "-f", "jsonl", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["plugin"] == "extraplug" and decision["plugin_version"] == "0.1"
    assert decision["citation"] == "某公司VIP管理办法 第三条"
    listing = run_cli("--plugins", "extraplug", "plugins", "-f", "json", cwd=tmp_path, env=env)
    rows = {r["name"]: r for r in json.loads(listing.stdout)}
    assert rows["extraplug"]["enabled"] and rows["extraplug"]["hooks"] == ["classify_customer", "decision_commands", "rule_catalogue"]
    assert rows["extraplug"]["commands"] == ["classify"]
    assert rows["petrochem"]["enabled"] is False


def test_trace_prints_hook_calls_implementations_and_results(tmp_path):
    (tmp_path / "c.csv").write_text("code,name,销售形式,月提货量\nC1,甲,计划,1500\n", encoding="utf-8")
    result = run_cli("--plugins", "petrochem", "classify", "c.csv", cwd=tmp_path, env={"ZHIDU_TRACE": "1"})
    assert result.returncode == 0, result.stderr
    assert "[zhidu trace] classify: petrochem.classify_customer(1 records)" in result.stderr
    assert "[zhidu trace] classify: petrochem returned 1 decision(s)" in result.stderr and "petrochem." in result.stderr


# --- combining answers -----------------------------------------------------------------------

A = Rule("alpha.route", Citation("甲制度", "第一条"))
B = Rule("beta.route", Citation("乙制度", "第二条"))


@dataclass(slots=True)
class Ticket:
    code: str


class TicketSchema(RecordSchema):
    record_class = Ticket
    code = fields.String(required=True, **zh("编号"))


TICKET = RecordKind("ticket", "工单", TicketSchema, ("code",), "code")


def _plugin(name, rule, handles, steps=1, declares_kind=False, catalogue=None):
    module = types.ModuleType(name)

    @hookimpl
    def record_kinds():
        return [TICKET] if declares_kind else []

    @hookimpl
    def rule_catalogue():
        return [rule] if catalogue is None else catalogue

    @hookimpl
    def decision_commands():
        return [DecisionCommand("route", "分派", "ticket", hook="route_complaint"),
                DecisionCommand("classify", "分级", "customer", hook="classify_customer")]

    @hookimpl
    def route_complaint(complaints, context):
        return [rule.decide("ticket", c.code, {"handler": name, "due_at": None, "step": step}, f"由{name}处理。")
                for c in complaints if c.code in handles for step in range(1, steps + 1)]

    @hookimpl
    def classify_customer(customers, context):
        return [rule.decide("customer", c.code, {"level": name}, f"{name}分级。") for c in customers]

    module.record_kinds = record_kinds
    module.rule_catalogue = rule_catalogue
    module.decision_commands = decision_commands
    module.route_complaint = route_complaint
    module.classify_customer = classify_customer
    module.__version__ = "9.9"
    return module


def _context():
    return DecisionContext(company="t", as_of=date(2026, 11, 20), calendar=WorkCalendar())


def test_first_combine_keeps_every_decision_of_the_first_plugin_that_answers_a_subject():
    plugins = PolicyPlugins([], extra_modules=[("alpha", _plugin("alpha", A, {"T1", "T2"}, declares_kind=True)),
                                               ("beta", _plugin("beta", B, {"T2", "T3"}, steps=2))])
    decisions = decide(plugins, "route", [Ticket("T1"), Ticket("T2"), Ticket("T3")], _context())
    by_subject: dict[str, list] = {}
    for d in decisions:
        by_subject.setdefault(d.subject_id, []).append((d.outcome["handler"], d.outcome["step"]))
    # pluggy's order: the last registered plugin first. beta answers T2 and T3 in two steps each
    # (both kept), alpha only T1.
    assert by_subject == {"T1": [("alpha", 1)], "T2": [("beta", 1), ("beta", 2)], "T3": [("beta", 1), ("beta", 2)]}


def test_all_combine_keeps_every_plugins_answer_and_stamps_each_with_the_implementing_plugin():
    plugins = PolicyPlugins([], extra_modules=[("alpha", _plugin("alpha", A, set(), declares_kind=True)), ("beta", _plugin("beta", B, set()))])
    decisions = decide(plugins, "classify", [Customer("C1", "甲")], _context())
    assert sorted((d.plugin, d.plugin_version, d.outcome["level"]) for d in decisions) == [("alpha", "9.9", "alpha"), ("beta", "9.9", "beta")]
    assert all(d.inputs["code"] == "C1" and len(d.fingerprint) == 64 for d in decisions)


def test_a_rule_outside_the_plugins_own_namespace_is_refused_naming_the_plugin():
    # its catalogue is its own, but its decisions claim rules of 'alpha'
    rogue = _plugin("rogue", A, set(), declares_kind=True, catalogue=[Rule("rogue.route", Citation("甲制度", "第一条"))])
    plugins = PolicyPlugins([], extra_modules=[("rogue", rogue)])
    with pytest.raises(PluginAnswerError, match="plugin 'rogue' .*rule 'alpha.route', outside its namespace 'rogue.\\*'"):
        decide(plugins, "classify", [Customer("C1", "甲")], _context())


def test_a_decision_without_the_outcome_key_the_core_relies_on_is_refused():
    module = _plugin("alpha", A, set(), declares_kind=True)

    @hookimpl
    def classify_customer(customers, context):
        return [A.decide("customer", c.code, {"tier": "x"}, "x") for c in customers]

    module.classify_customer = classify_customer
    plugins = PolicyPlugins([], extra_modules=[("alpha", module)])
    with pytest.raises(PluginAnswerError, match="plugin 'alpha' rule 'alpha.route': classify decision for customer C1 lacks outcome key\\(s\\) level"):
        decide(plugins, "classify", [Customer("C1", "甲")], _context())


def test_two_plugins_declaring_the_same_kind_is_an_error_naming_both():
    plugins = PolicyPlugins([], extra_modules=[("alpha", _plugin("alpha", A, set(), declares_kind=True)),
                                               ("beta", _plugin("beta", B, set(), declares_kind=True))])
    with pytest.raises(PluginError, match="record kind 'ticket' is declared by both plugin 'alpha' and plugin 'beta'"):
        plugins.kinds


def test_implementing_a_decision_hook_without_declaring_its_command_is_an_error():
    module = types.ModuleType("lazy")

    @hookimpl
    def classify_customer(customers, context):
        return []

    module.classify_customer = classify_customer
    plugins = PolicyPlugins([], extra_modules=[("lazy", module)])
    with pytest.raises(PluginError, match="plugin 'lazy' implements classify_customer but declares no 'classify' command"):
        plugins.commands


def test_hooks_are_called_once_per_chunk_and_results_stream():
    from zhidu.core.engine import chunked, decide_chunk

    calls = []
    module = _plugin("alpha", A, set(), declares_kind=True)

    @hookimpl
    def classify_customer(customers, context):
        calls.append(len(customers))
        return [A.decide("customer", c.code, {"level": "x"}, "x") for c in customers]

    module.classify_customer = classify_customer
    plugins = PolicyPlugins([], extra_modules=[("alpha", module)])
    plan = plugins.commands["classify"]
    kind = plugins.kinds.get("customer")

    def customers():
        for i in range(5):
            yield Customer(f"C{i}", "甲")
        raise RuntimeError("the input is read lazily: the first chunk's decisions came out before this")

    stream = (d for chunk in chunked(customers(), 2) for d in decide_chunk(plugins, plan, kind, chunk, _context()))
    assert [next(stream).subject_id for _ in range(4)] == ["C0", "C1", "C2", "C3"]
    assert calls == [2, 2]
