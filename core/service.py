"""Run a decision command: records from the database or a file, decided in chunks, checked,
stamped, logged in the run's short per-chunk transactions, and yielded for output.

Nothing here knows a command or a kind by name: every difference between commands comes from
their declarations (``core.commandspecs``) and their kinds' (``core.kinds``).
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from .commandspecs import KIND_OPTION, CommandPlan
from .context import DecisionContext
from .decisionlog import DecisionLogWriter
from .decisions import Decision
from .engine import CHUNK_SIZE, bulk_work, chunked, decide_chunk, replay_chunk
from .errors import one_line
from .history import DatabaseHistory, FileRunHistory, History, MemoryHistory
from .importer import iter_file_records
from .runs import COMMITTED, FAILED, Run, finish_run, start_run
from .workspace import Workspace, WorkspaceError


@dataclass
class RunRequest:
    command: str
    input_path: str | None = None
    input_format: str | None = None
    ids: Sequence[str] | None = None
    as_of: date | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    chunk_size: int = CHUNK_SIZE
    # For a command fed from several input kinds: FILE's kind (required then), or over the
    # database only this kind's records (default: every kind the command reads).
    kind: str | None = None


def plan_for(ws: Workspace, name: str) -> CommandPlan:
    plan = ws.commands.get(name)
    if plan is None:
        known = ", ".join(ws.commands) or "(none)"
        raise WorkspaceError(f"no enabled plugin declares the decision command '{name}'; commands: {known}")
    return plan


def file_settings(path: str | None, plan: CommandPlan) -> dict[str, Any]:
    """A JSON input file may be an object holding its rows under "records" beside values of the
    command's options (``{"available": 1000, "month": "2026-08", "records": [...]}``)."""
    if not path or Path(path).suffix.lower() != ".json":
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return {}  # the importer reports the file's problem with its position
    if not isinstance(data, dict):
        return {}
    values = {}
    for option in plan.options:
        if option.name not in data or data[option.name] is None:
            continue
        value = data[option.name]
        # Checked exactly as the same option on the command line would be.
        try:
            if option.flag:
                if not isinstance(value, bool):
                    raise ValueError("must be true or false")
            elif option.choices and value not in option.choices:
                raise ValueError(f"'{value}' is not one of {', '.join(option.choices)}")
            elif option.parse is not None:
                value = option.parse(str(value))
        except (ValueError, ArithmeticError) as exc:
            raise WorkspaceError(f"{path}: whole file: column '{option.name}': {one_line(exc)} (the {option.cli_name} option)") from None
        values[option.name] = value
    return values


def input_kinds(plan: CommandPlan, chosen: str | None, from_file: bool) -> tuple[str, ...]:
    """The kinds a run reads: FILE holds one kind (the only one, or the one named); over the
    database every kind the command reads, or the one named."""
    if chosen is not None:
        if chosen not in plan.kinds:
            raise WorkspaceError(f"{plan.name} reads {', '.join(plan.kinds)}; not '{chosen}' (--{KIND_OPTION})")
        return (chosen,)
    if from_file and len(plan.kinds) > 1:
        raise WorkspaceError(f"{plan.name} reads {' and '.join(plan.kinds_by_plugin())}: name the kind of the file with --{KIND_OPTION}")
    return plan.kinds


def run_command(ws: Workspace, req: RunRequest, progress: Callable[[int], None] | None = None) -> Iterator[Decision]:
    plan = plan_for(ws, req.command)
    kinds = ws.kinds
    given = {k: v for k, v in req.options.items() if v is not None and k != KIND_OPTION}
    read = [kinds.get(name) for name in input_kinds(plan, req.kind or req.options.get(KIND_OPTION), req.input_path is not None)]
    options = {**file_settings(req.input_path, plan), **given}
    keep = [o.keep_if_outcome for o in plan.options if o.keep_if_outcome and options.get(o.name)]
    period = options.get(plan.period_option) if plan.period_option else None
    ids = list(req.ids or ())

    if req.input_path is not None:
        files, replay_files = _file_history(ws, plan, options)
        db = ws.database_if_ready()
        history: History = files if db is None else FileRunHistory(files, DatabaseHistory(db, kinds))
        path = req.input_path

        def records_of(kind: Any) -> Iterable[Any]:
            return iter_file_records(path, kind, req.input_format)

        def replay_records(kind: Any) -> Iterable[Any]:
            return replay_files.get(kind.name, [])
    else:
        for option in plan.options:
            if option.records_kind and options.get(option.name):
                raise WorkspaceError(f"{option.cli_name} names a file for a run from FILE; over the database the stored {option.records_kind} records are used")
        db = ws.database()
        stored_db = db
        history = DatabaseHistory(db, kinds)

        def records_of(kind: Any) -> Iterable[Any]:
            return _stored(stored_db, kinds, kind, _selected(kind, ids), req.chunk_size)

        def replay_records(kind: Any) -> Iterable[Any]:
            return _stored(stored_db, kinds, kind, None, req.chunk_size)
        if progress is not None and getattr(progress, "enabled", False):
            from .store import count_records

            progress.total = sum(count_records(db, kinds, kind.name, _selected(kind, ids)) for kind in read)  # type: ignore[attr-defined]

    context = ws.context(as_of=req.as_of, period=period, options=options, history=history, command=plan.name)
    if req.input_path is None:
        context.late_entries = _late_entries(ws, db, plan)
    run = None
    log = None
    if db is not None:
        # The run records which kinds it read when it read only one of several.
        recorded = {**options, KIND_OPTION: read[0].name} if len(read) < len(plan.kinds) else options
        run = start_run(db, _run_record(ws, plan, context, recorded))
        log = DecisionLogWriter(db, run)
    try:
        with bulk_work():  # the whole run, output included
            if plan.replay is not None:
                replay_plan = ws.commands[plan.replay]
                for replayed in replay_plan.kinds:
                    for chunk in chunked(replay_records(kinds.get(replayed)), req.chunk_size):
                        replay_chunk(replay_plan, chunk, context, replayed)
            size = None if plan.whole_input else req.chunk_size
            # One kind after another: each plugin's implementation sees only the kind it declared.
            for kind in read:
                records = records_of(kind)
                for chunk in (_all(records) if size is None else chunked(records, size)):
                    decisions = decide_chunk(ws.plugins, plan, kind, chunk, context)
                    if ids and kind.order_by:
                        decisions = [d for d in decisions if _matches(d.subject_id, ids)]
                    if keep:
                        decisions = [d for d in decisions if all(d.outcome.get(k) for k in keep)]
                    if log is not None:
                        log.append(decisions)
                    if progress:
                        progress(len(chunk))
                    yield from decisions
        if db is not None and run is not None:
            finish_run(db, run.id, COMMITTED, log.count if log else 0, calendar=_calendar(ws))
    except BaseException as exc:
        if db is not None and run is not None:
            reason = "stopped before the end (output closed)" if isinstance(exc, GeneratorExit) else f"{type(exc).__name__}: {exc}"
            finish_run(db, run.id, FAILED, log.count if log else 0, message=reason[:2000])
        raise
    finally:
        if db is not None:
            db.dispose()


