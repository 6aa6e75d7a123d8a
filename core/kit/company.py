"""Throwaway companies and in-process CLI runs, for tests and the conformance check.

``Company`` is a profile and a SQLite database in a directory, with the chosen plugins, preset,
parameter overrides and calendar days; its methods run ``zhidu`` in-process (click's ``CliRunner``)
with ``--profile`` and return the parsed decisions.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

#: What a test run must not inherit from the shell it was started from.
CLEAN_ENV: dict[str, str | None] = {"ZHIDU_PROFILE": None, "ZHIDU_PLUGINS": None, "ZHIDU_TRACE": None}


@dataclass
class CliResult:
    """One in-process ``zhidu`` run: exit code, stdout, stderr, the exception if one escaped, and
    the decisions it printed (JSON lines or a JSON array on stdout)."""

    args: list[str]
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def decisions(self) -> list[dict[str, Any]]:
        text = self.stdout.strip()
        if text.startswith("["):
            return [d for d in json.loads(text) if isinstance(d, dict)]
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    def check(self) -> "CliResult":
        """This result, or an AssertionError with the command and what it said."""
        if self.exit_code != 0:
            raise AssertionError(f"zhidu {' '.join(self.args)} exited {self.exit_code}:\n{self.stderr or self.stdout}"
                                 + (f"\n{type(self.exception).__name__}: {self.exception}" if self.exception and not isinstance(self.exception, SystemExit) else ""))
        return self


def invoke(*args: str, env: Mapping[str, str | None] | None = None, input: str | None = None) -> CliResult:
    """Run ``zhidu ARGS`` in-process, without the caller's ``ZHIDU_*`` variables (unless given in ``env``)."""
    from click.testing import CliRunner

    from ...cli import cli

    runner = CliRunner(env={**CLEAN_ENV, **(env or {})})
    result = runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=True)
    return CliResult([str(a) for a in args], result.exit_code, result.stdout, result.stderr, result.exception)


@dataclass
class Company:
    """A throwaway company: ``profile`` (TOML) and a SQLite database beside it."""

    name: str
    directory: Path
    plugins: list[str]
    profile: Path = field(init=False)

    def __post_init__(self) -> None:
        self.profile = self.directory / f"{self.name}.toml"

    @property
    def database(self) -> Path:
        return self.directory / f"{self.name}.db"

    def invoke(self, *args: str, env: Mapping[str, str | None] | None = None, input: str | None = None) -> CliResult:
        """``zhidu --profile PROFILE ARGS``, in-process."""
        return invoke("--profile", str(self.profile), *args, env=env, input=input)

    def decide(self, command: str, *args: str) -> list[dict[str, Any]]:
        """Run a decision command (over the database unless ARGS name a file); its decisions, parsed."""
        return self.invoke(command, *args, "-f", "jsonl").check().decisions

    def decisions(self, *args: str) -> list[dict[str, Any]]:
        """``zhidu decisions ARGS`` (the current decisions by default), parsed."""
        return self.invoke("decisions", *args, "-f", "jsonl").check().decisions

    def import_rows(self, kind: str, rows: Sequence[Mapping[str, Any]]) -> str:
        """Write rows (field names or Chinese headers) to a file and import them; the import summary."""
        from ..demo import write_sample_file

        folder = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=self.directory))
        path = write_sample_file(folder, kind, [dict(r) for r in rows])
        return self.import_file(kind, path)

    def import_file(self, kind: str, path: str | Path) -> str:
        return self.invoke("import", kind, str(path)).check().stdout

    def import_samples(self) -> list[str]:
        """Import every enabled plugin's sample data (shared kinds first), as `zhidu demo` does."""
        from ..demo import SHARED_ORDER

        samples: dict[str, list[dict[str, Any]]] = {}
        for sample in self.workspace().plugins.samples().values():
            for kind, rows in sample.items():
                samples.setdefault(kind, []).extend(rows)
        order = sorted(samples, key=lambda k: SHARED_ORDER.index(k) if k in SHARED_ORDER else len(SHARED_ORDER))
        return [self.import_rows(kind, samples[kind]) for kind in order]

    def workspace(self) -> Any:
        from ..workspace import Workspace

        return Workspace.resolve(profile_path=str(self.profile))


def create_company(directory: str | Path, plugins: Iterable[str], *, name: str = "testco", company: str | None = None,
                   preset: str | Mapping[str, str] | None = None, parameters: Mapping[str, Mapping[str, Any]] | Mapping[str, Any] | None = None,
                   extra_holidays: Sequence[date] = (), extra_workdays: Sequence[date] = (),
                   timezone: str = "Asia/Shanghai") -> Company:
    """Write ``NAME.toml`` and create ``NAME.db`` (migrated) in ``directory``.

    ``preset``: one preset for every plugin, or plugin -> preset. ``parameters``: plugin -> overrides,
    or (with one plugin) the overrides themselves.
    """
    from ..plugins import PolicyPlugins
    from ..storage.db import open_database

    names = list(plugins)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    specs = PolicyPlugins(names).parameter_specs()
    presets = dict(preset) if isinstance(preset, Mapping) else {n: preset for n in names if preset and n in specs}
    overrides: Mapping[str, Mapping[str, Any]] = parameters or {}
    if parameters and len(names) == 1 and not all(isinstance(v, Mapping) and k in names for k, v in parameters.items()):
        overrides = {names[0]: parameters}
    lines = [f"company = {_toml(company or name)}", f"plugins = {_toml(names)}", f"database = {_toml(name + '.db')}",
             f"timezone = {_toml(timezone)}", "", "[calendar]",
             f"extra_holidays = {_toml(list(extra_holidays))}", f"extra_workdays = {_toml(list(extra_workdays))}"]
    for plugin in names:
        lines += ["", f"[plugin.{plugin}]"]
        if presets.get(plugin):
            lines.append(f"preset = {_toml(presets[plugin])}")
        lines.append(f"[plugin.{plugin}.parameters]")
        lines += [f"{key} = {_toml(value)}" for key, value in (overrides.get(plugin) or {}).items()]
    result = Company(name, folder, names)
    result.profile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    open_database(f"sqlite:///{result.database}", upgrade=True).dispose()
    return result


def _toml(value: Any) -> str:
    """A TOML value: strings, numbers, booleans, dates, lists and inline tables (Decimals as strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Decimal):
        return json.dumps(str(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if value is None:
        raise ValueError("TOML has no null: leave the parameter out to keep its default")
    return json.dumps(str(value), ensure_ascii=False)
