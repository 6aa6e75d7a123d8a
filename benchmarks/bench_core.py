"""Core pipeline benchmark: parse -> validate -> hook -> store for `zhidu classify`, against a plain-Python
pipeline doing the same work in the same run (csv.reader, hand-written checks, a direct function call,
sqlite3 executemany).

    python benchmarks/bench_core.py            # 1,000,000 synthetic customers
    python benchmarks/bench_core.py --n 100000

Prints records/s per stage, the ratios to the baseline, hook overhead per record, peak memory, and
`zhidu --help` start-up time. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import hashlib
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from plain_checks import MONTH, plain_tonnes
from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.decisionlog import DecisionLogWriter
from zhidu.core.engine import decide_chunk
from zhidu.core.importer import RowValidator, read_rows, read_table
from zhidu.core.plugins import PolicyPlugins
from zhidu.core.records import Customer
from zhidu.core.storage.db import open_database

HEADER = ["客户编码", "客户名称", "客户类别", "销售形式", "当前级别", "月份", "月提货量"]
CHUNK = 5000


def generate(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    segments = ["经销商"] * 8 + ["直销客户", "独家代理商"]
    levels = ["", "普通客户", "一星客户", "二星客户", "三星客户"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(n):
            volume = f"{rng.lognormvariate(6.8, 0.9):.3f}"
            w.writerow([f"C{i:07d}", f"客户{i}化工有限公司", rng.choice(segments), "计划" if rng.random() < 0.9 else "网拍",
                        rng.choice(levels), "2026-10", volume])


class Stages:
    def __init__(self) -> None:
        self.seconds = {"parse": 0.0, "validate": 0.0, "hook": 0.0, "store": 0.0}

    def add(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] += now - since
        return now


def run_zhidu(path: Path, db_path: Path) -> tuple[Stages, float, int]:
    plugins = PolicyPlugins(["petrochem"])
    context = _context()
    db = open_database(str(db_path), upgrade=True)
    stages = Stages()
    decided = 0
    start = time.perf_counter()
    with db.engine.begin() as connection:
        log = DecisionLogWriter(connection, "classify", "bench", context.as_of)
        validator = RowValidator("customer", str(path), tabular=True)
        header, rows = read_table(path, "csv")
        validator.set_header(header)
        while True:
            t = time.perf_counter()
            raw_chunk = []
            for item in rows:
                raw_chunk.append(item)
                if len(raw_chunk) == CHUNK:
                    break
            if not raw_chunk:
                break
            t = stages.add("parse", t)
            records = [validator.validate_values(number, values) for number, values in raw_chunk]
            t = stages.add("validate", t)
            decisions = decide_chunk(plugins, "classify_customer", records, context)
            t = stages.add("hook", t)
            log.append(decisions)
            stages.add("store", t)
            decided += len(decisions)
    total = time.perf_counter() - start
    assert not validator.errors, validator.errors[:3]
    db.dispose()
    return stages, total, decided


# --- the plain-Python baseline ---------------------------------------------------------------
# The same work by hand: csv.reader, hand-written checks building the same Customer objects, a direct
# call of the same rule function (no pluggy), the same log row (inputs JSON, sha256 fingerprint,
# parameters, citation) written with sqlite3 executemany. What differs is only the framework.

SEGMENTS = {"经销商": "distributor", "直销客户": "direct", "独家代理商": "exclusive_agent"}
FORMS = {"计划": "plan", "网拍": "auction"}
LOG_COLUMNS = ("run_id", "command", "decided_at", "as_of", "company", "subject_kind", "subject_id", "rule_id",
               "citation_document", "citation_clause", "outcome", "explanation", "plugin", "plugin_version",
               "parameters", "inputs", "fingerprint")


def plain_check(row: list[str]) -> Customer | None:
    code, name, segment, form, level, month, volume = row
    tonnes = plain_tonnes(volume)
    if not code or not name or segment not in SEGMENTS or form not in FORMS or not MONTH.match(month) or tonnes is None:
        return None
    return Customer(code, name, segment=SEGMENTS[segment], sales_form=FORMS[form], level=level or None,
                    month=month, monthly_volume=tonnes)


CUSTOMER_FIELDS = tuple(f.name for f in dataclasses.fields(Customer))


def plain_jsonable(value):
    if isinstance(value, dict):
        return {k: plain_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def run_plain(path: Path, db_path: Path) -> tuple[Stages, float, int]:
    from zhidu.plugins.petrochem import hooks as petro

    context = _context()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"CREATE TABLE decision_log (id INTEGER PRIMARY KEY, {', '.join(LOG_COLUMNS)})")
    # The same indexes the real decision log keeps (by subject, rule, run, fingerprint): same work.
    for name, cols in (("subject", "subject_kind, subject_id"), ("rule", "rule_id"), ("run", "run_id"), ("fp", "fingerprint")):
        conn.execute(f"CREATE INDEX ix_{name} ON decision_log ({cols})")
    insert = f"INSERT INTO decision_log ({', '.join(LOG_COLUMNS)}) VALUES ({', '.join('?' * len(LOG_COLUMNS))})"
    params_json = json.dumps(plain_jsonable(context.parameters("petrochem")), ensure_ascii=False)
    stages = Stages()
    decided = 0
    start = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        while True:
            t = time.perf_counter()
            raw_chunk = []
            for row in reader:
                raw_chunk.append(row)
                if len(raw_chunk) == CHUNK:
                    break
            if not raw_chunk:
                break
            t = stages.add("parse", t)
            records = [plain_check(r) for r in raw_chunk]
            t = stages.add("validate", t)
            decisions = petro.classify_customer(customers=records, context=context)
            rows = []
            for record, d in zip(records, decisions):
                facts = {name: getattr(record, name) for name in CUSTOMER_FIELDS}
                inputs = json.dumps(plain_jsonable(facts), sort_keys=True, ensure_ascii=False)
                rows.append(("run", "classify", "2026-11-22 00:00:00", "2026-11-20", "bench", d.subject_kind,
                             d.subject_id, d.rule_id, d.citation.document, d.citation.clause,
                             json.dumps(plain_jsonable(d.outcome), ensure_ascii=False), d.explanation, "petrochem",
                             "0", params_json, inputs, hashlib.sha256(inputs.encode()).hexdigest()))
            t = stages.add("hook", t)
            conn.executemany(insert, rows)
            stages.add("store", t)
            decided += len(rows)
    conn.commit()
    total = time.perf_counter() - start
    conn.close()
    return stages, total, decided


def _context() -> DecisionContext:
    plugins = PolicyPlugins(["petrochem"])
    params = {name: spec.resolve() for name, spec in plugins.parameter_specs().items()}
    return DecisionContext(company="bench", as_of=date(2026, 11, 20), calendar=WorkCalendar(), params=params)


def hook_overhead(path: Path, n: int = 20000) -> tuple[float, float]:
    """Per-record cost of reaching the rule through pluggy (per chunk) vs calling the plugin function directly."""
    from zhidu.plugins.petrochem import hooks as petro

    plugins = PolicyPlugins(["petrochem"])
    context = _context()
    validator = RowValidator("customer", str(path), tabular=True)
    records = []
    for number, raw in read_rows(path, "csv"):
        records.append(validator.validate(number, raw))
        if len(records) == n:
            break
    chunks = [records[i:i + CHUNK] for i in range(0, len(records), CHUNK)]
    t = time.perf_counter()
    for chunk in chunks:
        petro.classify_customer(customers=chunk, context=context)
    direct = time.perf_counter() - t
    t = time.perf_counter()
    for chunk in chunks:
        plugins.pm.hook.classify_customer(customers=chunk, context=context)
    hooked = time.perf_counter() - t
    return direct / len(records) * 1e6, hooked / len(records) * 1e6


def help_time(runs: int = 7) -> float:
    exe = Path(sys.executable).with_name("zhidu")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(exe), "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="synthetic customers (default 1,000,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_path = tmp / "customers.csv"
        t = time.perf_counter()
        generate(csv_path, args.n)
        print(f"generated {args.n:,} customers in {time.perf_counter() - t:.1f}s ({csv_path.stat().st_size / 1e6:.0f} MB CSV)")
        plain, plain_total, plain_n = run_plain(csv_path, tmp / "plain.db")
        zhidu, zhidu_total, zhidu_n = run_zhidu(csv_path, tmp / "zhidu.db")
        assert plain_n == zhidu_n == args.n, (plain_n, zhidu_n)
        print(f"\n{'stage':<10}{'zhidu rec/s':>14}{'plain rec/s':>14}{'ratio':>9}")
        for stage in ("parse", "validate", "hook", "store"):
            z, p = zhidu.seconds[stage], plain.seconds[stage]
            print(f"{stage:<10}{args.n / z:>14,.0f}{args.n / p:>14,.0f}{z / p:>8.1f}x")
        print(f"{'total':<10}{args.n / zhidu_total:>14,.0f}{args.n / plain_total:>14,.0f}{zhidu_total / plain_total:>8.1f}x")
        direct_us, hooked_us = hook_overhead(csv_path)
        print(f"\nrule via direct call: {direct_us:.2f} us/record; via pluggy per chunk: {hooked_us:.2f} us/record "
              f"(overhead {hooked_us - direct_us:+.3f} us/record)")
        print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB for N={args.n:,}")
        print(f"zhidu --help: {help_time():.0f} ms (median of 7)")
        print("\ntargets: end to end <= 1.3x plain; validation >= 150,000 rows/s; --help < 150 ms")


if __name__ == "__main__":
    main()
