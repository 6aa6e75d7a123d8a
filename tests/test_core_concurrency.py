"""Eight processes running the real ``zhidu import`` console script at once, on the same file of the
same keys (a floor_event file, append-only, and a customer file, upserted), on SQLite and
PostgreSQL: no traceback, every process exits 0, and the database holds exactly one row per key with
the file's content. The runs table shows that the imports really overlapped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from zhidu.core.plugins import PolicyPlugins
from zhidu.core.storage.db import open_database
from zhidu.core.store import iter_records

PROCESSES = 8
ROWS = 2000
TIMEOUT = 180  # seconds for the whole round of processes
KINDS = PolicyPlugins(["petrochem", "realestate"]).kinds
ZHIDU = Path(sys.executable).with_name("zhidu")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIDU_")}
    env["ZHIDU_PLUGINS"] = "petrochem,realestate"
    return env


def floor_event_file(folder: Path) -> Path:
    path = folder / "floor_events.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(ROWS):
            fh.write(json.dumps({
                "事件编号": f"E{i:05d}", "发生时间": f"2026-03-{1 + i % 28:02d} {9 + i % 9:02d}:{i % 60:02d}",
                "事件类型": "来访登记", "置业顾问": f"顾问{i % 7}", "客户编码": f"C{i:05d}", "详情": {"来源": "自然来访", "n": i},
            }, ensure_ascii=False) + "\n")
    return path


def customer_file(folder: Path) -> Path:
    path = folder / "customers.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("客户编码,客户名称,客户类别,销售形式,产品线,月份,月提货量,联系电话\n")
        for i in range(ROWS):
            fh.write(f"C{i:05d},沧州塑业{i}有限公司,经销商,计划,聚烯烃,2026-10,{i % 5000}.{i % 1000:03d},1390000{i:04d}\n")
    return path


def expected_records(kind_name: str, path: Path) -> dict:
    from zhidu.core.importer import iter_file_records

    kind = KINDS.get(kind_name)
    return {kind.key_of(r): r for r in iter_file_records(path, kind)}


def run_round(db_url: str, kind: str, path: Path) -> list[subprocess.CompletedProcess]:
    """Start all the processes at once, then collect them (bounded by TIMEOUT)."""
    procs = [subprocess.Popen([str(ZHIDU), "--db", db_url, "import", kind, str(path)], env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(PROCESSES)]
    deadline = time.monotonic() + TIMEOUT
    results = []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
            results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return results


def summary_counts(result: subprocess.CompletedProcess, path: Path, kind: str) -> tuple[int, int, int]:
    import re

    first = result.stdout.splitlines()[0]
    m = re.fullmatch(rf"{re.escape(str(path))}: (\d+) {kind} record\(s\): (\d+) new, (\d+) changed, (\d+) unchanged", first)
    assert m, first
    total, new, changed, unchanged = map(int, m.groups())
    assert total == ROWS
    return new, changed, unchanged


def overlapping_runs(db, command: str) -> int:
    """How many import runs overlapped another one in time (started before it finished)."""
    with db.engine.connect() as conn:
        spans = conn.execute(text("SELECT started_at, finished_at FROM runs WHERE command = :c AND status = 'committed'"), {"c": command}).all()
    spans = [(s if isinstance(s, str) else s.isoformat(), f if isinstance(f, str) else f.isoformat()) for s, f in spans]
    return sum(1 for i, (s, f) in enumerate(spans) if any(j != i and s2 < f and s < f2 for j, (s2, f2) in enumerate(spans)))


@pytest.mark.parametrize("kind, make", [("floor_event", floor_event_file), ("customer", customer_file)], ids=["floor_event", "customer"])
def test_eight_processes_import_the_same_file_at_once(db_url, tmp_path, kind, make):
    db = open_database(db_url, upgrade=True)
    try:
        path = make(tmp_path)
        expected = expected_records(kind, path)
        assert len(expected) == ROWS
        started = time.monotonic()
        results = run_round(db_url, kind, path)
        elapsed = time.monotonic() - started
        for r in results:
            assert "Traceback" not in r.stdout + r.stderr, r.stderr
            assert r.returncode == 0, r.stderr
        counts = [summary_counts(r, path, kind) for r in results]
        # Nothing changed between the processes: every row is new to exactly one of them or unchanged.
        assert all(changed == 0 for _, changed, _ in counts), counts
        assert sum(new for new, _, _ in counts) == ROWS, counts

        # One row per key, holding exactly the file's content.
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM records WHERE kind = :k"), {"k": kind}).scalar_one() == ROWS
            dupes = conn.execute(text("SELECT key FROM records WHERE kind = :k GROUP BY key HAVING count(*) > 1"), {"k": kind}).all()
            assert dupes == []
            runs = conn.execute(text("SELECT status, count(*) FROM runs WHERE command = :c GROUP BY status"), {"c": f"import {kind}"}).all()
        assert dict(runs) == {"committed": PROCESSES}
        stored = {KINDS.get(kind).key_of(r): r for r in iter_records(db, KINDS, kind)}
        assert stored == expected
        overlapped = overlapping_runs(db, f"import {kind}")
        print(f"\n[{db.dialect}] {PROCESSES} x import {kind} of {ROWS} rows in {elapsed:.1f}s; "
              f"{overlapped} runs overlapped another; (new, changed, unchanged) per process: {counts}")
        assert overlapped >= 2, "the imports did not run at the same time: the test proved nothing"
    finally:
        db.dispose()


def _wait_until_blocked(db, thread, timeout: float = 20.0) -> None:
    """Until the other writer waits on a lock (PostgreSQL); SQLite's BEGIN IMMEDIATE wait cannot be
    observed, so give it a moment."""
    deadline = time.monotonic() + timeout
    if db.dialect != "postgresql":
        time.sleep(0.5)
        return
    with db.engine.connect() as conn:
        while time.monotonic() < deadline and thread.is_alive():
            if conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND wait_event_type = 'Lock'")).scalar_one():
                return
            conn.rollback()
            time.sleep(0.05)
    raise RuntimeError("the second writer never waited on the first one")


def _race(db_url, first: list, second: list):
    """Writer A stores ``first`` and holds its transaction open while writer B stores ``second``;
    B's result once A has committed, and the customers stored at the end."""
    import threading

    from zhidu.core.store import RecordWriter, store_records

    db = open_database(db_url, upgrade=True)
    other = open_database(db_url)
    outcome: dict = {}

    def writer_b() -> None:
        try:
            outcome["b"] = store_records(other, KINDS, "customer", second)
        except Exception as exc:  # noqa: BLE001 - examined below
            outcome["b"] = exc

    try:
        thread = threading.Thread(target=writer_b)
        with db.write() as conn:  # writer A: stored, not yet committed
            RecordWriter(conn, KINDS, "customer", "run-a").write(first)
            thread.start()
            _wait_until_blocked(db, thread)
        thread.join(timeout=60)
        assert not thread.is_alive()
        assert not isinstance(outcome["b"], Exception), outcome["b"]
        return outcome["b"], {r.code: r.name for r in iter_records(db, KINDS, "customer")}
    finally:
        other.dispose()
        db.dispose()


def test_racing_imports_of_the_same_customers_count_each_row_new_once(db_url):
    """Two writers of the same (non append-only) records at the same moment: the one that finds
    them stored by the other must say unchanged, as the append-only path already does."""
    kind = KINDS.get("customer")
    records = [kind.record_class(code=f"C{i}", name=f"公司{i}") for i in range(50)]
    result, stored = _race(db_url, records, records)
    assert (result.new, result.changed, result.unchanged) == (0, 0, 50), result
    assert stored == {f"C{i}": f"公司{i}" for i in range(50)}


def test_racing_import_with_other_content_counts_changed_and_wins(db_url):
    """The writer that commits last with different content updates every row: changed, not new."""
    kind = KINDS.get("customer")
    first = [kind.record_class(code=f"C{i}", name=f"公司{i}") for i in range(50)]
    second = [kind.record_class(code=f"C{i}", name=f"新公司{i}") for i in range(40)] + first[40:]
    result, stored = _race(db_url, first, second)
    assert (result.new, result.changed, result.unchanged) == (0, 40, 10), result
    assert stored == {**{f"C{i}": f"新公司{i}" for i in range(40)}, **{f"C{i}": f"公司{i}" for i in range(40, 50)}}
