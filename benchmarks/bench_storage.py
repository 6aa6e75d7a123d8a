"""Storage benchmark: importing N rows of a declared kind into core v2's generic `records` table,
against the typed table the kind had before (one column per field, as schema 0001's `customers`).

    python benchmarks/bench_storage.py              # 200,000 customers
    python benchmarks/bench_storage.py --n 1000000  # the issue's figure

The kind is petrochem's widened `customer` (客户编码 ... 资质到期日: twelve fields). Four passes over
the same CSV, all on SQLite in WAL mode with synchronous=NORMAL, each in one transaction:

1. zhidu: `zhidu.core.importer.import_file` inside an import run, as `zhidu import customer FILE`
   does: the core's CSV reader, the schema's fast validation lane, and `RecordWriter` writing the
   canonical JSON payload with its sha256 content hash into `records` (unique on kind and key,
   indexed by subject, time order and parent), counting new / changed / unchanged.
2. typed table, same validation: the same reader and validator (`importer.validate_rows`), then
   v1's way of writing a typed table: the chunk's stored rows looked up by code (for the counts),
   new rows inserted with the driver's executemany, changed rows upserted. The table is a
   SQLAlchemy `Table` with schema 0001's columns (text for decimals and dates, as on SQLite) and
   its unique code. 1 against 2 is the cost of the generic layout alone.
3. plain: csv.reader, hand-written checks, sqlite3 executemany (an upsert on code) into the same
   typed table; no zhidu code.
4. validation only: `validate_rows` with no writes, to split 1 and 2 into reading and writing.

Prints rows/s (wall, with CPU seconds), the ratios, bytes per row of each table (its indexes
included, from SQLite's dbstat) and of each database file, and peak memory. Nothing asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path

from benchkit import Clock, file_bytes, peak_rss_mib, table_bytes
from plain_checks import level_of, plain_month, plain_tonnes

HEADER = ["客户编码", "客户名称", "联系电话", "客户类别", "销售形式", "产品线", "当前级别", "月份", "月提货量",
          "提货完成率", "开发日期", "资质到期日"]
COLUMNS = ("code", "name", "phone", "segment", "sales_form", "product_line", "level", "month", "monthly_volume",
           "pickup_completion_rate", "developed_on", "qualification_expires")
CHUNK = 5000
AS_OF = date(2026, 11, 20)


def generate(path: Path, n: int, seed: int = 5) -> None:
    """A realistic export: most columns filled, some left blank as exports leave them."""
    rng = random.Random(seed)
    segments = ["经销商"] * 8 + ["直销客户", "独家代理商"]
    levels = ["", "普通客户", "一星客户", "二星客户", "三星客户"]
    start = date(2012, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(n):
            developed = start + timedelta(days=rng.randrange(5000))
            w.writerow([
                f"C{i:07d}", f"客户{i}化工有限公司", f"13{rng.randrange(10**9):09d}" if rng.random() < 0.8 else "",
                rng.choice(segments), "计划" if rng.random() < 0.9 else "网拍", "聚烯烃" if rng.random() < 0.95 else "其他",
                rng.choice(levels), "2026-10", f"{rng.lognormvariate(6.8, 0.9):.3f}",
                f"{rng.uniform(0.5, 1):.4f}" if rng.random() < 0.7 else "", developed.isoformat(),
                (developed + timedelta(days=365 * rng.randrange(1, 6))).isoformat() if rng.random() < 0.6 else "",
            ])


# --- 1. zhidu into the generic records table ---------------------------------------------------

def run_zhidu(path: Path, db_path: Path) -> tuple[Clock, int]:
    from zhidu.core.importer import import_file
    from zhidu.core.runs import COMMITTED, Run, finish_run, start_run
    from zhidu.core.storage.db import open_database
    from zhidu.core.workspace import Workspace

    open_database(str(db_path), upgrade=True).dispose()
    ws = Workspace(plugin_names=["petrochem"], db_url=str(db_path))
    kinds = ws.kinds
    clock = Clock()
    with clock:
        db = ws.database()
        run = start_run(db, Run(command="import customer", company=ws.company, timezone=ws.timezone, as_of=AS_OF,
                                plugin_versions={"petrochem": ws.plugins.infos["petrochem"].version}, options={"file": str(path)}))
        result, unknown = import_file(db, kinds, "customer", path, run_id=run.id)
        finish_run(db, run.id, COMMITTED)
        db.dispose()
    assert not unknown and result.new == result.total, (unknown, result)
    return clock, result.total


# --- 2. the same validation into a typed table -------------------------------------------------

def _exact_decimal():
    """Schema 0001's ExactDecimal, as its migration froze it: canonical text on SQLite."""
    from decimal import Decimal

    from sqlalchemy import Numeric, String
    from sqlalchemy.types import TypeDecorator

    class ExactDecimal(TypeDecorator):
        impl = String(40)
        cache_ok = True

        def __init__(self, precision: int = 18, scale: int = 4) -> None:
            super().__init__()
            self.precision, self.scale = precision, scale

        def load_dialect_impl(self, dialect):
            if dialect.name == "postgresql":
                return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))
            return dialect.type_descriptor(String(40))

        def process_bind_param(self, value, dialect):
            if value is None:
                return None
            return Decimal(value) if dialect.name == "postgresql" else format(Decimal(value), "f")

        def process_result_value(self, value, dialect):
            return None if value is None else Decimal(value)

    return ExactDecimal


