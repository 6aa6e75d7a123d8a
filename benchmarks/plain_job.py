"""The hand-written pipeline for `zhidu import customer FILE` and `zhidu classify` (over the database
and from a file), run as its own process so that start-up, reading and writing all count, as they do
for `zhidu`. No zhidu code: csv.reader, the checks and the tier rule of plain_checks, a typed
`customers` table, one decision row per customer (outcome, the Chinese explanation, inputs JSON and
their sha256, a hash chain) and the run's parameters stored once, in its `runs` row.

    python plain_job.py check CSV              # the checks alone: nothing stored
    python plain_job.py import DB CSV          # sqlite3 executemany, an upsert on the code
    python plain_job.py classify DB            # the stored customers -> the decision log
    python plain_job.py file DB CSV            # the file's customers decided, nothing stored but the log
    python plain_job.py pg-import URL CSV      # psycopg COPY into the typed table
    python plain_job.py pg-classify URL        # decisions written with COPY

Each prints its decisions as JSON lines (what `zhidu` prints off a terminal) and the count on stderr.
"""

from __future__ import annotations

import csv
import hashlib
import sqlite3
import sys
import uuid
from datetime import datetime, timezone
from itertools import islice
from typing import Iterable, Iterator

from plain_checks import (DOC, PLAIN_PARAMETERS, classify_month, dumps, jsonable, level_of, plain_month,
                          plain_tonnes, stamped)

AS_OF = "2026-11-20"
CHUNK = 5000
SEGMENTS = {"经销商": "distributor", "直销客户": "direct", "独家代理商": "exclusive_agent"}
FORMS = {"计划": "plan", "网拍": "auction"}
COLUMNS = ("code", "name", "segment", "sales_form", "level", "month", "monthly_volume")
DECISION_COLUMNS = ("id", "run_id", "subject_id", "rule_id", "citation_clause", "outcome", "explanation", "inputs",
                    "fingerprint", "prev_hash", "row_hash")


def checked_rows(path: str) -> Iterator[tuple]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for number, row in enumerate(reader, start=2):
            code, name, segment, form, level, month, volume = (v.strip() for v in row)
            tonnes = plain_tonnes(volume)
            if (not code or len(code) > 64 or not name or len(name) > 200 or segment not in SEGMENTS or form not in FORMS
                    or len(level) > 32 or not plain_month(month) or tonnes is None):
                raise SystemExit(f"{path}: row {number}: invalid")
            yield code, name, SEGMENTS[segment], FORMS[form], level or None, month, tonnes


def decide(rows: Iterable[tuple]) -> Iterator[tuple]:
    for code, name, segment, form, level, month, volume in rows:
        decision = classify_month(f"{name}({code})", segment, form, None, level, month, volume)
        inputs = {"code": code, "name": name, "phone": None, "segment": segment, "sales_form": form,
                  "product_line": None, "product": None, "level": level_of(level), "direct_user": None,
                  "sells_other_brands": None, "region": None, "month": month, "monthly_volume": str(volume),
                  "pickup_completion_rate": None, "developed_on": None, "qualification_expires": None, "volumes": {}}
        yield stamped(code, decision, inputs)


class Log:
    """Decision rows chained by sha256 over the previous hash and the row; the run's parameters once."""

    def __init__(self) -> None:
        self.run_id = str(uuid.uuid4())
        self.prev = "0" * 64
        self.last_id = 0
        self.count = 0
        self.out = sys.stdout

    def run_row(self) -> tuple:
        params = dumps(PLAIN_PARAMETERS)
        return (self.run_id, "classify", AS_OF, datetime.now(timezone.utc).isoformat(), params,
                hashlib.sha256(params.encode("utf-8")).hexdigest())

    def rows(self, decided: list[tuple]) -> list[tuple]:
        rows = []
        write = self.out.write
        for subject, ((rule_id, clause), outcome, why, _params), _inputs, inputs_json, fingerprint in decided:
            self.last_id += 1
            outcome_json = dumps(jsonable(outcome))
            content = f"{self.last_id}|{self.run_id}|{subject}|{rule_id}|{clause}|{outcome_json}|{why}|{inputs_json}|{fingerprint}"
            row_hash = hashlib.sha256((self.prev + content).encode("utf-8")).hexdigest()
            rows.append((self.last_id, self.run_id, subject, rule_id, clause, outcome_json, why, inputs_json, fingerprint, self.prev, row_hash))
            write(f'{{"subject_id":"{subject}","rule_id":"{rule_id}","citation":"{DOC} {clause}","outcome":{outcome_json},"explanation":{dumps(why)}}}\n')
            self.prev = row_hash
        self.count += len(rows)
        return rows


