"""Decision commands: stream records (from the database or a file) through a hook, log, yield decisions."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Iterator, Mapping, Sequence

from .decisionlog import DecisionLogWriter
from .decisions import Decision
from .engine import CHUNK_SIZE, chunked, decide_chunk
from .importer import iter_file_records
from .workspace import Workspace, WorkspaceError


class MissingEventsWarning(UserWarning):
    """A commission run from a file had no floor events to establish ownership."""


@dataclass(frozen=True)
class CommandSpec:
    name: str
    hook: str
    kind: str
    title: str


COMMANDS: dict[str, CommandSpec] = {
    c.name: c
    for c in (
        CommandSpec("classify", "classify_customer", "customer", "客户分级"),
        CommandSpec("route", "route_complaint", "complaint", "投诉分派"),
        CommandSpec("attribute", "attribute_lead", "floor_event", "客户归属与接待"),
        CommandSpec("commission", "split_commission", "deal", "佣金分配"),
        CommandSpec("audit", "validate_archive", "archive", "档案审核"),
        CommandSpec("conduct", "assess_conduct", "conduct_incident", "员工行为处理"),
    )
}

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:(?:Q(?P<q>[1-4]))|(?:H(?P<h>[12]))|(?:-(?P<m>\d{2})))?$")


def period_months(period: str) -> list[str]:
    """'2026Q3' -> 2026-07..09; '2026H1' -> 2026-01..06; '2026' -> the year; '2026-07' -> that month."""
    match = _PERIOD.match(period.strip().upper())
    if not match:
        raise WorkspaceError(f"review period '{period}' is not one of 2026Q3, 2026H1, 2026, 2026-07")
    year = int(match["year"])
    if match["q"]:
        first = (int(match["q"]) - 1) * 3 + 1
        months = range(first, first + 3)
    elif match["h"]:
        first = (int(match["h"]) - 1) * 6 + 1
        months = range(first, first + 6)
    elif match["m"]:
        month = int(match["m"])
        if not 1 <= month <= 12:
            raise WorkspaceError(f"review period '{period}': month {month} does not exist")
        months = range(month, month + 1)
    else:
        months = range(1, 13)
    return [f"{year:04d}-{m:02d}" for m in months]


@dataclass
class RunRequest:
    command: str
    input_path: str | None = None
    input_format: str | None = None
    ids: Sequence[str] | None = None
    as_of: date | None = None
    period: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    volumes_path: str | None = None
    events_path: str | None = None
    chunk_size: int = CHUNK_SIZE


def run_command(ws: Workspace, req: RunRequest, progress: Callable[[int], None] | None = None) -> Iterator[Decision]:
    spec = COMMANDS[req.command]
    context = ws.context(as_of=req.as_of, period=req.period, options=req.options)
    plugins = ws.plugins
    months = period_months(req.period) if req.period else None
    keep = _overdue_only if req.options.get("overdue") else None

    if req.input_path is not None:
        records = iter_file_records(req.input_path, spec.kind, req.input_format)
        if months and spec.kind == "customer":
            records = _with_file_volumes(records, req.volumes_path, months)
        if req.command == "commission" and req.events_path:
            _replay(plugins, iter_file_records(req.events_path, "floor_event"), context, req.chunk_size)
        elif req.command == "commission" and plugins.pm.hook.attribute_lead.get_hookimpls():
            warnings.warn(
                "commission from a deals file without --events: no floor events were replayed, so ownership "
                "is unknown to the policy (pass the floor events file with --events)",
                MissingEventsWarning,
                stacklevel=2,
            )
        for chunk in chunked(records, req.chunk_size):
            decisions = decide_chunk(plugins, spec.hook, chunk, context)
            if progress:
                progress(len(chunk))
            yield from filter(keep, decisions) if keep else decisions
        return

    from .store import count_records, iter_records

    db = ws.database()
    try:
        if progress is not None and hasattr(progress, "total") and getattr(progress, "enabled", False):
            progress.total = count_records(db, spec.kind, req.ids)
        if req.command == "commission":
            _replay(plugins, iter_records(db, "floor_event", chunk_size=req.chunk_size), context, req.chunk_size)
        records = iter_records(db, spec.kind, ids=req.ids, chunk_size=req.chunk_size, volume_months=months)
        with db.engine.begin() as connection:
            log = DecisionLogWriter(connection, req.command, ws.company, context.as_of)
            for chunk in chunked(records, req.chunk_size):
                decisions = decide_chunk(plugins, spec.hook, chunk, context)
                log.append(decisions)
                if progress:
                    progress(len(chunk))
                yield from filter(keep, decisions) if keep else decisions
    finally:
        db.dispose()


def _replay(plugins, events, context, chunk_size: int) -> None:
    """Commission needs ownership: replay the floor events first. Only the plugins' state matters
    here, so the hook is called directly: its decisions are neither stamped nor logged."""
    hook = plugins.pm.hook.attribute_lead
    if not hook.get_hookimpls():
        return
    for chunk in chunked(events, chunk_size):
        hook(events=chunk, context=context)


def _overdue_only(decision: Decision) -> bool:
    return bool(decision.outcome.get("overdue"))


def _with_file_volumes(customers, volumes_path: str | None, months: list[str]):
    wanted = set(months)
    volumes: dict[str, dict[str, Decimal]] = {}
    if volumes_path:
        for row in iter_file_records(volumes_path, "monthly_volume"):
            if row.month in wanted:
                volumes.setdefault(row.customer_code, {})[row.month] = row.volume
    for customer in customers:
        customer.volumes.update(volumes.get(customer.code, {}))
        yield customer


def input_kind(command: str) -> str:
    return COMMANDS[command].kind


