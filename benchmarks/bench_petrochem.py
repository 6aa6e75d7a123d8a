"""petrochem benchmark: a quarterly review (`zhidu classify --review 2026Q3`) of N customers, from CSV
into the database and back out as logged decisions, against a plain-Python pipeline doing the same work.

    python benchmarks/bench_petrochem.py             # 200,000 customers, ~570,000 monthly volumes
    python benchmarks/bench_petrochem.py --n 1000000

zhidu (core v2): `import_file` of the plugin's declared kinds `customer` (the widened shared kind) and
`monthly_volume`, each inside an import run as `zhidu import` makes it (validation through the
schemas' fast lane and marshmallow, idempotent writes into the generic `records` table with a
content hash per record), then `run_command(classify, review=2026Q3)`: customers streamed from the
records table, the quarter's volumes and the last committed levels read through `context.history`
per chunk, the plugin's hook, decisions checked, stamped, fingerprinted and appended to the
hash-chained decision log chunk by chunk inside a run that commits at the end.

Plain Python (no zhidu code): csv.reader with hand-written checks, sqlite3 executemany upserts into
typed tables (one column per field), one SELECT per table to rebuild the customers with their
volumes and any earlier levels, the review rule written inline, and the same hash-chained log rows
written with executemany. The two decision logs are compared row by row afterwards.

Prints records/s per phase (wall clock, CPU ratio beside), the ratio zhidu / plain (time), peak
memory and bytes per stored record and per logged decision. Not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sqlite3
import tempfile
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from benchkit import Clock, peak_rss_mib, report_agreement, table_bytes
from plain_checks import PlainLog, level_of, classify_review, plain_month, plain_tonnes, stamped

PERIOD = ("2026Q3", "2026年第三季度", ("2026-07", "2026-08", "2026-09"))
MONTHS = PERIOD[2]
AS_OF = date(2026, 10, 8)
CUSTOMER_HEADER = ["客户编码", "客户名称", "客户类别", "销售形式", "产品线", "当前级别"]
VOLUME_HEADER = ["客户编码", "月份", "提货量"]
CHUNK = 5000


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


def zhidu_import(ws, kind: str, path: Path) -> int:
    """What `zhidu import KIND FILE` does, without the terminal progress bar: an import run around import_file."""
    from zhidu.core.importer import import_file
    from zhidu.core.runs import COMMITTED, FAILED, Run, finish_run, start_run

    db = ws.database()
    spec = ws.kinds.get(kind)
    run = start_run(db, Run(command=f"import {kind}", company=ws.company, timezone=ws.timezone, as_of=AS_OF,
                            plugin_versions={spec.plugin: ws.plugins.infos[spec.plugin].version}, options={"file": str(path)}))
    try:
        result, _unknown = import_file(db, ws.kinds, kind, path, run_id=run.id)
    except BaseException as exc:
        finish_run(db, run.id, FAILED, message=str(exc)[:1500])
        raise
    finish_run(db, run.id, COMMITTED)
    db.dispose()
    return result.total


def run_zhidu(customers: Path, volumes: Path, db_path: Path) -> dict:
    from zhidu.core.service import RunRequest, run_command
    from zhidu.core.storage.db import open_database
    from zhidu.core.workspace import Workspace

    open_database(str(db_path), upgrade=True).dispose()
    ws = Workspace(plugin_names=["petrochem"], db_url=str(db_path))
    imported, review = Clock(), Clock()
    with imported:
        stored = zhidu_import(ws, "customer", customers) + zhidu_import(ws, "monthly_volume", volumes)
    with review:
        decided = sum(1 for _ in run_command(ws, RunRequest(command="classify", options={"review": PERIOD[0]}, as_of=AS_OF)))
    return {"import": imported, "review": review, "decisions": decided, "stored": stored}


# --- the plain-Python baseline ---------------------------------------------------------------

SEGMENTS = {"经销商": "distributor", "直销客户": "direct", "独家代理商": "exclusive_agent"}
FORMS = {"计划": "plan", "网拍": "auction"}
LINES = {"聚烯烃": "polyolefin", "其他": "other"}
CUSTOMER_COLUMNS = ("code", "name", "segment", "sales_form", "product_line", "level")
VOLUME_COLUMNS = ("customer_code", "month", "volume")


def _customer_row(row: list[str]) -> tuple | None:
    code, name, segment, form, line, level = (v.strip() for v in row)
    if (not code or len(code) > 64 or not name or len(name) > 200 or segment not in SEGMENTS or form not in FORMS
            or line not in LINES or len(level) > 32):
        return None
    return (code, name, SEGMENTS[segment], FORMS[form], LINES[line], level or None)


def _volume_row(row: list[str]) -> tuple | None:
    code, month, volume = (v.strip() for v in row)
    tonnes = plain_tonnes(volume)
    if not code or len(code) > 64 or not plain_month(month) or tonnes is None:
        return None
    return (code, month, format(tonnes, "f"))


def _load(conn: sqlite3.Connection, path: Path, table: str, columns: tuple[str, ...], key: str, check) -> int:
    """Re-importing a file changes nothing and a changed row updates its record: an upsert on the key."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
    insert = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
              f"ON CONFLICT ({key}) DO UPDATE SET {updates}")
    count = 0
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        batch = []
        for row in reader:
            checked = check(row)
            if checked is None:
                raise ValueError(f"bad row in {path}: {row}")
            batch.append(checked)
            if len(batch) == CHUNK:
                conn.executemany(insert, batch)
                count += len(batch)
                batch = []
        if batch:
            conn.executemany(insert, batch)
            count += len(batch)
    return count


