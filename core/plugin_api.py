"""What a plugin's own CLI commands (the `register_commands` hook) use, so that they read files,
resolve parameters and print decisions exactly as the core's commands do.

```python
@click.command("allocate")
@click.argument("file")
def allocate(file):
    params = plugin_api.parameters("petrochem")
    requests = plugin_api.read_records(file, AllocationRequestSchema)
    plugin_api.emit(rules.allocate(requests, params), {r.customer_code: r for r in requests})
```
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterable, Mapping

import click

from .decisions import Decision
from .engine import stamp
from .importer import ImportFailed, iter_file_records
from .output import write_decisions
from .records import RecordKind, RecordSchema
from .workspace import Workspace


def workspace() -> Workspace:
    """The workspace of the running `zhidu` command (profile, enabled plugins, parameters)."""
    from ..cli import workspace as cli_workspace

    return cli_workspace(click.get_current_context())


def parameters(plugin: str, preset: str | None = None) -> dict[str, Any]:
    """The plugin's parameters in force; ``preset`` replaces the profile's preset (overrides stay)."""
    ws = workspace()
    if preset is None:
        return dict(ws.resolved[0][plugin])
    spec = ws.plugins.parameter_specs()[plugin]
    overrides = ws.profile.overrides_for(plugin) if ws.profile else {}
    try:
        return spec.resolve(preset, overrides)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def read_records(path: str | Path, schema: type[RecordSchema], name: str | None = None) -> list[Any]:
    """Every record of a CSV / JSON / JSON lines / XLSX file, validated by the plugin's schema with the
    core's header mapping (English or Chinese); on any bad row, every error and exit status 1."""
    kind = RecordKind.for_schema(name or schema.__name__, schema)
    try:
        return list(iter_file_records(path, kind))
    except ImportFailed as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


def emit(decisions: Iterable[Decision], inputs_by_subject: Mapping[str, Any] | None = None, fmt: str = "jsonl") -> int:
    """Stamp (plugin, version, inputs, fingerprint) and print decisions like the core's commands."""
    plugins = workspace().plugins
    by_subject = dict(inputs_by_subject or {})
    return write_decisions((stamp(plugins, d, by_subject) for d in decisions), fmt, sys.stdout)
