"""`zhidu plugin check NAME`: does a plugin keep the contract the core relies on?

Each check reports PASS or FAIL with its details (INFO lines only inform); any FAIL makes the exit
code 1. The plugin's sample data is imported into a throwaway company (a temporary profile and
SQLite database) and every decision command it declares runs there over the database, as a user
would run it, with the command's ``example_options``; every decision made is then checked.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterator

CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_SHOWN = 5


@dataclass
class Check:
    name: str
    ok: bool = True
    summary: str = ""
    details: list[str] = field(default_factory=list)
    info: bool = False

    def fail(self, detail: str) -> None:
        self.ok = False
        if len(self.details) < MAX_SHOWN:
            self.details.append(detail)
        elif len(self.details) == MAX_SHOWN:
            self.details.append("...")

    def lines(self) -> Iterator[str]:
        status = "INFO" if self.info else ("PASS" if self.ok else "FAIL")
        yield f"{status} {self.name}" + (f": {self.summary}" if self.summary else "")
        yield from (f"     {d}" for d in self.details)


@dataclass
class Report:
    plugin: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def lines(self) -> Iterator[str]:
        yield f"zhidu plugin check {self.plugin}"
        for check in self.checks:
            yield from check.lines()
        failed = [c.name for c in self.checks if not c.ok]
        passed = sum(1 for c in self.checks if c.ok and not c.info)
        yield f"{self.plugin}: {passed} passed, {len(failed)} failed" + (f" ({', '.join(failed)})" if failed else "")


def check_plugin(name: str, as_of: date = date(2026, 11, 20)) -> Report:
    from ..plugins import PluginError, PolicyPlugins, check_names

    check_names([name])
    report = Report(name)
    report.checks.append(_imports_alone(name))
    declarations = Check("declarations")
    report.checks.append(declarations)
    try:
        plugins = PolicyPlugins([name])
        kinds = [k.name for k in plugins.kinds if k.plugin == name]
        commands = [p for p in plugins.commands.values() if name in p.declared_by]
        rules = plugins.rules.rules(name)
        from ..plugincli import registered_commands

        extra = sorted(registered_commands(plugins).get(name, _empty()).commands)
    except Exception as exc:  # noqa: BLE001 - the plugin's declarations are what is checked
        declarations.fail(str(exc) if isinstance(exc, PluginError) else f"{type(exc).__name__}: {exc}")
        return report
    declarations.summary = (f"hooks {', '.join(plugins.hooks_of(name))}; kinds {', '.join(kinds) or '(none)'}; "
                            f"commands {', '.join(p.name for p in commands) or '(none)'}" + (f"; CLI commands {', '.join(extra)}" if extra else ""))
    report.checks.append(_catalogue(name, plugins, commands))
    report.checks.append(_parameters(name, plugins))
    report.checks.append(_bands(name, plugins))
    sample_check, decisions = _run_sample(name, plugins, commands, as_of)
    report.checks.extend(sample_check)
    if decisions is not None:
        report.checks.append(_decisions(name, plugins, commands, decisions))
        report.checks.append(_coverage(name, rules, decisions))
    return report


def _empty() -> Any:
    import click

    return click.Group()


def _guard(check: Check, step: Callable[[], Any]) -> Any:
    try:
        return step()
    except Exception as exc:  # noqa: BLE001 - report the plugin's failure, keep checking
        text = str(exc).strip() or type(exc).__name__
        check.fail(text if text.startswith("plugin ") else f"{type(exc).__name__}: {text}")
        return None


def _imports_alone(name: str) -> Check:
    """Enabled alone in a fresh interpreter, the plugin loads, and no other plugin's code is imported."""
    from ..plugins import available_plugins

    check = Check("imports alone")
    others = sorted({_package(info.module) for other, (_ep, info) in available_plugins().items() if other != name})
    code = (
        "import sys, json\n"
        "from zhidu.core.plugins import PolicyPlugins\n"
        f"p = PolicyPlugins([{name!r}]); p.kinds; p.commands; p.rules; p.parameter_specs()\n"
        f"others = {others!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if any(m == o or m.startswith(o + '.') for o in others))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if run.returncode != 0:
        lines = [line for line in run.stderr.strip().splitlines() if line.strip()]
        check.fail(lines[-1] if lines else f"exit code {run.returncode}")
        return check
    leaked = json.loads(run.stdout.strip().splitlines()[-1])
    if leaked:
        check.fail(f"loading it imports other plugins' modules: {', '.join(leaked)}")
    check.summary = "loads in a fresh interpreter with no other plugin enabled"
    return check


def _package(module: str) -> str:
    """The package of an entry point's module: ``zhidu.plugins.petrochem.hooks`` -> ``zhidu.plugins.petrochem``."""
    return module.rsplit(".", 1)[0] if "." in module else module


def _catalogue(name: str, plugins: Any, commands: list[Any]) -> Check:
    check = Check("rule catalogue")
    rules = plugins.rules.rules(name)
    if commands and not rules:
        check.fail("the plugin answers decision commands but its rule_catalogue is empty")
    for rule in rules:
        if not rule.title.strip():
            check.fail(f"{rule.id} ({rule.citation}) has no title")
    ids = sorted({r.id for r in rules})
    check.summary = f"{len(ids)} rule(s), {len(rules)} citation(s), all in the namespace '{name}.'"
    return check


def _parameters(name: str, plugins: Any) -> Check:
    check = Check("parameters")
    spec = plugins.parameter_specs().get(name)
    if spec is None:
        check.summary = "no parameters declared"
        return check
    if spec.plugin != name:
        check.fail(f"the ParameterSpec names plugin '{spec.plugin}', not '{name}'")
    _guard(check, spec.defaults)
    for preset in spec.presets:
        _guard(check, functools.partial(spec.resolve, preset))
    if spec.default_preset is not None and spec.default_preset not in spec.presets:
        check.fail(f"default preset '{spec.default_preset}' is not one of the presets ({', '.join(spec.presets) or 'none'})")
    for preset in spec.preset_descriptions:
        if preset not in spec.presets:
            check.fail(f"a description is given for preset '{preset}', which does not exist")
    loads = "load" if check.ok else "checked"
    check.summary = f"{len(spec.schema._declared_fields)} parameter(s) {loads} with their defaults and with presets {', '.join(spec.presets) or '(none)'}"
    return check


def _bands(name: str, plugins: Any) -> Check:
    from ..bands import BANDS, band_problems

    check = Check("band tables")
    spec = plugins.parameter_specs().get(name)
    marked = {n: f.metadata[BANDS] for n, f in (spec.schema._declared_fields.items() if spec else ()) if BANDS in f.metadata}
    if not marked:
        check.summary = "no parameter is declared a band table (zhidu.core.bands.band_table)"
        return check
    for label, preset in [("defaults", None), *((f"preset {p}", p) for p in spec.presets)]:
        try:
            values = spec.resolve(preset) if preset else spec.defaults()
        except Exception:  # noqa: BLE001 - a preset that does not load fails the parameters check
            continue
        for field_name, marker in marked.items():
            for problem in band_problems(values.get(field_name), marker):
                check.fail(f"{field_name} ({label}): {problem}")
    check.summary = f"{', '.join(marked)}: " + ("no gap and no overlap in the defaults and every preset" if check.ok else "checked in the defaults and every preset")
    return check


def _run_sample(name: str, plugins: Any, commands: list[Any], as_of: date) -> tuple[list[Check], list[tuple[Any, Any]] | None]:
    """Import the sample into a throwaway company and run every declared command over it."""
    from ..service import RunRequest
    from ..workspace import Workspace
    from .company import create_company

    sample = Check("sample data")
    samples = plugins.samples().get(name) or {}
    if not samples:
        if commands:
            sample.fail("no sample_data: give a small sample of each input kind so the commands can be checked")
        else:
            sample.summary = "no sample and no commands"
        return [sample], None
    runs = Check("commands run on the sample")
    decisions: list[tuple[Any, Any]] = []
    with tempfile.TemporaryDirectory(prefix=f"zhidu-check-{name}-") as folder:
        company = _guard(sample, lambda: create_company(folder, [name], name=f"check-{name}"))
        imported = _guard(sample, company.import_samples) if company is not None else None
        if imported is None:
            return [sample], None
        counts = [re.search(r": (\d+ \w+) record", text) for text in imported]
        sample.summary = "imported " + ", ".join(m.group(1) for m in counts if m) + " record(s) through the normal validation"
        ws = Workspace.resolve(profile_path=str(company.profile), plugins=name)
        done = []
        for plan in commands:
            if plan.input_kind not in samples:
                runs.fail(f"{plan.name}: the sample has no {plan.input_kind} records, so it is not exercised")
                continue
            request = RunRequest(command=plan.name, as_of=as_of, options=_options(plan))
            made = _guard(runs, functools.partial(_decided, ws, request))
            if made is None:
                continue
            if not made:
                runs.fail(f"{plan.name}: ran on the sample but decided nothing; give sample rows it decides")
            decisions.extend((plan, d) for d in made)
            done.append(f"{plan.name} ({len(made)})")
        runs.summary = f"over the database of a throwaway company, as of {as_of}: {', '.join(done) or 'none'}"
    return [sample, runs], decisions


def _decided(ws: Any, request: Any) -> list[Any]:
    from ..service import run_command

    return list(run_command(ws, request))


def _options(plan: Any) -> dict[str, Any]:
    parsed = {}
    for key, value in plan.example_options.items():
        option = plan.option(key)
        parsed[key] = option.parse(value) if option is not None and option.parse and isinstance(value, str) else value
    return parsed


def _decisions(name: str, plugins: Any, commands: list[Any], made: list[tuple[Any, Any]]) -> Check:
    from ..decisions import to_jsonable

    check = Check("decisions")
    for plan, d in made:
        where = f"{plan.name} #{d.decision_id} {d.subject_kind} {d.subject_id} [{d.rule_id}]"
        if not d.rule_id.startswith(name + "."):
            check.fail(f"{where}: rule outside the namespace '{name}.'")
        if d.citation not in plugins.rules.citations(d.rule_id):
            check.fail(f"{where}: cites '{d.citation}', which the catalogue does not give this rule")
        if not (d.citation.document.strip() and d.citation.clause.strip()):
            check.fail(f"{where}: empty citation")
        if not CJK.search(d.explanation or ""):
            check.fail(f"{where}: the explanation is not a Chinese sentence: {d.explanation!r}")
        missing = [k for k in plan.outcome_keys if k not in d.outcome]
        if missing:
            check.fail(f"{where}: outcome lacks {', '.join(missing)}")
        try:
            json.dumps(_strict(to_jsonable(d.outcome)), allow_nan=False)
        except (TypeError, ValueError) as exc:
            check.fail(f"{where}: outcome is not JSON-serialisable: {exc}")
        for problem in money_problems(d.outcome):
            check.fail(f"{where}: {problem}")
    check.summary = (f"{len(made)} decision(s): declared rules and citations, Chinese explanations, outcome keys, "
                     f"JSON outcomes, money that adds up")
    return check


def _strict(value: Any) -> Any:
    """The JSON-ready value, refusing anything JSON has no type for."""
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strict(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"{type(value).__name__} value {value!r}")


def money_problems(outcome: Any) -> list[str]:
    """Outcomes carrying ``shares`` (``{"amount": ...}``) must add up to their ``total`` (or
    ``commission``/``amount``), share fractions to 1; ``deductions`` to a non-null ``total``."""
    problems: list[str] = []
    if not isinstance(outcome, dict):
        return problems
    shares = outcome.get("shares")
    if isinstance(shares, list) and shares and all(isinstance(s, dict) for s in shares):
        if all("amount" in s for s in shares):
            key = next((k for k in ("total", "commission", "amount") if outcome.get(k) is not None), None)
            if key is None:
                problems.append("shares carry amounts but the outcome names no total they split (total, commission or amount)")
            else:
                summed, whole = _sum(s["amount"] for s in shares), _dec(outcome[key])
                if summed is None or whole is None or summed != whole:
                    problems.append(f"share amounts add up to {summed}, not the {key} {outcome[key]}")
        if all("share" in s for s in shares):
            fractions = _sum(s["share"] for s in shares)
            if fractions != 1:
                problems.append(f"share fractions add up to {fractions}, not 1")
    deductions, total = outcome.get("deductions"), outcome.get("total")
    if isinstance(deductions, dict) and deductions and total is not None:
        summed = _sum(deductions.values())
        if summed != _dec(total):
            problems.append(f"deductions add up to {summed}, not the total {total}")
    return problems


def _dec(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None and not isinstance(value, bool) else None
    except (InvalidOperation, ValueError):
        return None


def _sum(values: Any) -> Decimal | None:
    total = Decimal(0)
    for value in values:
        number = _dec(value)
        if number is None:
            return None
        total += number
    return total


def _coverage(name: str, rules: list[Any], made: list[tuple[Any, Any]]) -> Check:
    produced = {d.rule_id for _plan, d in made}
    declared = sorted({r.id for r in rules})
    missing = [r for r in declared if r not in produced]
    check = Check("sample rule coverage", info=True,
                  summary=f"the sample produced {len(declared) - len(missing)} of {len(declared)} rule(s)")
    if missing:
        check.details.append("not produced: " + ", ".join(missing[:20]) + (" ..." if len(missing) > 20 else ""))
    return check
