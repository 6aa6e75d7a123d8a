"""A company for the report tests: plugins' sample data imported and every sample command run
through the CLI in-process, as `zhidu demo` does, but in one profile and on a given day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner


def make_company(folder: Path, plugins: str, company: str = "华北示例集团", as_of: date = date(2026, 11, 20),
                 database: str | None = None):
    """Returns ``zhidu(*args, ok=True)`` running the CLI with the company's profile."""
    from zhidu.cli import cli
    from zhidu.core.demo import write_sample_file
    from zhidu.core.plugins import PolicyPlugins
    from zhidu.core.records import SHARED_KINDS

    runner = CliRunner()
    args = ["init", "co", "--company", company, "--plugins", plugins, "--dir", str(folder)]
    made = runner.invoke(cli, args + (["--database", database] if database else []), obj={})
    assert made.exit_code == 0, made.output
    profile = str(folder / "co.toml")

    def zhidu(*args, ok=True):
        result = runner.invoke(cli, ["--profile", profile, *args], obj={})
        if ok:
            assert result.exit_code == 0, result.output
        return result

    loaded = PolicyPlugins(plugins.split(","))
    shared = [k.name for k in SHARED_KINDS]
    samples_dir = folder / "samples"
    samples_dir.mkdir(exist_ok=True)
    for plugin, samples in loaded.samples().items():
        part = samples_dir / plugin
        part.mkdir(exist_ok=True)
        for kind in sorted(samples, key=lambda k: shared.index(k) if k in shared else len(shared)):
            zhidu("import", kind, str(write_sample_file(part, kind, samples[kind])))
        for name, plan in loaded.commands.items():
            if plugin not in plan.declared_by or plan.input_kinds.get(plugin) not in samples:
                continue
            options = [part for k, v in plan.example_options.items() for part in (f"--{k.replace('_', '-')}", str(v))]
            zhidu(name, "--as-of", as_of.isoformat(), *options, "-f", "jsonl")
    return zhidu


def sheet_table(ws, first_header):
    """A section sheet's table: the rows under its header row, up to the first blank row."""
    table = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(table) if r and r[0] == first_header)
    rows = []
    for r in table[at + 1:]:
        if not r or r[0] is None:
            break
        rows.append(dict(zip(table[at], r)))
    return rows