def typed_table():
    """Schema 0001's customers table, with the field the shared kind has gained since (phone)."""
    from sqlalchemy import Column, Date, Integer, MetaData, String, Table, UniqueConstraint

    ExactDecimal = _exact_decimal()

    return Table(
        "customers", MetaData(),
        Column("id", Integer, primary_key=True),
        Column("code", String(64), nullable=False),
        Column("name", String(200), nullable=False),
        Column("phone", String(32)),
        Column("segment", String(32)),
        Column("sales_form", String(32)),
        Column("product_line", String(32)),
        Column("level", String(32)),
        Column("month", String(7)),
        Column("monthly_volume", ExactDecimal(18, 3)),
        Column("pickup_completion_rate", ExactDecimal(8, 4)),
        Column("developed_on", Date),
        Column("qualification_expires", Date),
        UniqueConstraint("code"),
    )


def _typed_db(db_path: Path):
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{db_path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")

    table = typed_table()
    table.metadata.create_all(engine)
    return engine, table


class TypedWriter:
    """v1's typed-table writer: the chunk's stored rows looked up by code (counting new / changed /
    unchanged), new rows inserted with the driver's executemany, changed rows upserted."""

    def __init__(self, connection, table) -> None:
        dialect = connection.dialect
        self.connection, self.table = connection, table
        self.cursor = connection.connection.dbapi_connection.cursor()
        self.processors = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in COLUMNS]
        self.insert = f"INSERT INTO customers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        sets = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
        self.upsert = self.insert + f" ON CONFLICT (code) DO UPDATE SET {sets}"
        self.new = self.changed = self.unchanged = 0

    def write(self, records) -> None:
        rows: dict[str, tuple] = {}
        for r in records:
            values = tuple(getattr(r, n) for n in COLUMNS)
            rows[values[0]] = tuple(v if p is None or v is None else p(v) for v, p in zip(values, self.processors))
        codes = list(rows)
        placeholders = ", ".join("?" * len(codes))
        stored = {row[0]: row for row in self.cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM customers WHERE code IN ({placeholders})", codes)}
        new, changed = [], []
        for code, row in rows.items():
            old = stored.get(code)
            if old is None:
                new.append(row)
            elif old != row:
                changed.append(row)
            else:
                self.unchanged += 1
        if new:
            self.cursor.executemany(self.insert, new)
        if changed:
            self.cursor.executemany(self.upsert, changed)
        self.new += len(new)
        self.changed += len(changed)


def run_typed(path: Path, db_path: Path) -> tuple[Clock, int]:
    from zhidu.core.importer import validate_rows
    from zhidu.core.plugins import PolicyPlugins

    kind = PolicyPlugins(["petrochem"]).kinds.get("customer")
    engine, table = _typed_db(db_path)
    clock = Clock()
    with clock:
        with engine.connect() as connection:
            with connection.begin():
                writer = TypedWriter(connection, table)
                buffer = []
                validator = None
                for validator, _number, record in validate_rows(path, kind, "csv", None):
                    if record is not None:
                        buffer.append(record)
                    if len(buffer) == CHUNK:
                        writer.write(buffer)
                        buffer = []
                if validator.errors:
                    raise ValueError(validator.errors[:3])
                if buffer:
                    writer.write(buffer)
                writer.cursor.close()
    engine.dispose()
    return clock, writer.new + writer.changed + writer.unchanged


def run_validate_only(path: Path) -> tuple[Clock, int]:
    from zhidu.core.importer import validate_rows
    from zhidu.core.plugins import PolicyPlugins

    kind = PolicyPlugins(["petrochem"]).kinds.get("customer")
    clock = Clock()
    count = 0
    with clock:
        for _validator, _number, record in validate_rows(path, kind, "csv", None):
            count += record is not None
    return clock, count


# --- 3. plain: csv.reader, hand checks, executemany --------------------------------------------

SEGMENTS = {"经销商": "distributor", "直销客户": "direct", "独家代理商": "exclusive_agent"}
FORMS = {"计划": "plan", "网拍": "auction"}
LINES = {"聚烯烃": "polyolefin", "其他": "other"}


def _plain_date(text: str) -> str | None:
    if not text:
        return None
    day = date.fromisoformat(text)  # raises on a bad date
    if not 1900 <= day.year <= 2999:
        raise ValueError(text)
    return day.isoformat()


def _plain_rate(text: str):
    """A rate between 0 and 1 with at most four places (Amount(digits=8, places=4), Rate), or None."""
    try:
        rate = Decimal(text)
    except InvalidOperation:
        return None
    if not rate.is_finite() or not 0 <= rate <= 1 or rate.as_tuple().exponent < -4:
        return None
    return rate


def plain_row(row: list[str]) -> tuple:
    code, name, phone, segment, form, line, level, month, volume, rate, developed, expires = (v.strip() for v in row)
    tonnes = plain_tonnes(volume) if volume else None
    completion = _plain_rate(rate) if rate else None
    if (not code or len(code) > 64 or not name or len(name) > 200 or len(phone) > 32 or (segment and segment not in SEGMENTS)
            or (form and form not in FORMS) or (line and line not in LINES) or (level and level_of(level) is None)
            or (month and not plain_month(month)) or (volume and tonnes is None)
            or (rate and completion is None)):
        raise ValueError(f"bad row: {row}")
    return (code, name, phone or None, SEGMENTS.get(segment), FORMS.get(form), LINES.get(line), level_of(level or None), month or None,
            None if tonnes is None else format(tonnes, "f"), None if completion is None else format(completion, "f"),
            _plain_date(developed), _plain_date(expires))


def run_plain(path: Path, db_path: Path) -> tuple[Clock, int]:
    _typed_db(db_path)[0].dispose()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    sets = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
    upsert = f"INSERT INTO customers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) ON CONFLICT (code) DO UPDATE SET {sets}"
    count = 0
    clock = Clock()
    with clock:
        conn.execute("BEGIN IMMEDIATE")
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)
            while batch := [plain_row(r) for r in islice(reader, CHUNK)]:
                conn.executemany(upsert, batch)
                count += len(batch)
        conn.execute("COMMIT")
    conn.close()
    return clock, count


