"""petrochem benchmark: a quarterly review (`zhidu classify --review 2026Q3`) of N customers, from CSV
into the database and back out as logged decisions, against a plain-Python pipeline doing the same work.

    python benchmarks/bench_petrochem.py             # 1,000,000 customers, 3,000,000 monthly volumes
    python benchmarks/bench_petrochem.py --n 100000

zhidu: `import_file` (validation through the marshmallow schemas, idempotent writes) for customers and
monthly volumes, then `run_command(classify, period=2026Q3)`: stream customers from the database with
the quarter's volumes attached, the pluggy hook per chunk, decisions stamped, fingerprinted and written
to the decision log.

Plain Python: csv.reader with hand-written checks, sqlite3 executemany into equivalent tables, one
SELECT per table to rebuild the customers with their volumes, a direct call of the same rule function
(`tiers.classify`, no pluggy), and the same log row (outcome, parameters, inputs JSON, sha256) written
with executemany. What differs is only the framework.

Prints records/s per phase and the ratio zhidu / plain (time). Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import resource
import sqlite3
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from plain_checks import MONTH, plain_tonnes
from zhidu.core.decisions import to_jsonable
from zhidu.core.importer import import_file
from zhidu.core.records import Customer
from zhidu.core.service import RunRequest, run_command
from zhidu.core.storage.db import open_database
from zhidu.core.workspace import Workspace
from zhidu.plugins.petrochem import tiers
from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.periods import parse_period

PERIOD = "2026Q3"
MONTHS = ("2026-07", "2026-08", "2026-09")
AS_OF = date(2026, 10, 8)
CUSTOMER_HEADER = ["客户编码", "客户名称", "客户类别", "销售形式", "产品线", "当前级别"]
VOLUME_HEADER = ["客户编码", "月份", "提货量"]


def generate(folder: Path, n: int, seed: int = 11) -> tuple[Path, Path, int]:
    """N customers (8 in 10 plan distributors, some direct, some auction, a few other-product agents)
    and their three monthly volumes; about one month in twenty has no record (counted as 0 t)."""
    rng = random.Random(seed)
    customers, volumes = folder / "customers.csv", folder / "volumes.csv"
    segments = ["经销商"] * 8 + ["直销客户", "独家代理商"]
    levels = ["", "普通客户", "一星客户", "二星客户", "三星客户"]
    volume_rows = 0
    with open(customers, "w", newline="", encoding="utf-8") as cf, open(volumes, "w", newline="", encoding="utf-8") as vf:
        cw, vw = csv.writer(cf), csv.writer(vf)
        cw.writerow(CUSTOMER_HEADER)
        vw.writerow(VOLUME_HEADER)
        for i in range(n):
            code = f"C{i:07d}"
            cw.writerow([code, f"客户{i}化工有限公司", rng.choice(segments), "计划" if rng.random() < 0.9 else "网拍",
                         "聚烯烃" if rng.random() < 0.95 else "其他", rng.choice(levels)])
            base = rng.lognormvariate(7.2, 0.8)
            for month in MONTHS:
                if rng.random() < 0.05:
                    continue
                vw.writerow([code, month, f"{base * rng.uniform(0.7, 1.3):.3f}"])
                volume_rows += 1
    return customers, volumes, volume_rows


def run_zhidu(customers: Path, volumes: Path, db_path: Path) -> dict[str, float]:
    db = open_database(str(db_path), upgrade=True)
    t = time.perf_counter()
    import_file(db, "customer", customers)
    import_file(db, "monthly_volume", volumes)
    db.dispose()
    imported = time.perf_counter()
    ws = Workspace(plugin_names=["petrochem"], db_url=str(db_path))
    decided = sum(1 for _ in run_command(ws, RunRequest(command="classify", period=PERIOD, as_of=AS_OF)))
    done = time.perf_counter()
    return {"import": imported - t, "classify": done - imported, "decisions": decided}


# --- the plain-Python baseline ---------------------------------------------------------------

SEGMENTS = {"经销商": "distributor", "直销客户": "direct", "独家代理商": "exclusive_agent"}
FORMS = {"计划": "plan", "网拍": "auction"}
LINES = {"聚烯烃": "polyolefin", "其他": "other"}
CUSTOMER_COLUMNS = ("code", "name", "segment", "sales_form", "product_line", "level")
LOG_COLUMNS = ("run_id", "command", "decided_at", "as_of", "company", "subject_kind", "subject_id", "rule_id",
               "citation_document", "citation_clause", "outcome", "explanation", "plugin", "plugin_version",
               "parameters", "inputs", "fingerprint")


def _customer_row(row: list[str]) -> tuple | None:
    code, name, segment, form, line, level = row
    if not code or not name or segment not in SEGMENTS or form not in FORMS or line not in LINES:
        return None
    return (code, name, SEGMENTS[segment], FORMS[form], LINES[line], level or None)


def _volume_row(row: list[str]) -> tuple | None:
    code, month, volume = row
    tonnes = plain_tonnes(volume)
    if not code or not MONTH.match(month) or tonnes is None:
        return None
    return (code, month, format(tonnes, "f"))


def _load(conn: sqlite3.Connection, path: Path, table: str, columns: tuple[str, ...], check) -> None:
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        batch = []
        for row in reader:
            checked = check(row)
            if checked is None:
                raise ValueError(f"bad row in {path}: {row}")
            batch.append(checked)
            if len(batch) == 5000:
                conn.executemany(insert, batch)
                batch = []
        if batch:
            conn.executemany(insert, batch)


def run_plain(customers: Path, volumes: Path, db_path: Path) -> dict[str, float]:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"CREATE TABLE customers (id INTEGER PRIMARY KEY, {', '.join(CUSTOMER_COLUMNS)}, UNIQUE(code))")
    conn.execute("CREATE TABLE monthly_volumes (id INTEGER PRIMARY KEY, customer_code, month, volume, UNIQUE(customer_code, month))")
    conn.execute(f"CREATE TABLE decision_log (id INTEGER PRIMARY KEY, {', '.join(LOG_COLUMNS)})")
    t = time.perf_counter()
    _load(conn, customers, "customers", CUSTOMER_COLUMNS, _customer_row)
    _load(conn, volumes, "monthly_volumes", ("customer_code", "month", "volume"), _volume_row)
    conn.commit()
    imported = time.perf_counter()

    params = SPEC.resolve()
    period = parse_period(PERIOD)
    bounds = tiers.lower_bounds(params)
    used = tiers.parameters_used(params, True)
    params_json = json.dumps(to_jsonable(used), ensure_ascii=False, sort_keys=True)
    by_customer: dict[str, dict[str, Decimal]] = defaultdict(dict)
    placeholders = ", ".join("?" * len(MONTHS))
    for code, month, volume in conn.execute(f"SELECT customer_code, month, volume FROM monthly_volumes WHERE month IN ({placeholders})", MONTHS):
        by_customer[code][month] = Decimal(volume)
    insert = f"INSERT INTO decision_log ({', '.join(LOG_COLUMNS)}) VALUES ({', '.join('?' * len(LOG_COLUMNS))})"
    decided = 0
    stamp = datetime.now().isoformat(sep=" ")
    cursor = conn.execute(f"SELECT {', '.join(CUSTOMER_COLUMNS)} FROM customers ORDER BY id")
    while rows := cursor.fetchmany(5000):
        log_rows = []
        for code, name, segment, form, line, level in rows:
            customer = Customer(code, name, segment=segment, sales_form=form, product_line=line, level=level,
                                volumes=by_customer.get(code, {}))
            d = tiers.classify(customer, params, bounds, period, AS_OF, used)
            inputs = json.dumps(to_jsonable(customer), ensure_ascii=False, sort_keys=True)
            log_rows.append(("run", "classify", stamp, AS_OF.isoformat(), "bench", d.subject_kind, d.subject_id,
                             d.rule_id, d.citation.document, d.citation.clause,
                             json.dumps(to_jsonable(d.outcome), ensure_ascii=False, sort_keys=True), d.explanation,
                             "petrochem", "0", params_json, inputs, hashlib.sha256(inputs.encode()).hexdigest()))
        conn.executemany(insert, log_rows)
        decided += len(log_rows)
    conn.commit()
    done = time.perf_counter()
    conn.close()
    return {"import": imported - t, "classify": done - imported, "decisions": decided}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="customers (default 1,000,000; three monthly volumes each)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        customers, volumes, volume_rows = generate(folder, args.n)
        print(f"generated {args.n:,} customers and {volume_rows:,} monthly volumes in {time.perf_counter() - t:.1f}s")
        # zhidu first, so that the peak RSS it reaches is measured before the plain baseline, which
        # holds every monthly volume in a dict, raises the process's high-water mark.
        zhidu = run_zhidu(customers, volumes, folder / "zhidu.db")
        zhidu_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        plain = run_plain(customers, volumes, folder / "plain.db")
        assert plain["decisions"] == zhidu["decisions"] == args.n, (plain["decisions"], zhidu["decisions"])
        rows_in = args.n + volume_rows
        print(f"\n{'phase':<34}{'zhidu rec/s':>14}{'plain rec/s':>14}{'ratio':>9}")
        for label, key, count in (
            (f"import ({rows_in:,} CSV rows)", "import", rows_in),
            (f"review {PERIOD} ({args.n:,} customers)", "classify", args.n),
        ):
            print(f"{label:<34}{count / zhidu[key]:>14,.0f}{count / plain[key]:>14,.0f}{zhidu[key] / plain[key]:>8.2f}x")
        z_total, p_total = zhidu["import"] + zhidu["classify"], plain["import"] + plain["classify"]
        print(f"{'end to end (customers/s)':<34}{args.n / z_total:>14,.0f}{args.n / p_total:>14,.0f}{z_total / p_total:>8.2f}x")
        print(f"\npeak RSS: zhidu {zhidu_rss:.0f} MiB; with the plain baseline {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB (N={args.n:,})")


if __name__ == "__main__":
    main()
