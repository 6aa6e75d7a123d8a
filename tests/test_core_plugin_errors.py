"""Errors of plugins are reported, never swallowed: an import failure, a register_commands that raises,
a bug inside a plugin's command or hook each give one line naming the plugin and exit 1, for
`zhidu plugins` too; ZHIDU_TRACE=1 shows the traceback."""

import textwrap
import traceback

import pytest
from click.testing import CliRunner

from zhidu.cli import cli
from zhidu.core.plugins import PluginFailure, available_plugins

CLEAN = {"ZHIDU_PROFILE": None, "ZHIDU_PLUGINS": None, "ZHIDU_TRACE": None}
TRACE = CLEAN | {"ZHIDU_TRACE": "1"}

HEAD = '''
from dataclasses import dataclass
from zhidu import hookimpl
from zhidu.core.commandspecs import DecisionCommand
from zhidu.core.decisions import Citation, Rule

COUNT = Rule("{name}.count", Citation("某制度", "第一条"), "计数")

@hookimpl
def rule_catalogue():
    return [COUNT]
'''

BUGGY_COMMAND = '''
def tally(customers, context):
    per_customer = 0
    return [COUNT.decide("customer", c.code, {{"n": len(customers) / per_customer}}, "计数。") for c in customers]

@hookimpl
def decision_commands():
    return [DecisionCommand("tally", "计数", "customer", decide=tally)]
'''

RAISING_REGISTER = '''
import click

@hookimpl
def register_commands(cli):
    raise RuntimeError("the plugin's commands could not be built")
'''

BUGGY_CLICK_COMMAND = '''
import click

@hookimpl
def register_commands(cli):
    @cli.command("hello")
    def hello():
        {{}}["missing"]
'''