def run_plain(customers: Path, volumes: Path, db_path: Path) -> dict:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE customers (id INTEGER PRIMARY KEY, {', '.join(CUSTOMER_COLUMNS)}, UNIQUE (code))")
    conn.execute("CREATE TABLE monthly_volumes (id INTEGER PRIMARY KEY, customer_code, month, volume, UNIQUE (customer_code, month))")
    imported, review = Clock(), Clock()
    with imported:
        conn.execute("BEGIN IMMEDIATE")
        stored = _load(conn, customers, "customers", CUSTOMER_COLUMNS, "code", _customer_row)
        stored += _load(conn, volumes, "monthly_volumes", VOLUME_COLUMNS, "customer_code, month", _volume_row)
        conn.execute("COMMIT")
    log = PlainLog(conn, str(uuid.uuid4()), "classify", AS_OF.isoformat(), "0.1.0")
    with review:
        by_customer: dict[str, dict[str, Decimal]] = {}
        placeholders = ", ".join("?" * len(MONTHS))
        for code, month, volume in conn.execute(f"SELECT customer_code, month, volume FROM monthly_volumes WHERE month IN ({placeholders}) ORDER BY id", MONTHS):
            by_customer.setdefault(code, {})[month] = Decimal(volume)
        # 依次升降 from the last earlier review of each customer, when there is one (none in a fresh database).
        earlier: dict[str, str] = {}
        for subject, outcome in conn.execute("SELECT subject_id, outcome FROM decision_log WHERE command = 'classify' ORDER BY id"):
            level = json.loads(outcome).get("level")
            if level:
                earlier[subject] = level
        cursor = conn.execute(f"SELECT {', '.join(CUSTOMER_COLUMNS)} FROM customers ORDER BY id")
        while rows := cursor.fetchmany(CHUNK):
            decided = []
            for code, name, segment, form, line, level in rows:
                if code in earlier:
                    level = earlier[code]
                volumes_seen = by_customer.get(code, {})
                decision = classify_review(f"{name}({code})", segment, form, line, level, volumes_seen, PERIOD)
                if decision is None:
                    continue
                inputs = {"code": code, "name": name, "phone": None, "segment": segment, "sales_form": form,
                          "product_line": line, "product": None, "level": level_of(level), "direct_user": None,
                          "sells_other_brands": None, "region": None, "month": None, "monthly_volume": None,
                          "pickup_completion_rate": None, "developed_on": None, "qualification_expires": None,
                          "volumes": volumes_seen}
                decided.append(stamped(code, decision, inputs))
            log.append(decided)
    conn.close()
    return {"import": imported, "review": review, "decisions": log.count, "stored": stored}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200_000, help="customers (default 200,000; about 2.85 monthly volumes each)")
    args = parser.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        customers, volumes, volume_rows = generate(folder, n)
        print(f"generated {n:,} customers and {volume_rows:,} monthly volumes in {time.perf_counter() - t:.1f}s")
        # zhidu first, so that the peak RSS it reaches is measured before the plain baseline, which
        # holds every monthly volume in a dict, raises the process's high-water mark.
        zhidu = run_zhidu(customers, volumes, folder / "zhidu.db")
        zhidu_rss = peak_rss_mib()
        plain = run_plain(customers, volumes, folder / "plain.db")
        assert plain["decisions"] == zhidu["decisions"] == n, (plain["decisions"], zhidu["decisions"])
        rows_in = n + volume_rows
        assert plain["stored"] == zhidu["stored"] == rows_in, (plain["stored"], zhidu["stored"])
        print(f"\n{'phase':<36}{'zhidu rec/s':>13}{'plain rec/s':>13}{'ratio':>8}{'zhidu CPU s':>13}{'plain CPU s':>13}{'CPU ratio':>11}")

        def row(label: str, count: int, zw: float, pw: float, zc: float, pc: float) -> None:
            print(f"{label:<36}{count / zw:>13,.0f}{count / pw:>13,.0f}{zw / pw:>7.2f}x{zc:>13.1f}{pc:>13.1f}{zc / pc:>10.2f}x")

        for label, key, count in (
            (f"import ({rows_in:,} CSV rows)", "import", rows_in),
            (f"review {PERIOD[0]} ({n:,} customers)", "review", n),
        ):
            z, p = zhidu[key], plain[key]
            row(label, count, z.wall, p.wall, z.cpu, p.cpu)
        row("end to end (customers/s)", n, zhidu["import"].wall + zhidu["review"].wall, plain["import"].wall + plain["review"].wall,
            zhidu["import"].cpu + zhidu["review"].cpu, plain["import"].cpu + plain["review"].cpu)
        report_agreement(folder / "zhidu.db", folder / "plain.db")
        z = table_bytes(folder / "zhidu.db", ["records", "decision_log"])
        p = table_bytes(folder / "plain.db", ["customers", "monthly_volumes", "decision_log"])
        print(f"\nbytes per stored record (tables and indexes): zhidu {z['records'] / rows_in:,.0f} (generic records table); "
              f"plain {(p['customers'] + p['monthly_volumes']) / rows_in:,.0f} (typed tables)")
        print(f"bytes per logged decision: zhidu {z['decision_log'] / n:,.0f}; plain {p['decision_log'] / n:,.0f}")
        print(f"peak RSS: zhidu {zhidu_rss:.0f} MiB; with the plain baseline {peak_rss_mib():.0f} MiB (N={n:,})")


if __name__ == "__main__":
    main()
