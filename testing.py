"""zhidu.testing: helpers and pytest fixtures for testing zhidu plugins.

Installed with zhidu and registered as a pytest plugin (the ``pytest11`` entry point), so a plugin's
tests get the fixtures without any conftest:

- ``zhidu_company(plugins=[...], preset=None, parameters=None, extra_holidays=(), ...)``: a throwaway
  company (profile + migrated SQLite database in the test's tmp_path); its ``invoke(*args)`` runs
  ``zhidu --profile ...`` in-process, ``decide(command, *args)`` returns the parsed decisions,
  ``import_rows(kind, rows)`` / ``import_samples()`` load records.
- ``zhidu_context(plugin, preset=None, as_of=AS_OF, overrides=None, calendar=None, **fields)``: a
  ``DecisionContext`` with the plugin's parameters resolved, a fixed ``as_of`` (2026-11-20) and the
  statutory working-day calendar.
- ``zhidu_cli(*args)``: ``zhidu ARGS`` in-process (click's ``CliRunner``), without the caller's
  ``ZHIDU_*`` variables; the result has ``exit_code``, ``stdout``, ``stderr`` and ``decisions``.

Functions: ``make_context``, ``decide`` (run one command's implementations over records: checked,
combined and stamped as the engine does, not logged), ``records`` (rows validated into the kind's
dataclasses), ``invoke``, ``run_cli`` (the console script in a fresh interpreter), ``company``,
``golden_cases`` / ``check_golden`` (a CSV table of inputs and expected decisions, see
``zhidu.core.kit.golden``), ``assert_readme_matches_catalogue``.

Rule coverage: ``pytest --zhidu-rule-coverage=PLUGIN [--zhidu-min-rule-coverage=0.8]`` reports which
of the plugin's catalogued rules the tests made decisions under, and fails the run below the minimum.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from .core.context import DecisionContext
    from .core.decisions import Decision
    from .core.kit.company import CliResult, Company
    from .core.kit.golden import GoldenCase

#: The as-of date of contexts and golden cases unless a test gives another.
AS_OF = date(2026, 11, 20)


def make_context(plugin: str | Sequence[str], preset: str | None = None, as_of: date = AS_OF,
                 overrides: Mapping[str, Any] | None = None, calendar: Any = None, **fields: Any) -> "DecisionContext":
    """A DecisionContext with the plugins' parameters resolved from their specs, as a profile would
    give them: ``preset`` (for every plugin that has it) and ``overrides`` (one plugin: its values;
    several: plugin -> values). Other ``DecisionContext`` fields (``options``, ``period``, ``history``,
    ``command``, ...) as keywords."""
    from .core.calendar import WorkCalendar
    from .core.context import DecisionContext
    from .core.plugins import PolicyPlugins

    names = [plugin] if isinstance(plugin, str) else list(plugin)
    specs = PolicyPlugins(names).parameter_specs()
    if overrides and isinstance(plugin, str) and not (set(overrides) <= set(names) and all(isinstance(v, Mapping) for v in overrides.values())):
        overrides = {plugin: overrides}
    params, presets = {}, {}
    for name in names:
        spec = specs.get(name)
        if spec is None:
            continue
        chosen = preset if len(names) == 1 or preset in spec.presets else None  # one plugin: an unknown preset is an error
        params[name] = spec.resolve(chosen, (overrides or {}).get(name))
        presets[name] = chosen or spec.default_preset
    return DecisionContext(company="test", as_of=as_of, calendar=calendar if calendar is not None else WorkCalendar(),
                           params=params, presets=presets, **fields)


def decide(plugins: Any, command: str, records: Iterable[Any], context: "DecisionContext") -> "list[Decision]":
    """Run one decision command's implementations over records in-process: checked, combined and
    stamped exactly as the engine does, not logged. ``plugins``: a PolicyPlugins or plugin names."""
    from .core.engine import decide_chunk
    from .core.plugins import PolicyPlugins

    if not isinstance(plugins, PolicyPlugins):
        plugins = PolicyPlugins(list(plugins))
    plan = plugins.commands[command]
    chunk = list(records)
    # A command fed from several kinds (conduct: realestate's and retail's incidents) decides the
    # records by the implementations of their own kind.
    return decide_chunk(plugins, plan, plugins.kinds.get(plan.kind_of_records(chunk, plugins.kinds)), chunk, context)


def records(plugins: str | Sequence[str], kind: str, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Rows (field names or Chinese headers, as an export holds them) validated into the kind's
    dataclasses exactly as an import would (a bad row raises the import's error)."""
    import tempfile

    from .core.demo import write_sample_file
    from .core.importer import iter_file_records
    from .core.plugins import PolicyPlugins

    spec = PolicyPlugins([plugins] if isinstance(plugins, str) else list(plugins)).kinds.get(kind)
    with tempfile.TemporaryDirectory() as folder:
        return list(iter_file_records(write_sample_file(Path(folder), spec.name, [dict(r) for r in rows]), spec))


