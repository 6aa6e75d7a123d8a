"""Late entries: a record of a replayed kind entered after later records of its group (floor events
of the same customer) had already been decided on. Such a record changes decisions people have
seen, so the decisions it takes part in say so, and a company can require a manager's
confirmation before it counts (profile ``[late_entries] require_confirmation``).

Computed before a run from the stored times of entry and the committed runs, in one pass over the
kind's (group, time order, time of entry) in reverse time order; the plugin reads the result
through ``context.late_entries``.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from sqlalchemy import select

from .kinds import RecordKind
from .runs import COMMITTED, RUNS
from .storage.db import Database
from .store import RECORDS


@dataclass(frozen=True, slots=True)
class LateEntry:
    """When the record was entered, and when a later record of its group had already been decided."""

    entered_at: datetime
    later_decided_at: datetime


def find_late_entries(db: Database, kind: RecordKind, commands: Iterable[str]) -> dict[tuple, LateEntry]:
    """Natural key (as a tuple) -> LateEntry, for the records of ``kind`` that are late entries.

    ``commands``: the decision commands that decide on this kind (directly or by replaying it)."""
    if kind.order_by is None or kind.group_field is None:
        return {}
    names = list(commands)
    with db.engine.connect() as conn:
        starts = sorted(
            _aware(t) for (t,) in conn.execute(
                select(RUNS.c.started_at).where(RUNS.c.status == COMMITTED, RUNS.c.command.in_(names))
            )
        )
        if not starts:
            return {}
        rows = conn.execution_options(yield_per=10000).execute(
            select(RECORDS.c.key, RECORDS.c.sort_at, RECORDS.c.entered_at, RECORDS.c.payload[kind.group_field].as_string())
            .where(RECORDS.c.kind == kind.name, RECORDS.c.sort_at.is_not(None))  # served by ix_record_order
            .order_by(RECORDS.c.sort_at.desc(), RECORDS.c.id.desc())
        )
        late: dict[tuple, LateEntry] = {}
        # group -> the earliest time any later record of the group was decided on
        decided: dict[str, datetime] = {}
        pending: list[tuple[str, datetime]] = []
        current_sort = None
        for key, sort_at, entered_at, group in rows:
            if sort_at != current_sort:
                # Records at the same moment are not "later" than each other.
                for g, t in pending:
                    if g not in decided or t < decided[g]:
                        decided[g] = t
                pending, current_sort = [], sort_at
            if group is None:
                continue
            entered = _aware(entered_at)
            seen = decided.get(group)
            if seen is not None and seen < entered:
                late[tuple(json.loads(key))] = LateEntry(entered, seen)
            first_run = bisect.bisect_left(starts, entered)
            if first_run < len(starts):
                pending.append((group, starts[first_run]))
    return late


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