def same_content(zhidu_db: Path, typed_db: Path, plain_db: Path) -> tuple[int, int]:
    """After the timings: do the three databases hold the same values, row by row in file order?"""
    import json

    cols = ", ".join(COLUMNS)
    z = sqlite3.connect(zhidu_db).execute("SELECT payload FROM records WHERE kind = 'customer' ORDER BY id")
    t = sqlite3.connect(typed_db).execute(f"SELECT {cols} FROM customers ORDER BY id")
    p = sqlite3.connect(plain_db).execute(f"SELECT {cols} FROM customers ORDER BY id")
    compared = differ = 0
    while rows := z.fetchmany(10000):
        typed_rows, plain_rows = t.fetchmany(len(rows)), p.fetchmany(len(rows))
        for (payload,), typed_row, plain_row_ in zip(rows, typed_rows, plain_rows):
            data = json.loads(payload)
            compared += 1
            # A payload leaves blank fields out: absent is blank.
            differ += not (tuple(data.get(c) for c in COLUMNS) == tuple(typed_row) == tuple(plain_row_))
    return compared, differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200_000, help="customer rows (default 200,000)")
    args = parser.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "customers.csv"
        t = time.perf_counter()
        generate(csv_path, n)
        print(f"generated {n:,} customer rows in {time.perf_counter() - t:.1f}s ({csv_path.stat().st_size / 1e6:.0f} MB CSV, {len(HEADER)} columns)", flush=True)
        zhidu, zn = run_zhidu(csv_path, folder / "zhidu.db")
        zhidu_rss = peak_rss_mib()
        typed, tn = run_typed(csv_path, folder / "typed.db")
        plain, pn = run_plain(csv_path, folder / "plain.db")
        check, cn = run_validate_only(csv_path)
        assert zn == tn == pn == cn == n, (zn, tn, pn, cn)
        z_bytes = table_bytes(folder / "zhidu.db", ["records"])["records"]
        t_bytes = table_bytes(folder / "typed.db", ["customers"])["customers"]
        p_bytes = table_bytes(folder / "plain.db", ["customers"])["customers"]

        print(f"\n{'import of ' + format(n, ',') + ' customer rows':<44}{'rows/s':>10}{'wall s':>9}{'CPU s':>8}"
              f"{'x typed':>9}{'bytes/row':>11}{'file B/row':>11}")
        for label, clock, size, db in (
            ("zhidu import_file -> records (generic)", zhidu, z_bytes, "zhidu.db"),
            ("same validation -> typed table", typed, t_bytes, "typed.db"),
            ("plain csv.reader -> typed table", plain, p_bytes, "plain.db"),
            ("validation only (no writes)", check, None, None),
        ):
            print(f"{label:<44}{n / clock.wall:>10,.0f}{clock.wall:>9.1f}{clock.cpu:>8.1f}{clock.wall / typed.wall:>8.2f}x"
                  + (f"{size / n:>11,.0f}{file_bytes(folder / db) / n:>11,.0f}" if db else ""))
        print(f"\nratio generic / typed table (same validation): {zhidu.wall / typed.wall:.2f}x time (CPU {zhidu.cpu / typed.cpu:.2f}x), "
              f"{z_bytes / t_bytes:.2f}x bytes per row")
        print(f"ratio zhidu / plain: {zhidu.wall / plain.wall:.2f}x time (CPU {zhidu.cpu / plain.cpu:.2f}x)")
        z_write, t_write = zhidu.cpu - check.cpu, typed.cpu - check.cpu
        print(f"writing alone (CPU s, the validation pass subtracted): generic {z_write:.1f}, typed {t_write:.1f} "
              f"({z_write / t_write:.2f}x)" if t_write > 0 else "")
        print(f"peak RSS: zhidu {zhidu_rss:.0f} MiB; at the end {peak_rss_mib():.0f} MiB (N={n:,})")
        compared, differ = same_content(folder / "zhidu.db", folder / "typed.db", folder / "plain.db")
        print(f"same content: {compared - differ:,} of {compared:,} rows hold the same twelve values in all three databases")


if __name__ == "__main__":
    main()
