"""Helpers shared by the test modules (a uniquely named module: a plugin's test folder may have its own conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path


def make_context(plugin: str, preset: str | None = None, as_of: date = date(2026, 11, 20), **kwargs):
    """A DecisionContext with one plugin's parameters resolved from its ParameterSpec."""
    from zhidu.core.calendar import WorkCalendar
    from zhidu.core.context import DecisionContext
    from zhidu.core.plugins import PolicyPlugins

    specs = PolicyPlugins([plugin]).parameter_specs()
    overrides = kwargs.pop("overrides", None)
    params = {plugin: specs[plugin].resolve(preset, overrides)} if plugin in specs else {}
    return DecisionContext(company="test", as_of=as_of, calendar=kwargs.pop("calendar", WorkCalendar()), params=params, **kwargs)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed `zhidu` console script in a fresh interpreter."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIDU_")}
    full_env.update(env or {})
    exe = Path(sys.executable).with_name("zhidu")
    return subprocess.run([str(exe), *args], cwd=cwd, env=full_env, capture_output=True, text=True, input=input)


def decide(plugins, command: str, records, context):
    """Run one decision command's implementations over records in-process (checked, combined, stamped).

    ``plugins``: a PolicyPlugins or a list of plugin names."""
    from zhidu.core.engine import decide_chunk
    from zhidu.core.plugins import PolicyPlugins

    if not isinstance(plugins, PolicyPlugins):
        plugins = PolicyPlugins(list(plugins))
    plan = plugins.commands[command]
    return decide_chunk(plugins, plan, plugins.kinds.get(plan.input_kind), list(records), context)