def _late_entries(ws: Workspace, db: Any, plan: CommandPlan) -> dict[str, dict[tuple, Any]]:
    """Late entries of the replayed kinds this run reads (its input, and the replay's input)."""
    from .late import find_late_entries

    found: dict[str, dict[tuple, Any]] = {}
    for name in filter(None, (plan.name, plan.replay)):
        for kind_name in ws.commands[name].kinds:
            kind = ws.kinds.get(kind_name)
            if kind.order_by and kind.group_field and kind.name not in found:
                deciders = [p.name for p in ws.commands.values() if kind.name in p.kinds or (p.replay and kind.name in ws.commands[p.replay].kinds)]
                found[kind.name] = find_late_entries(db, kind, deciders)
    return found


def _selected(kind: Any, ids: Sequence[str]) -> list[str] | None:
    """--id over the stored records of a kind; a replayed kind (one with a time order) is always
    replayed whole and --id filters the output."""
    return None if kind.order_by else list(ids) or None


def _all(records: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(records)
    if items:
        yield items


def _matches(subject_id: str, ids: Sequence[str]) -> bool:
    """--id on a replayed kind: the subject itself, its per-event decisions (``C001@E123``), or a pattern."""
    return any(subject_id == i or subject_id.startswith(i + "@") or ("*" in i and fnmatch.fnmatchcase(subject_id, i)) for i in ids)


def _stored(db, kinds, kind, ids, chunk_size) -> Iterator[Any]:
    from .store import iter_records

    return iter_records(db, kinds, kind, ids=ids, chunk_size=chunk_size)


def _file_history(ws: Workspace, plan: CommandPlan, options: Mapping[str, Any]) -> tuple[MemoryHistory, dict[str, list[Any]]]:
    """The command's record-file options, read (and validated) into a history for the hooks."""
    by_kind: dict[str, dict[str, list[Any]]] = {}
    plain: dict[str, list[Any]] = {}
    for option in plan.options:
        path = options.get(option.name)
        if option.records_kind is None or not path:
            continue
        kind = ws.kinds.get(option.records_kind)
        items = list(iter_file_records(path, kind))
        plain.setdefault(kind.name, []).extend(items)
        grouped = by_kind.setdefault(kind.name, {})
        for item in items:
            subject = kind.subject_of(item)
            if subject is not None:
                grouped.setdefault(subject, []).append(item)
    return MemoryHistory(records=by_kind), plain


def _calendar(ws: Workspace) -> dict[str, Any]:
    import chinese_calendar

    cal = ws.calendar
    return {
        "chinesecalendar": getattr(chinese_calendar, "__version__", "unknown"),
        "extra_holidays": sorted(d.isoformat() for d in cal.extra_holidays),
        "extra_workdays": sorted(d.isoformat() for d in cal.extra_workdays),
        "fallback_years": sorted(cal.uncovered_years),
    }


def _run_record(ws: Workspace, plan: CommandPlan, context: DecisionContext, options: Mapping[str, Any]) -> Run:
    params, presets = ws.resolved
    return Run(
        command=plan.name,
        company=ws.company,
        timezone=ws.timezone,
        as_of=context.as_of,
        plugin_versions={name: info.version for name, info in ws.plugins.infos.items()},
        parameters={"values": params, "presets": presets},
        calendar=_calendar(ws),
        options={k: v for k, v in options.items() if isinstance(v, (str, int, float, bool))},
    )
