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

from .decisionlog import GENESIS, HASHED, LOG, row_hash
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
    columns = [LOG.c[name] for name in (*HASHED, "prev_hash", "row_hash")]
    with db.engine.connect() as conn:
        rows = conn.execution_options(yield_per=5000).execute(select(*columns).order_by(LOG.c.id))
        for row in rows.mappings():
            result.rows += 1
            data = dict(row)
            for name in ("outcome", "parameters", "inputs"):
                data[name] = _json(data[name])
            if data["prev_hash"] != prev:
                result.findings.append(Finding(data["id"], "link_broken"))
            if row_hash(data["prev_hash"], data) != data["row_hash"]:
                result.findings.append(Finding(data["id"], "edited"))
            prev = data["row_hash"]
    result.head = prev
    return result
