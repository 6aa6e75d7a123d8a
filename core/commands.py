"""What the CLI commands do, kept out of cli.py so it stays thin and this stays testable."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, Mapping, Sequence

from .decisions import to_jsonable
from .output import write_decisions
from .plugins import PluginError, PolicyPlugins, available_plugins, check_names, parse_plugin_list
from .workspace import Workspace, WorkspaceError


def plugin_rows(ws: Workspace) -> list[dict[str, Any]]:
    enabled = set(ws.plugin_names)
    loaded = ws.plugins
    rows = []
    for name, (_ep, info) in available_plugins().items():
        on = name in enabled
        rows.append(
            {
                "name": name,
                "version": info.version,
                "enabled": on,
                "hooks": loaded.hooks_of(name) if on else ["(disabled: not imported)"],
                "kinds": [k.name for k in ws.kinds if k.plugin == name] if on else [],
                "commands": plugin_commands(ws, name) if on else [],
                "module": info.module,
            }
        )
    return rows


def plugin_commands(ws: Workspace, name: str) -> list[str]:
    """The decision commands a plugin declares, and any extra CLI commands it registers."""
    import click

    declared = [plan.name for plan in ws.commands.values() if name in plan.declared_by]
    group = click.Group()
    impl = getattr(ws.plugins.pm.get_plugin(name), "register_commands", None)
    if impl is not None:
        try:
            impl(cli=group)
        except Exception as exc:
            raise PluginError(f"plugin '{name}': register_commands raised {type(exc).__name__}: {exc}") from exc
    return sorted(set(declared) | set(group.commands))


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
                    "preset_description": spec.preset_descriptions.get(presets.get(name) or "", ""),
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
    db = open_database(profile.database or db_setting, upgrade=True)
    url = db.url
    db.dispose()
    return path, url


def kind_rows(ws: Workspace) -> list[dict[str, Any]]:
    rows = []
    for kind in ws.kinds:
        for field_name, fld in kind.schema._declared_fields.items():
            rows.append(
                {
                    "kind": kind.name,
                    "plugin": kind.plugin,
                    "title_zh": kind.title_zh,
                    "field": field_name,
                    "header_zh": fld.metadata.get("zh", ""),
                    "required": fld.required,
                    "key": field_name in kind.natural_key,
                    "personal": bool(fld.metadata.get("personal")),
                    "type": type(fld).__name__,
                }
            )
    return rows


def import_records(ws: Workspace, kind: str, file: str, input_format: str | None, encoding: str | None,
                   check_only: bool = False) -> str:
    from .importer import check_file, import_file
    from .progress import Progress
    from .runs import COMMITTED, FAILED, Run, finish_run, start_run

    spec = ws.kinds.get(kind)
    if check_only:  # no database opened, no run recorded: a file checked before it is sent
        count, unknown = check_file(file, spec, input_format, encoding)
        return "\n".join([f"{file}: {count} {kind} record(s) valid; nothing stored (--check)",
                          *_ignored_columns(kind, unknown)])
    db = ws.database()
    progress = Progress(f"import {kind}")
    run = start_run(db, Run(command=f"import {spec.name}", company=ws.company, timezone=ws.timezone, as_of=ws.today(),
                            plugin_versions={spec.plugin: ws.plugins.infos[spec.plugin].version} if spec.plugin in ws.plugins.infos else {},
                            options={"file": str(file)}))
    try:
        result, unknown = import_file(db, ws.kinds, spec.name, file, input_format, encoding, progress=progress, run_id=run.id)
    except BaseException as exc:
        finish_run(db, run.id, FAILED, message=f"{type(exc).__name__}: {str(exc)[:1500]}")
        raise
    else:
        finish_run(db, run.id, COMMITTED)
    finally:
        progress.close()
        db.dispose()
    lines = [f"{file}: {result.total} {kind} record(s): {result.new} new, {result.changed} changed, {result.unchanged} unchanged"]
    return "\n".join([*lines, *_ignored_columns(kind, unknown)])


def _ignored_columns(kind: str, unknown: list[str]) -> list[str]:
    return [f"ignored column(s) not known for {kind}: {', '.join(unknown)}"] if unknown else []


def _writing(output: str | None, fmt: str):
    """Where text output goes: the terminal, or FILE — written beside it and moved into place only
    when the run succeeds, so a failed run leaves no half-written file (a workbook is saved whole)."""
    import contextlib
    import os
    import tempfile

    if output is None or fmt == "xlsx":
        return contextlib.nullcontext(sys.stdout)

    @contextlib.contextmanager
    def staged():
        target = Path(output)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                yield fh
            os.replace(temp, target)
        except BaseException:
            os.unlink(temp)
            raise

    return staged()


def emit_rows(rows: list[dict[str, Any]], fmt: str, output: str | None, columns: list[str]) -> None:
    from .output import write_rows

    with _writing(output, fmt) as out:
        write_rows(rows, fmt, out, columns, path=output)


def run_decisions(ws: Workspace, command: str, file: str | None, ids: Sequence[str], input_format: str | None,
                  as_of: date | None, fmt: str, options: Mapping[str, Any], output: str | None = None) -> int:
    from .progress import Progress
    from .service import RunRequest, run_command

    if ids and file:
        raise WorkspaceError("--id selects stored records; it does not combine with FILE")
    request = RunRequest(command=command, input_path=file, input_format=input_format, ids=list(ids) or None,
                         as_of=as_of, options={k: v for k, v in options.items() if v is not None and v is not False})
    progress = Progress(command)
    try:
        with _writing(output, fmt) as out:
            return write_decisions(run_command(ws, request, progress), fmt, out, zone=ws.timezone, path=output)
    finally:
        progress.close()


def explain(ws: Workspace, decision_id: int, fmt: str, show_personal: bool = False) -> str:
    from .decisionlog import get_decision
    from .output import local_time

    db = ws.database()
    try:
        found = get_decision(db, decision_id)
        if found is not None and show_personal:
            _unmask(ws, db, found[0])
    finally:
        db.dispose()
    if found is None:
        raise WorkspaceError(f"no decision #{decision_id} in {db.url}")
    decision, meta = found
    zone = meta.get("timezone") or ws.timezone
    decided = local_time(meta["decided_at"], zone)
    data = decision.to_dict() | meta | {"decided_at": decided}
    if fmt != "table":
        return json.dumps(to_jsonable(data), ensure_ascii=False, indent=2) + "\n"
    status = "" if meta["run_status"] == "committed" else f"  [run {meta['run_status']}: this decision does not count]"
    lines = [
        f"决策 #{decision.decision_id}  ({meta['command']}, {decided}, 依据日期 {meta['as_of']}, {meta['company']}){status}",
        f"对象:   {decision.subject_kind} {decision.subject_id}",
        f"结论:   {json.dumps(to_jsonable(decision.outcome), ensure_ascii=False)}",
        f"规则:   {decision.rule_id}",
        f"依据:   {decision.citation}",
        f"说明:   {decision.explanation}",
        f"插件:   {decision.plugin} {decision.plugin_version}",
        f"参数:   {json.dumps(to_jsonable(decision.parameters), ensure_ascii=False)}",
        f"输入:   {json.dumps(to_jsonable(decision.inputs), ensure_ascii=False)}",
        f"指纹:   {decision.fingerprint}",
        f"运行:   {meta['run_id']}",
    ]
    return "\n".join(lines) + "\n"


def _unmask(ws: Workspace, db: Any, decision: Any) -> None:
    """--show-personal: the log holds personal fields masked; show the subject record's clear values."""
    from .store import lookup

    if decision.subject_kind not in ws.kinds or not isinstance(decision.inputs, dict):
        return
    kind = ws.kinds.get(decision.subject_kind)
    records = lookup(db, ws.kinds, kind.name, [decision.subject_id]).get(decision.subject_id)
    if not records:
        return
    for name in kind.personal_fields & decision.inputs.keys():
        decision.inputs[name] = getattr(records[-1], name)


def list_decisions(ws: Workspace, fmt: str, output: str | None = None, **filters: Any) -> int:
    from .decisionlog import query_decisions

    db = ws.database()
    try:
        with _writing(output, fmt) as out:
            return write_decisions(query_decisions(db, **filters), fmt, out, zone=ws.timezone, path=output)
    finally:
        db.dispose()