def sqlite_schema(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE IF NOT EXISTS customers ({', '.join(COLUMNS)}, PRIMARY KEY (code))")
    conn.execute("CREATE TABLE IF NOT EXISTS runs (id PRIMARY KEY, command, as_of, started_at, parameters, parameter_hash)")
    conn.execute(f"CREATE TABLE IF NOT EXISTS decision_log ({', '.join(DECISION_COLUMNS)}, PRIMARY KEY (id))")
    conn.execute("CREATE INDEX IF NOT EXISTS ix_subject ON decision_log (subject_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS ix_rule ON decision_log (rule_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS ix_fp ON decision_log (fingerprint)")


def sqlite_import(db: str, path: str) -> int:
    conn = sqlite3.connect(db, isolation_level=None)
    sqlite_schema(conn)
    updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
    sql = f"INSERT INTO customers VALUES ({', '.join('?' * len(COLUMNS))}) ON CONFLICT (code) DO UPDATE SET {updates}"
    rows = checked_rows(path)
    count = 0
    conn.execute("BEGIN IMMEDIATE")  # all or nothing
    while chunk := [(*r[:6], format(r[6], "f")) for r in islice(rows, CHUNK)]:
        conn.executemany(sql, chunk)
        count += len(chunk)
    conn.execute("COMMIT")
    return count


def stored_rows(cursor) -> Iterator[tuple]:
    from decimal import Decimal

    while chunk := cursor.fetchmany(CHUNK):
        for code, name, segment, form, level, month, volume in chunk:
            yield code, name, segment, form, level, month, Decimal(volume)


def sqlite_classify(db: str, path: str | None = None) -> int:
    conn = sqlite3.connect(db, isolation_level=None)
    sqlite_schema(conn)
    log = Log()
    conn.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)", log.run_row())
    insert = f"INSERT INTO decision_log VALUES ({', '.join('?' * len(DECISION_COLUMNS))})"
    source = checked_rows(path) if path else stored_rows(conn.cursor().execute(f"SELECT {', '.join(COLUMNS)} FROM customers ORDER BY rowid"))
    decided = decide(source)
    while chunk := list(islice(decided, CHUNK)):
        rows = log.rows(chunk)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(insert, rows)
        conn.execute("COMMIT")
    return log.count


def pg_schema(conn) -> None:
    conn.execute(f"CREATE TABLE IF NOT EXISTS customers (code text PRIMARY KEY, name text, segment text, sales_form text, "
                 f"level text, month text, monthly_volume numeric)")
    conn.execute("CREATE TABLE IF NOT EXISTS runs (id text PRIMARY KEY, command text, as_of date, started_at timestamptz, "
                 "parameters jsonb, parameter_hash text)")
    conn.execute("CREATE TABLE IF NOT EXISTS decision_log (id bigint PRIMARY KEY, run_id text, subject_id text, rule_id text, "
                 "citation_clause text, outcome jsonb, explanation text, inputs jsonb, fingerprint text, prev_hash text, row_hash text)")
    for name, col in (("subject", "subject_id"), ("rule", "rule_id"), ("fp", "fingerprint")):
        conn.execute(f"CREATE INDEX IF NOT EXISTS ix_{name} ON decision_log ({col})")


def pg_import(url: str, path: str) -> int:
    import psycopg

    count = 0
    with psycopg.connect(url) as conn:
        pg_schema(conn)
        with conn.cursor().copy(f"COPY customers ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in checked_rows(path):
                copy.write_row(row)
                count += 1
    return count


def pg_classify(url: str) -> int:
    import psycopg

    log = Log()
    with psycopg.connect(url) as conn:
        pg_schema(conn)
        conn.execute("INSERT INTO runs VALUES (%s, %s, %s, %s, %s, %s)", log.run_row())
        conn.commit()
        with conn.cursor(name="customers") as cursor:  # server-side: memory flat in N
            cursor.itersize = CHUNK
            cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM customers ORDER BY code")
            decided = decide(cursor)
            with psycopg.connect(url) as writer:
                while chunk := list(islice(decided, CHUNK)):
                    with writer.cursor().copy(f"COPY decision_log ({', '.join(DECISION_COLUMNS)}) FROM STDIN") as copy:
                        for row in log.rows(chunk):
                            copy.write_row(row)
                    writer.commit()
    return log.count


def main(argv: list[str]) -> None:
    job, target, *rest = argv
    jobs = {"check": lambda: sum(1 for _ in checked_rows(target)), "import": lambda: sqlite_import(target, rest[0]),
            "classify": lambda: sqlite_classify(target),
            "file": lambda: sqlite_classify(target, rest[0]), "pg-import": lambda: pg_import(target, rest[0]),
            "pg-classify": lambda: pg_classify(target)}
    count = jobs[job]()
    print(f"{count} rows", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