RAISING_DECLARATION = '''
@hookimpl
def record_kinds():
    raise TypeError("kinds are not ready")
'''


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """plugin(name, source): install a one-module plugin distribution on sys.path."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))

    def install(name, body, head=HEAD):
        module = f"{name}_policy"
        (site / f"{module}.py").write_text(textwrap.dedent(head.format(name=name) + body.format(name=name)), encoding="utf-8")
        info = site / f"{module}-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 0.1\n")
        (info / "entry_points.txt").write_text(f"[zhidu.plugins]\n{name} = {module}\n")
        available_plugins.cache_clear()
        return module

    yield install
    available_plugins.cache_clear()


def _one_error_line(result, *words):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and all(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in result.output


def test_a_plugin_that_fails_to_import_is_one_line_for_commands_and_for_plugins(plugin, tmp_path):
    plugin("broken", "import not_a_real_module_xyz\n")
    runner = CliRunner(env=CLEAN)
    (tmp_path / "c.csv").write_text("code,name\nC1,甲\n", encoding="utf-8")
    result = runner.invoke(cli, ["--plugins", "broken", "classify", str(tmp_path / "c.csv")])
    assert result.exit_code == 1
    _one_error_line(result, "plugin 'broken'", "failed to import", "No module named 'not_a_real_module_xyz'")
    listed = runner.invoke(cli, ["--plugins", "broken", "plugins", "-f", "jsonl"])
    assert listed.exit_code == 1
    _one_error_line(listed, "plugin 'broken'", "failed to import")
    assert '"name": "broken"' in listed.stdout and '"enabled": true' in listed.stdout  # the listing still comes
    helped = runner.invoke(cli, ["--plugins", "broken", "--help"])
    assert helped.exit_code == 0 and "import" in helped.stdout
    assert "Warning: plugin commands not listed: plugin 'broken'" in helped.stderr


def test_under_trace_an_import_failure_shows_its_traceback(plugin):
    plugin("broken2", "import not_a_real_module_xyz\n")
    result = CliRunner(env=TRACE).invoke(cli, ["--plugins", "broken2", "plugins"])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "import not_a_real_module_xyz" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("Error: plugin 'broken2'")


def test_a_register_commands_that_raises_is_named_not_no_such_command(plugin):
    plugin("raiser", RAISING_REGISTER)
    runner = CliRunner(env=CLEAN)
    result = runner.invoke(cli, ["--plugins", "raiser", "hello"])
    assert result.exit_code == 1 and "No such command" not in result.output
    _one_error_line(result, "plugin 'raiser'", "register_commands raised RuntimeError", "could not be built")
    listed = runner.invoke(cli, ["--plugins", "raiser", "plugins"])
    assert listed.exit_code == 1
    _one_error_line(listed, "plugin 'raiser'", "register_commands raised RuntimeError")
    traced = CliRunner(env=TRACE).invoke(cli, ["--plugins", "raiser", "hello"])
    assert traced.exit_code == 1 and "Traceback" in traced.stderr and 'raise RuntimeError("the plugin' in traced.stderr


def test_a_bug_inside_a_plugins_decision_command_names_plugin_command_and_function(plugin, tmp_path):
    plugin("buggy", BUGGY_COMMAND)
    (tmp_path / "c.csv").write_text("code,name\nC1,甲\n", encoding="utf-8")
    result = CliRunner(env=CLEAN).invoke(cli, ["--plugins", "buggy", "tally", str(tmp_path / "c.csv")])
    assert result.exit_code == 1
    _one_error_line(result, "plugin 'buggy' failed in command tally (buggy_policy.tally)", "ZeroDivisionError", "ZHIDU_TRACE=1")
    assert "internal error" not in result.stderr
    traced = CliRunner(env=TRACE).invoke(cli, ["--plugins", "buggy", "tally", str(tmp_path / "c.csv")])
    assert isinstance(traced.exception, PluginFailure) and isinstance(traced.exception.__cause__, ZeroDivisionError)
    frames = "".join(traceback.format_exception(*traced.exc_info))
    assert "buggy_policy.py" in frames and "len(customers) / per_customer" in frames


def test_a_bug_over_the_database_fails_the_run_naming_the_plugin(plugin, tmp_path):
    plugin("buggy3", BUGGY_COMMAND)
    runner = CliRunner(env=CLEAN)
    assert runner.invoke(cli, ["init", "co", "--plugins", "buggy3", "--dir", str(tmp_path)]).exit_code == 0
    profile = str(tmp_path / "co.toml")
    (tmp_path / "c.csv").write_text("code,name\nC1,甲\n", encoding="utf-8")
    assert runner.invoke(cli, ["--profile", profile, "import", "customer", str(tmp_path / "c.csv")]).exit_code == 0
    result = runner.invoke(cli, ["--profile", profile, "tally"])
    assert result.exit_code == 1
    _one_error_line(result, "plugin 'buggy3' failed in command tally", "ZeroDivisionError")


def test_a_bug_inside_a_command_a_plugin_registered_is_named(plugin):
    plugin("clicky", BUGGY_CLICK_COMMAND)
    result = CliRunner(env=CLEAN).invoke(cli, ["--plugins", "clicky", "hello"])
    assert result.exit_code == 1
    _one_error_line(result, "plugin 'clicky' failed in command 'hello' (clicky_policy.register_commands.<locals>.hello)", "KeyError")
    traced = CliRunner(env=TRACE).invoke(cli, ["--plugins", "clicky", "hello"])
    assert traced.exit_code == 1 and "Traceback" in traced.stderr and '["missing"]' in traced.stderr


def test_a_declaration_hook_that_raises_is_named_for_plugins_too(plugin):
    plugin("declarer", RAISING_DECLARATION)
    runner = CliRunner(env=CLEAN)
    listed = runner.invoke(cli, ["--plugins", "declarer", "plugins"])
    assert listed.exit_code == 1
    _one_error_line(listed, "plugin 'declarer': record_kinds() raised TypeError: kinds are not ready")
    kinds = runner.invoke(cli, ["--plugins", "declarer", "kinds"])
    assert kinds.exit_code == 1
    _one_error_line(kinds, "plugin 'declarer': record_kinds() raised TypeError")


def test_a_value_error_inside_a_hook_keeps_its_words_and_names_the_plugin():
    import types

    from zhidu import hookimpl
    from zhidu.core.commandspecs import DecisionCommand
    from zhidu.core.decisions import Citation, Rule
    from zhidu.core.plugins import PolicyPlugins
    from zhidu.core.records import Customer
    from zhidu.testing import decide, make_context

    module = types.ModuleType("picky")

    def decide_fn(records, context):
        raise ValueError("rating 'excellent' is not on the scale")

    module.rule_catalogue = hookimpl(lambda: [Rule("picky.r", Citation("制度", "第一条"))])
    module.decision_commands = hookimpl(lambda: [DecisionCommand("pick", "挑选", "customer", decide=decide_fn)])
    plugins = PolicyPlugins([], extra_modules=[("picky", module)])
    with pytest.raises(PluginFailure, match=r"^plugin 'picky' \(command pick \(.*decide_fn\)\): rating 'excellent' is not on the scale$"):
        decide(plugins, "pick", [Customer("C1", "甲")], make_context("petrochem"))
