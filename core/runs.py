"""Runs: one row per import or decision command, with what it ran under (plugin versions, the
parameters and their hash, the calendar's fingerprint, the company's time zone).

A run starts as ``running`` and becomes ``committed`` only once all its writes are done; decisions
of a run that never committed (killed, failed, or cut off by a closed pipe) are kept, so an id a
user saw never changes meaning, but they do not count: history and ``zhidu decisions`` skip them.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, cast

from sqlalchemy import Table, select, update

from .decisions import canonical_json, to_jsonable
from .storage.db import Database
from .storage.models import RunRow

RUNS = cast(Table, RunRow.__table__)

RUNNING, COMMITTED, FAILED = "running", "committed", "failed"


@dataclass
class Run:
    command: str
    company: str
    timezone: str
    as_of: date | None = None
    plugin_versions: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    calendar: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def parameter_hash(self) -> str:
        return hashlib.sha256(canonical_json(to_jsonable(self.parameters)).encode("utf-8")).hexdigest()


def start_run(db: Database, run: Run) -> Run:
    with db.engine.begin() as connection:
        connection.execute(
            RUNS.insert().values(
                id=run.id, command=run.command, company=run.company, as_of=run.as_of,
                started_at=datetime.now(timezone.utc), finished_at=None, status=RUNNING,
                plugin_versions=to_jsonable(run.plugin_versions), parameters=to_jsonable(run.parameters),
                parameter_hash=run.parameter_hash, calendar=to_jsonable(run.calendar),
                options=to_jsonable(run.options), timezone=run.timezone, decision_count=0, message=None,
            )
        )
    return run


def finish_run(db: Database, run_id: str, status: str, decision_count: int = 0, message: str | None = None,
               calendar: dict[str, Any] | None = None) -> None:
    values: dict[str, Any] = {"status": status, "finished_at": datetime.now(timezone.utc), "decision_count": decision_count, "message": message}
    if calendar is not None:
        values["calendar"] = to_jsonable(calendar)
    with db.engine.begin() as connection:
        connection.execute(update(RUNS).where(RUNS.c.id == run_id, RUNS.c.status == RUNNING).values(**values))


def get_run(db: Database, run_id: str) -> dict[str, Any] | None:
    with db.engine.connect() as connection:
        row = connection.execute(select(RUNS).where(RUNS.c.id == run_id)).mappings().first()
    return dict(row) if row is not None else None
