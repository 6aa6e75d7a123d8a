"""SIGKILL at random moments: an import in a subprocess (the real console script) is killed mid-way
and the database holds either the whole file or nothing of it; a decision run over the database is
killed mid-way and its run does not count (``zhidu decisions`` shows nothing of it, ``zhidu explain``
says so), and ``zhidu log verify`` passes after every kill. SQLite and PostgreSQL.

The kill moments are random (the seed is printed; ``ZHIDU_CRASH_SEED`` replays one): half of them
anywhere in the command's life, half once the run is known to be inside its writes (the import's run
row exists; the decision run has committed at least one chunk of decisions).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from zhidu.cli import cli
from zhidu.core.storage.db import open_database

ZHIDU = Path(sys.executable).with_name("zhidu")
PLUGINS = "petrochem,realestate"
IMPORT_ROWS = 20000
DECISION_ROWS = 11000   # three chunks of decisions (5,000 each)
KILLS = 5               # per scenario and backend
SEED = int(os.environ.get("ZHIDU_CRASH_SEED", str(random.SystemRandom().randrange(1 << 30))))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIDU_")}
    env["ZHIDU_PLUGINS"] = PLUGINS
    return env


def customers(path: Path, prefix: str, rows: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("客户编码,客户名称,客户类别,销售形式,产品线,当前级别,月份,月提货量\n")
        for i in range(rows):
            fh.write(f"{prefix}{i:06d},沧州塑业{i}有限公司,经销商,计划,聚烯烃,普通客户,2026-10,{(i * 37) % 6000}.{i % 1000:03d}\n")
    return path


def cli_ok(db_url: str, *args: str) -> str:
    """Run a zhidu command in-process against the database; it must succeed without a traceback."""
    result = CliRunner().invoke(cli, ["--db", db_url, "--plugins", PLUGINS, *args])
    assert result.exception is None or (isinstance(result.exception, SystemExit) and result.exit_code == 0), result.output
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return result.stdout


def verify_log(db_url: str) -> None:
    out = cli_ok(db_url, "log", "verify")
    assert "decision log intact" in out, out


def start(db_url: str, *args: str, out: Path) -> subprocess.Popen:
    return subprocess.Popen([str(ZHIDU), "--db", db_url, *args], env=_env(), stdout=open(out, "w"), stderr=subprocess.STDOUT)


def wait_until(predicate, proc: subprocess.Popen, timeout: float = 60.0) -> bool:
    """Poll until predicate() holds; False if the process ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError("timed out waiting for the subprocess")


def kill(proc: subprocess.Popen) -> bool:
    """SIGKILL; True if the process was still running."""
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return alive


def scalar(db, sql: str, **params):
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def timed_full_run(db_url: str, args: list[str], out: Path) -> float:
    begun = time.monotonic()
    proc = start(db_url, *args, out=out)
    assert proc.wait(timeout=300) == 0, out.read_text()
    return time.monotonic() - begun


def test_an_import_killed_at_random_moments_stores_the_whole_file_or_nothing(db_url, tmp_path):
    rng = random.Random(SEED)
    db = open_database(db_url, upgrade=True)
    try:
        # An uncut run first: how long the command lives, and when its run (and write) begins.
        proc = start(db_url, "import", "customer", str(customers(tmp_path / "k0.csv", "K0-", IMPORT_ROWS)), out=tmp_path / "k0.out")
        begun = time.monotonic()
        wait_until(lambda: scalar(db, "SELECT count(*) FROM runs WHERE command = 'import customer'") > 0, proc)
        run_began = time.monotonic() - begun
        assert proc.wait(timeout=300) == 0, (tmp_path / "k0.out").read_text()
        full = time.monotonic() - begun
        writing = max(0.05, full - run_began)
        outcomes = []
        for it in range(1, KILLS + 1):
            prefix = f"K{it}-"
            path = customers(tmp_path / f"k{it}.csv", prefix, IMPORT_ROWS)
            runs_before = scalar(db, "SELECT count(*) FROM runs WHERE command = 'import customer'")
            proc = start(db_url, "import", "customer", str(path), out=tmp_path / f"k{it}.out")
            if it % 3 == 0:
                delay = rng.uniform(0.0, full * 1.1)
                time.sleep(delay)
                moment = f"{delay:.2f}s after start"
            else:  # inside the run: once its run row is committed, before its write transaction ends
                wait_until(lambda: scalar(db, "SELECT count(*) FROM runs WHERE command = 'import customer'") > runs_before, proc)
                delay = rng.uniform(0.0, writing * 0.8)
                time.sleep(delay)
                moment = f"{delay:.2f}s after its run began"
            was_running = kill(proc)
            stored = scalar(db, "SELECT count(*) FROM records WHERE kind = 'customer' AND subject LIKE :p", p=prefix + "%")
            with db.engine.connect() as conn:
                statuses = [s for (s,) in conn.execute(text(
                    "SELECT status FROM runs WHERE command = 'import customer' ORDER BY started_at"))][runs_before:]
            outcomes.append((moment, was_running, stored, statuses))
            assert stored in (0, IMPORT_ROWS), f"a killed import left {stored} of {IMPORT_ROWS} rows ({moment})"
            assert len(statuses) <= 1
            if statuses == ["committed"]:
                assert stored == IMPORT_ROWS
            if was_running and stored == 0:
                assert statuses in ([], ["running"]), statuses  # cut off: never committed, never counted
            verify_log(db_url)
            # The database is usable after the kill, and what was stored is the file's content exactly.
            again = cli_ok(db_url, "import", "customer", str(path))
            expected = (f"{IMPORT_ROWS} new, 0 changed, 0 unchanged" if stored == 0 else f"0 new, 0 changed, {IMPORT_ROWS} unchanged")
            assert expected in again, (again, moment)
        print(f"\n[{db.dialect}] seed {SEED}: full import {full:.2f}s (its run began at {run_began:.2f}s); "
              f"kills (moment, was running, rows stored, run status): {outcomes}")
        assert any(stored == 0 and status == ["running"] for _, _, stored, status in outcomes), \
            f"no kill landed inside the import's writes: {outcomes}"
    finally:
        db.dispose()