def invoke(*args: str, env: Mapping[str, str | None] | None = None, input: str | None = None) -> "CliResult":
    """``zhidu ARGS`` in-process (click's CliRunner), without the caller's ``ZHIDU_*`` variables."""
    from .core.kit.company import invoke as run

    return run(*args, env=env, input=input)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``zhidu`` console script in a fresh interpreter, without the caller's ``ZHIDU_*`` variables."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIDU_")}
    full_env.update(env or {})
    exe = Path(sys.executable).with_name("zhidu")
    return subprocess.run([str(exe), *args], cwd=cwd, env=full_env, capture_output=True, text=True, input=input)


def company(directory: str | Path, plugins: Iterable[str], **settings: Any) -> "Company":
    """A throwaway company in ``directory``: see ``zhidu.core.kit.company.create_company``."""
    from .core.kit.company import create_company

    return create_company(directory, plugins, **settings)


def golden_cases(path: str | Path, plugins: Sequence[str]) -> "list[GoldenCase]":
    """The cases of a golden CSV, for ``pytest.mark.parametrize("case", golden_cases(...), ids=str)``."""
    from .core.kit.golden import load_cases

    return load_cases(path, plugins)


def check_golden(case: "GoldenCase", as_of: date = AS_OF) -> "list[Decision]":
    """Run a golden case; AssertionError naming the line whose expectation is not met."""
    from .core.kit.golden import run_case

    return run_case(case, as_of)


def assert_readme_matches_catalogue(plugin: str, readme: str | Path, documents: Mapping[str, str] | None = None) -> None:
    """The README's rule table (first table headed ``rule id``) lists exactly the plugin's catalogue
    with its clauses; ``documents``: column header -> document title for one column per document."""
    from .core.kit.readme import mismatches
    from .core.plugins import PolicyPlugins

    problems = mismatches(readme, PolicyPlugins([plugin]).rules.rules(plugin), documents)
    assert not problems, f"{readme} and the {plugin} rule catalogue disagree:\n" + "\n".join(problems)


# --- the pytest plugin -------------------------------------------------------------------------------

try:
    import pytest
except ImportError:  # pragma: no cover - the helpers work without pytest
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    def pytest_addoption(parser: Any) -> None:
        group = parser.getgroup("zhidu", "zhidu plugin testing")
        group.addoption("--zhidu-rule-coverage", action="append", default=[], metavar="PLUGIN",
                        help="Report which of PLUGIN's catalogued rules the tests decided under (repeatable, or a,b).")
        group.addoption("--zhidu-min-rule-coverage", type=float, default=None, metavar="RATIO",
                        help="Fail the run when a --zhidu-rule-coverage plugin's coverage is below RATIO (e.g. 0.8).")

    def pytest_configure(config: Any) -> None:
        plugins = [p.strip() for value in config.getoption("zhidu_rule_coverage") or () for p in value.split(",") if p.strip()]
        if not plugins:
            return
        from .core.kit.coverage import RuleRecorder

        recorder = RuleRecorder()
        recorder.start()
        config._zhidu_coverage = (recorder, plugins, [])

    def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
        state = getattr(session.config, "_zhidu_coverage", None)
        if state is None:
            return
        recorder, plugins, results = state
        recorder.stop()
        results[:] = [recorder.coverage(p) for p in plugins]
        minimum = session.config.getoption("zhidu_min_rule_coverage")
        if minimum is not None and any(r.ratio < minimum for r in results) and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
        state = getattr(config, "_zhidu_coverage", None)
        if state is None:
            return
        _recorder, _plugins, results = state
        minimum = config.getoption("zhidu_min_rule_coverage")
        terminalreporter.section("zhidu rule coverage")
        for result in results:
            terminalreporter.write_line(result.line())
            if minimum is not None and result.ratio < minimum:
                terminalreporter.write_line(f"FAIL: {result.plugin} rule coverage {result.ratio:.0%} is below the required {minimum:.0%}", red=True)

    @pytest.fixture
    def zhidu_company(tmp_path: Path) -> Any:
        """Factory: ``zhidu_company(plugins=["textile"], preset=None, parameters=None, name="testco", ...)``."""
        made: list[str] = []

        def make(plugins: Iterable[str], name: str = "testco", **settings: Any) -> "Company":
            made.append(name)
            return company(tmp_path / f"company-{len(made)}-{name}", plugins, name=name, **settings)

        return make

    @pytest.fixture
    def zhidu_context() -> Any:
        """Factory: ``zhidu_context(plugin, preset=None, as_of=AS_OF, overrides=None, calendar=None, **fields)``."""
        return make_context

    @pytest.fixture
    def zhidu_cli() -> Any:
        """``zhidu_cli(*args, env=None, input=None)``: zhidu in-process; ``.decisions`` parsed."""
        return invoke
