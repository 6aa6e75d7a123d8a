"""Shell completion (click's): plugin names, record kinds, presets and review periods.

Enable it once per shell: ``eval "$(_ZHIDU_COMPLETE=bash_source zhidu)"`` (zsh: ``zsh_source``,
fish: ``fish_source``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import click
from click.shell_completion import CompletionItem


def plugins(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from .plugins import available_plugins

    # A comma-separated list: complete the last name.
    head, _, last = incomplete.rpartition(",")
    prefix = head + "," if head else ""
    return [CompletionItem(prefix + name, help=info.version) for name, (_ep, info) in available_plugins().items() if name.startswith(last)]


def _workspace(ctx: click.Context) -> Any:
    from .workspace import Workspace

    root = ctx.find_root()
    params = root.params or {}
    return Workspace.resolve(profile_path=params.get("profile"), plugins=params.get("plugins"), db=params.get("db"))


def kinds(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    try:
        ws = _workspace(ctx)
        return [CompletionItem(k.name, help=k.title_zh) for k in ws.kinds if k.name.startswith(incomplete)]
    except Exception:  # completion never prints an error into the user's shell
        return []


def presets(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    try:
        ws = _workspace(ctx)
        names = {p for spec in ws.plugins.parameter_specs().values() for p in spec.presets}
    except Exception:
        return []
    return [CompletionItem(p) for p in sorted(names) if p.startswith(incomplete)]


def periods(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    year = date.today().year
    found = []
    for y in (year - 1, year):
        found += [f"{y}", f"{y}H1", f"{y}H2"] + [f"{y}Q{q}" for q in range(1, 5)] + [f"{y}-{m:02d}" for m in range(1, 13)]
    return [CompletionItem(p) for p in found if p.startswith(incomplete)]