def _decision_ids(stdout: str) -> list[int]:
    return [json.loads(line)["decision_id"] for line in stdout.splitlines() if line.strip()]


def test_a_decision_run_killed_midway_does_not_count(db_url, tmp_path):
    rng = random.Random(SEED + 1)
    db = open_database(db_url, upgrade=True)
    try:
        cli_ok(db_url, "import", "customer", str(customers(tmp_path / "c.csv", "D-", DECISION_ROWS)))
        args = ["classify", "--as-of", "2026-11-20", "-f", "jsonl"]
        full = timed_full_run(db_url, args, tmp_path / "full.out")
        committed = {r: n for r, n in _runs(db, "committed")}
        (first_run,) = committed
        assert committed[first_run] == DECISION_ROWS
        killed_midway = 0
        report = []
        for it in range(KILLS):
            before = {r for r, _ in _runs(db)}
            proc = start(db_url, *args, out=tmp_path / f"kill{it}.out")
            if it % 2:
                delay = rng.uniform(0.0, full * 1.1)
                time.sleep(delay)
                moment = f"{delay:.2f}s after start"
            else:  # midway for sure: at least one chunk of its decisions committed
                def some_logged():
                    new = [r for r, _ in _runs(db) if r not in before]
                    return bool(new) and scalar(db, "SELECT count(*) FROM decision_log WHERE run_id = :r", r=new[0]) > 0
                wait_until(some_logged, proc)
                delay = rng.uniform(0.0, full * 0.3)
                time.sleep(delay)
                moment = f"{delay:.2f}s after its first chunk"
            was_running = kill(proc)
            new_runs = [(r, s) for r, s in _run_status(db) if r not in before]
            assert len(new_runs) <= 1
            logged = scalar(db, "SELECT count(*) FROM decision_log WHERE run_id = :r", r=new_runs[0][0]) if new_runs else 0
            report.append((moment, was_running, new_runs[0][1] if new_runs else None, logged))
            verify_log(db_url)
            committed_runs = [r for r, _ in _runs(db, "committed")]
            if new_runs and new_runs[0][1] != "committed":
                run_id = new_runs[0][0]
                assert new_runs[0][1] == "running", new_runs  # SIGKILL: nothing could mark it failed
                if 0 < logged < DECISION_ROWS:
                    killed_midway += 1
                # Its decisions do not count: not in the run's listing, not current, not in the history.
                assert cli_ok(db_url, "decisions", "--run", run_id, "--limit", "0", "-f", "jsonl") == ""
                if logged:
                    some_id = scalar(db, "SELECT min(id) FROM decision_log WHERE run_id = :r", r=run_id)
                    assert "does not count" in cli_ok(db_url, "explain", str(some_id), "-f", "table")
            # The current decisions are exactly those of the latest committed run.
            latest = _latest_committed(db)
            current = _decision_ids(cli_ok(db_url, "decisions", "--command", "classify", "--limit", "0", "-f", "jsonl"))
            with db.engine.connect() as conn:
                expected = [i for (i,) in conn.execute(text("SELECT id FROM decision_log WHERE run_id = :r ORDER BY id"), {"r": latest})]
            assert current == expected and len(current) == DECISION_ROWS
            history = _decision_ids(cli_ok(db_url, "decisions", "--command", "classify", "--history", "--limit", "0", "-f", "jsonl"))
            assert len(history) == DECISION_ROWS * len(committed_runs)
        print(f"\n[{db.dialect}] seed {SEED + 1}: full run {full:.2f}s; kills (moment, was running, run status, decisions logged): {report}")
        assert killed_midway >= 1, f"no kill landed mid-run: {report}"
    finally:
        db.dispose()


def _runs(db, status: str | None = None) -> list[tuple[str, int]]:
    sql = "SELECT id, decision_count FROM runs WHERE command = 'classify'" + (" AND status = :s" if status else "") + " ORDER BY started_at"
    with db.engine.connect() as conn:
        return [(r, n) for r, n in conn.execute(text(sql), {"s": status} if status else {})]


def _run_status(db) -> list[tuple[str, str]]:
    with db.engine.connect() as conn:
        return [(r, s) for r, s in conn.execute(text("SELECT id, status FROM runs WHERE command = 'classify' ORDER BY started_at"))]


def _latest_committed(db) -> str:
    with db.engine.connect() as conn:
        return conn.execute(text(
            "SELECT run_id FROM decision_log d JOIN runs r ON r.id = d.run_id AND r.status = 'committed' "
            "WHERE d.command = 'classify' ORDER BY d.id DESC LIMIT 1")).scalar_one()
