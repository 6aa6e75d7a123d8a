"""`zhidu demo`: one demo company per installed plugin, sample data imported, every decision command run."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import IO, Any

from .commands import import_records, init_profile
from .decisionlog import get_decision
from .output import write_decisions
from .plugins import PolicyPlugins, available_plugins
from .records import SHARED_KINDS
from .service import RunRequest, run_command
from .workspace import Workspace

SHARED_ORDER = tuple(k.name for k in SHARED_KINDS)


def write_sample_file(folder: Path, kind: str, rows: list[dict[str, Any]]) -> Path:
    """Flat rows go to CSV (as a spreadsheet export would); rows with nested values to JSON lines."""
    nested = any(isinstance(v, (dict, list)) for row in rows for v in row.values())
    if nested:
        path = folder / f"{kind}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return path
    path = folder / f"{kind}.csv"
    headers = list(dict.fromkeys(h for row in rows for h in row))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=headers)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_demo(directory: str, as_of: date, out: IO[str]) -> None:
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    for name in available_plugins():
        plugin = PolicyPlugins([name])
        samples: dict[str, list[dict[str, Any]]] = dict(plugin.samples().get(name, {}))
        if not samples:
            continue
        out.write(f"\n===== {name} =====\n")
        folder = root / name
        folder.mkdir(exist_ok=True)
        profile = folder / f"demo-{name}.toml"
        db_file = folder / f"demo-{name}.db"
        for stale in (profile, db_file, db_file.with_name(db_file.name + "-wal"), db_file.with_name(db_file.name + "-shm")):
            stale.unlink(missing_ok=True)
        init_profile(f"demo-{name}", f"示例公司({name})", name, None, str(folder), None)
        ws = Workspace.resolve(profile_path=str(profile))
        # Shared kinds (customers, staff) first, then the plugin's kinds in the order it gave them.
        order = sorted(samples, key=lambda k: SHARED_ORDER.index(k) if k in SHARED_ORDER else len(SHARED_ORDER))
        for kind in order:
            path = write_sample_file(folder, kind, samples[kind])
            out.write(import_records(ws, kind, str(path), None, None) + "\n")
        first_id = None
        for command, plan in ws.commands.items():
            if plan.input_kind not in samples:
                continue
            options = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in plan.example_options.items())
            out.write(f"\n--- zhidu --profile {profile} {command} {options}".rstrip() + " ---\n")
            request = RunRequest(command=command, as_of=as_of, options=_parsed_options(plan, plan.example_options))
            decisions = list(run_command(ws, request))
            write_decisions(decisions, "cards", out)
            if first_id is None and decisions:
                first_id = decisions[0].decision_id
        db = ws.database()
        found = get_decision(db, first_id) if first_id is not None else None
        if found is not None:
            decision, _meta = found
            out.write(f"\n--- zhidu --profile {profile} explain {first_id} ---\n")
            out.write(f"{decision.rule_id} | {decision.citation}\n{decision.explanation}\n")
        db.dispose()
    out.write(f"\nDemo companies are in {root}/: profiles, sample files and SQLite databases.\n")


def _parsed_options(plan, values: dict[str, Any]) -> dict[str, Any]:
    parsed = {}
    for name, value in values.items():
        option = plan.option(name)
        parsed[name] = option.parse(value) if option is not None and option.parse and isinstance(value, str) else value
    return parsed


__all__ = ["run_demo"]
