"""Measuring helpers shared by the benchmarks: wall and CPU time, peak memory, bytes stored per row.

Nothing here knows zhidu: it measures processes and SQLite files.
"""

from __future__ import annotations

import hashlib
import json
import resource
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


@dataclass
class Clock:
    """Wall seconds (perf_counter) and CPU seconds of this process (process_time), accumulated."""

    wall: float = 0.0
    cpu: float = 0.0
    _started: tuple[float, float] | None = field(default=None, repr=False)

    def __enter__(self) -> "Clock":
        self._started = (time.perf_counter(), time.process_time())
        return self

    def __exit__(self, *exc) -> None:
        w, c = self._started
        self.wall += time.perf_counter() - w
        self.cpu += time.process_time() - c
        self._started = None


def peak_rss_mib() -> float:
    """The process's high-water resident set so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table_bytes(db_path: Path | str, tables: Iterable[str]) -> dict[str, int]:
    """Bytes of SQLite pages per table, its indexes included (the dbstat virtual table)."""
    conn = sqlite3.connect(db_path)
    try:
        owner = {name: tbl for name, tbl in conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')")}
        sizes: dict[str, int] = {}
        for name, size in conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            sizes[table] = sizes.get(table, 0) + size
    finally:
        conn.close()
    return {t: sizes.get(t, 0) for t in tables}


def file_bytes(db_path: Path | str) -> int:
    """The database file with its WAL (what the disk holds right after the run)."""
    path = Path(db_path)
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


LOG_COMPARED = ("subject_kind", "subject_id", "rule_id", "citation_document", "citation_clause", "outcome",
                "explanation", "parameters", "inputs", "fingerprint")


def compare_logs(zhidu_db: Path | str, plain_db: Path | str, limit_shown: int = 3,
                 columns: tuple[str, ...] = LOG_COMPARED) -> tuple[int, int, list[str]]:
    """Row by row, in id order: do zhidu's decision log and the baseline's hold the same decisions
    (subject, rule, citation, outcome, explanation, parameters, inputs and their fingerprint)?
    Returns (rows compared, rows that differ, the first differences)."""
    a, b = sqlite3.connect(zhidu_db), sqlite3.connect(plain_db)
    compared = differ = 0
    shown: list[str] = []
    try:
        ra = a.execute(f"SELECT {_selected(a, columns)} FROM decision_log ORDER BY id")
        rb = b.execute(f"SELECT {_selected(b, columns)} FROM decision_log ORDER BY id")
        while True:
            x, y = ra.fetchmany(10000), rb.fetchmany(10000)
            if not x and not y:
                break
            for i in range(max(len(x), len(y))):
                compared += 1
                left = x[i] if i < len(x) else None
                right = y[i] if i < len(y) else None
                if left != right:
                    differ += 1
                    if len(shown) < limit_shown:
                        if left is None or right is None:
                            shown.append(f"row {compared}: only in {'plain' if left is None else 'zhidu'}")
                        else:
                            diffs = [_difference(c, l, r) for c, l, r in zip(columns, left, right) if l != r]
                            shown.append(f"row {compared} ({left[columns.index('subject_id')]}): " + "; ".join(d[:300] for d in diffs))
    finally:
        a.close()
        b.close()
    return compared, differ, shown


def _selected(conn: sqlite3.Connection, columns: tuple[str, ...]) -> str:
    """The columns as a log holds them; a log that stores each parameter set once (zhidu's
    parameter_sets, schema 0003) gives each row's set back in place of its NULL parameters."""
    lean = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'parameter_sets'").fetchone() is not None
    return ", ".join(
        "COALESCE(parameters, (SELECT s.parameters FROM parameter_sets s WHERE s.hash = parameter_set))"
        if c == "parameters" and lean else c for c in columns)


def _difference(column: str, left: object, right: object) -> str:
    """One column's difference; for JSON objects only the keys that differ (the rest is noise)."""
    try:
        a, b = json.loads(left), json.loads(right)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return f"{column}: zhidu {left!r} / plain {right!r}"
    if isinstance(a, dict) and isinstance(b, dict):
        keys = sorted(k for k in a.keys() | b.keys() if a.get(k, "<absent>") != b.get(k, "<absent>"))
        return f"{column}: " + ", ".join(f"{k} zhidu {a.get(k, '<absent>')!r} / plain {b.get(k, '<absent>')!r}" for k in keys)
    return f"{column}: zhidu {left!r} / plain {right!r}"


def report_agreement(zhidu_db: Path | str, plain_db: Path | str) -> None:
    compared, differ, shown = compare_logs(zhidu_db, plain_db)
    if differ == 0:
        print(f"same job: the baseline's decision log matches zhidu's on all {compared:,} decisions "
              f"(subject, rule, citation, outcome, explanation, parameters, inputs, fingerprint)")
    else:
        print(f"WARNING: the baseline's decisions differ from zhidu's on {differ:,} of {compared:,} rows:")
        for line in shown:
            print("  " + line)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
