"""The whole job, process against process: `zhidu import customer FILE`, then `zhidu classify` over
the database, and `zhidu classify FILE` (file mode), each as the user runs it (a fresh `zhidu`
process: start-up, plugin loading, reading, checking, deciding, the hash-chained log and the JSON
lines it prints), against the hand-written pipeline of plain_job.py doing the same job in its own
process, in the same run. On PostgreSQL (ZHIDU_TEST_PG_URL or --pg URL) the same against psycopg COPY.

    python benchmarks/bench_job.py --n 200000
    python benchmarks/bench_job.py --n 50000 --n 200000 --pg postgresql://...   # memory flat in N?

Prints rows/s (wall) and CPU seconds of each process, the ratio zhidu / plain, each process's peak
RSS, and bytes per stored decision (the decision log with its indexes and the runs table). Nothing
asserts a time: the machine is shared, so read the ratios within one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench_core import generate
from benchkit import compare_logs, table_bytes

HERE = Path(__file__).resolve().parent
ZHIDU = str(Path(sys.executable).with_name("zhidu"))
AS_OF = "2026-11-20"


@dataclass
class Measured:
    wall: float
    cpu: float
    rss_mib: float


def measure(argv: list[str], cwd: Path) -> Measured:
    """Run one process to completion, its output thrown away; wall time, its CPU time and peak RSS.
    GNU time reports them: a child forked from this (large) process would count its memory too."""
    with open(os.devnull, "wb") as sink, tempfile.NamedTemporaryFile("r") as usage, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", usage.name, *argv], cwd=cwd, stdout=sink, stderr=err)
        wall = time.perf_counter() - started
        if process.returncode:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}): {err.read().decode()[-2000:]}")
        user, system, rss_kib = usage.read().split()[-3:]
    return Measured(wall, float(user) + float(system), int(rss_kib) / 1024)


def zhidu_company(directory: Path, database: str | None = None) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    extra = ["--database", database] if database else []
    subprocess.run([ZHIDU, "init", "acme", "--plugins", "petrochem", "--dir", str(directory), *extra], check=True, capture_output=True)
    return [ZHIDU, "--profile", str(directory / "acme.toml")]


def plain(*args: str) -> list[str]:
    return [sys.executable, str(HERE / "plain_job.py"), *args]


def decision_bytes(db: Path) -> int:
    sizes = table_bytes(db, ["decision_log", "runs", "parameter_sets"])
    return sum(sizes.values())


def print_rows(n: int, rows: list[tuple[str, Measured, Measured]]) -> None:
    print(f"\n{'N = ' + format(n, ','):<34}{'zhidu rows/s':>13}{'plain rows/s':>13}{'ratio':>8}{'CPU z/p s':>14}{'CPU ratio':>10}{'RSS z/p MiB':>13}")
    for label, z, p in rows:
        print(f"{label:<34}{n / z.wall:>13,.0f}{n / p.wall:>13,.0f}{z.wall / p.wall:>7.2f}x{z.cpu:>7.1f}/{p.cpu:<6.1f}"
              f"{z.cpu / p.cpu:>9.2f}x{z.rss_mib:>7.0f}/{p.rss_mib:<5.0f}")


def sqlite_job(n: int, tmp: Path, csv_path: Path) -> None:
    zhidu = zhidu_company(tmp / "z")
    zfile = zhidu_company(tmp / "zf")
    zdb, zfdb = tmp / "z" / "acme.db", tmp / "zf" / "acme.db"
    pdb, pfdb = tmp / "plain.db", tmp / "plain_file.db"
    rows = [
        ("import customer FILE", measure([*zhidu, "import", "customer", str(csv_path)], tmp),
         measure(plain("import", str(pdb), str(csv_path)), HERE)),
        ("classify (over the database)", measure([*zhidu, "classify", "--as-of", AS_OF, "-f", "jsonl"], tmp),
         measure(plain("classify", str(pdb)), HERE)),
        ("classify FILE (file mode)", measure([*zfile, "classify", str(csv_path), "--as-of", AS_OF, "-f", "jsonl"], tmp),
         measure(plain("file", str(pfdb), str(csv_path)), HERE)),
        ("import --check (nothing stored)", measure([*zhidu, "import", "customer", str(csv_path), "--check"], tmp),
         measure(plain("check", str(csv_path)), HERE)),
    ]
    print_rows(n, rows)
    checked, imported = rows[3][1], rows[0][2]
    print(f"import's floor: zhidu's start-up and validation alone (import --check) take {checked.cpu / imported.cpu:.2f}x "
          f"the plain pipeline's whole import (CPU), before anything is stored")
    zb, pb = decision_bytes(zdb), decision_bytes(pdb)
    print(f"bytes per stored decision (log, indexes, runs): zhidu {zb / n:,.0f}; plain {pb / n:,.0f}; ratio {zb / pb:.2f}x")
    zr, pr = table_bytes(zdb, ["records"])["records"], table_bytes(pdb, ["customers"])["customers"]
    print(f"bytes per stored customer: zhidu {zr / n:,.0f} (generic records table); plain {pr / n:,.0f} (typed table)")
    compared, differ, shown = compare_logs(zdb, pdb, columns=("subject_id", "rule_id", "citation_clause", "outcome", "explanation", "inputs", "fingerprint"))
    print(f"same decisions: {compared - differ:,} of {compared:,} rows agree (rule, clause, outcome, explanation, inputs, fingerprint)")
    for line in shown:
        print("  " + line)


def pg_database(url: str) -> tuple[str, str]:
    """A fresh database on the server for one side of the run: (its SQLAlchemy URL, its psycopg URL)."""
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:10]}"
    plain_url = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    base, _, query = plain_url.partition("?")
    target = base.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else "")
    return target.replace("postgresql://", "postgresql+psycopg://"), target


def pg_drop(url: str, names: list[str]) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        for name in names:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pg_job(n: int, tmp: Path, csv_path: Path, url: str) -> None:
    zurl, _ = pg_database(url)
    _, purl = pg_database(url)
    try:
        zhidu = zhidu_company(tmp / "zpg", zurl)
        rows = [
            ("PG import customer FILE vs COPY", measure([*zhidu, "import", "customer", str(csv_path)], tmp),
             measure(plain("pg-import", purl, str(csv_path)), HERE)),
            ("PG classify vs COPY log", measure([*zhidu, "classify", "--as-of", AS_OF, "-f", "jsonl"], tmp),
             measure(plain("pg-classify", purl), HERE)),
        ]
        print_rows(n, rows)
    finally:
        pg_drop(url, [u.split("?")[0].rsplit("/", 1)[1] for u in (zurl, purl)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="customers (repeatable; default 200,000)")
    parser.add_argument("--pg", default=os.environ.get("ZHIDU_TEST_PG_URL"), help="a PostgreSQL server URL (default: ZHIDU_TEST_PG_URL)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    for n in args.n or [200_000]:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            csv_path = tmp / "customers.csv"
            generate(csv_path, n)
            sqlite_job(n, tmp, csv_path)
            if args.pg and not args.no_pg:
                pg_job(n, tmp, csv_path, args.pg)
    print("\ntargets: import <= 1.5x plain; decisions over the database <= 1.5x; bytes per decision <= 1.5x; "
          "PostgreSQL import and log writes <= 1.5x plain COPY")


if __name__ == "__main__":
    main()
