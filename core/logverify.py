"""``zhidu log verify``: recompute the decision log's hash chain and name every row that breaks it.

An edited row no longer hashes to its ``row_hash``; a deleted or inserted row breaks the link from
the next row's ``prev_hash``; a truncated log that was refilled starts from a wrong genesis. The
check reads the rows in id order in one pass (memory flat in the log's size).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from .decisionlog import GENESIS, HASHED, LOG, PARAMETER_SETS, parameter_set_hash, row_hash
from .storage.db import Database


@dataclass
class Finding:
    decision_id: int
    problem: str  # edited | link_broken

    def __str__(self) -> str:
        if self.problem == "edited":
            return f"decision #{self.decision_id}: content does not match its hash (edited out of band)"
        return f"decision #{self.decision_id}: does not follow the row before it (rows deleted, inserted or reordered out of band)"


@dataclass
class Verification:
    rows: int = 0
    # The last row's hash: record it outside the database (a ticket, an e-mail) to anchor the chain.
    head: str = GENESIS
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first_broken(self) -> Finding | None:
        return self.findings[0] if self.findings else None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def verify_log(db: Database) -> Verification:
    result = Verification()
    prev = GENESIS
    columns = [LOG.c[name] for name in (*HASHED, "parameter_set", "prev_hash", "row_hash")]
    stmt = (select(*columns, PARAMETER_SETS.c.parameters.label("set_parameters"))
            .join(PARAMETER_SETS, PARAMETER_SETS.c.hash == LOG.c.parameter_set, isouter=True).order_by(LOG.c.id))
    # A parameter set edited out of band no longer hashes to its name: every row using it is named.
    set_intact: dict[str, bool] = {}
    with db.engine.connect() as conn:
        rows = conn.execution_options(yield_per=5000).execute(stmt)
        for row in rows.mappings():
            result.rows += 1
            data = dict(row)
            for name in ("outcome", "parameters", "inputs"):
                data[name] = _json(data[name])
            if data["prev_hash"] != prev:
                result.findings.append(Finding(data["id"], "link_broken"))
            edited = row_hash(data["prev_hash"], data) != data["row_hash"]
            digest = data["parameter_set"]
            if digest is not None and not edited:
                if digest not in set_intact:
                    stored = data["set_parameters"]
                    set_intact[digest] = stored is not None and parameter_set_hash(_json(stored)) == digest
                edited = not set_intact[digest]
            if edited:
                result.findings.append(Finding(data["id"], "edited"))
            prev = data["row_hash"]
    result.head = prev
    return result
