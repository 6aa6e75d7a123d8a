"""What the CLI commands do, kept out of cli.py so it stays thin and this stays testable."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, Mapping, Sequence

from .decisions import to_jsonable
from .output import write_decisions
from .plugins import PolicyPlugins, available_plugins, check_names, parse_plugin_list
from .workspace import Workspace, WorkspaceError


def plugin_rows(ws: Workspace) -> list[dict[str, Any]]:
    enabled = set(ws.plugin_names)
    loaded = ws.plugins
    rows = []
    for name, (_ep, info) in available_plugins().items():
        rows.append(
            {
                "name": name,
                "version": info.version,
                "enabled": name in enabled,
                "hooks": loaded.hooks_of(name) if name in enabled else ["(disabled: not imported)"],
                "commands": plugin_commands(loaded, name) if name in enabled else [],
                "module": info.module,
            }
        )
    return rows




def plugin_commands(plugins: PolicyPlugins, name: str) -> list[str]:
    import click

    group = click.Group()
    plugin = plugins.pm.get_plugin(name)
    impl = getattr(plugin, "register_commands", None)
    if impl is not None:
        impl(cli=group)
    return sorted(group.commands)


def config_rows(ws: Workspace) -> list[dict[str, Any]]:
    params, presets = ws.resolved
    rows = []
    for name, spec in ws.plugins.parameter_specs().items():
        for item in spec.describe():
            rows.append(
                {
                    "plugin": name,
                    "parameter": item["name"],
                    "value": params[name].get(item["name"]),
                    "default": item["default"],
                    "preset": presets.get(name),
                    "presets": list(spec.presets),
                    "description": item["description"],
                }
            )
    return rows


def init_profile(name: str, company: str | None, plugin_list: str, preset: str | None, directory: str, database: str | None) -> tuple[Path, str]:
    from .profile import load_profile, render_profile
    from .storage.db import open_database

    names = parse_plugin_list(plugin_list) or []
    if not names:
        raise WorkspaceError("--plugins needs at least one plugin")
    check_names(names)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    if path.exists():
        raise WorkspaceError(f"{path} already exists; edit it or choose another NAME")
    plugins = PolicyPlugins(names)
    specs = plugins.parameter_specs()
    presets: dict[str, str | None] = {}
    for plugin in names:
        spec = specs.get(plugin)
        if preset and spec is not None:
            if preset not in spec.presets:
                raise WorkspaceError(f"{plugin}: unknown preset '{preset}'; presets: {', '.join(spec.presets)}")
            presets[plugin] = preset
        elif spec is not None:
            presets[plugin] = spec.default_preset
    db_setting = database or f"{name}.db"
    path.write_text(render_profile(company or name, names, db_setting, presets), encoding="utf-8")
    profile = load_profile(path)
    db = open_database(profile.database, upgrade=True)
    url = db.url
    db.dispose()
    return path, url


def kind_rows() -> list[dict[str, Any]]:
    from .records import KINDS

    rows = []
    for kind in KINDS.values():
        for field_name, fld in kind.schema._declared_fields.items():
            rows.append(
                {
                    "kind": kind.name,
                    "field": field_name,
                    "header_zh": fld.metadata.get("zh", ""),
                    "required": fld.required,
                    "type": type(fld).__name__,
                }
            )
    return rows


def import_records(ws: Workspace, kind: str, file: str, input_format: str | None, encoding: str | None) -> str:
    from .importer import import_file
    from .progress import Progress
    from .records import get_kind

    try:
        get_kind(kind)
    except KeyError as exc:
        raise WorkspaceError(str(exc.args[0])) from None
    db = ws.database()
    progress = Progress(f"import {kind}")
    try:
        result, unknown = import_file(db, kind, file, input_format, encoding, progress=progress)
    finally:
        progress.close()
        db.dispose()
    lines = [f"{file}: {result.total} {kind} record(s): {result.new} new, {result.changed} changed, {result.unchanged} unchanged"]
    if unknown:
        lines.append(f"ignored column(s) not known for {kind}: {', '.join(unknown)}")
    return "\n".join(lines)


def run_decisions(ws: Workspace, command: str, file: str | None, ids: Sequence[str], input_format: str | None,
                  as_of: date | None, fmt: str, extra: Mapping[str, Any]) -> int:
    from .progress import Progress
    from .service import RunRequest, run_command

    options = {k: v for k, v in extra.items() if v not in (None, False)}
    request = RunRequest(
        command=command,
        input_path=file,
        input_format=input_format,
        ids=list(ids) or None,
        as_of=as_of,
        period=options.pop("review", None),
        volumes_path=options.pop("volumes", None),
        events_path=options.pop("events", None),
        options=options,
    )
    if ids and file:
        raise WorkspaceError("--id selects stored records; it does not combine with FILE")
    progress = Progress(command)
    try:
        return write_decisions(run_command(ws, request, progress), fmt, sys.stdout)
    finally:
        progress.close()


def explain(ws: Workspace, decision_id: int, fmt: str) -> str:
    from .decisionlog import get_decision

    db = ws.database()
    try:
        found = get_decision(db, decision_id)
    finally:
        db.dispose()
    if found is None:
        raise WorkspaceError(f"no decision #{decision_id} in {db.url}")
    decision, meta = found
    data = decision.to_dict() | meta
    if fmt != "table":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = [
        f"决策 #{decision.decision_id}  ({meta['command']}, {meta['decided_at']}, 依据日期 {meta['as_of']}, {meta['company']})",
        f"对象:   {decision.subject_kind} {decision.subject_id}",
        f"结论:   {json.dumps(to_jsonable(decision.outcome), ensure_ascii=False)}",
        f"规则:   {decision.rule_id}",
        f"依据:   {decision.citation}",
        f"说明:   {decision.explanation}",
        f"插件:   {decision.plugin} {decision.plugin_version}",
        f"参数:   {json.dumps(to_jsonable(decision.parameters), ensure_ascii=False)}",
        f"输入:   {json.dumps(to_jsonable(decision.inputs), ensure_ascii=False)}",
        f"指纹:   {decision.fingerprint}",
    ]
    return "\n".join(lines) + "\n"


def list_decisions(ws: Workspace, fmt: str, **filters: Any) -> int:
    from .decisionlog import query_decisions

    db = ws.database()
    try:
        return write_decisions(query_decisions(db, **filters), fmt, sys.stdout)
    finally:
        db.dispose()
