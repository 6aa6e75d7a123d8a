"""Core pipeline benchmark: parse -> validate -> decide -> log for `zhidu classify`, against a
plain-Python pipeline doing the same work in the same run (csv.reader, hand-written checks, the tier
rule written inline, the same hash-chained log rows written with sqlite3 executemany).

    python benchmarks/bench_core.py            # 300,000 synthetic customers
    python benchmarks/bench_core.py --n 1000000

zhidu (core v2): the petrochem plugin's declared `customer` kind read with the core's CSV reader and
validated by its RowValidator (the schema-derived fast lane), the declared `classify` command run
chunk by chunk through `engine.decide_chunk` (the plugin's implementation, checks, combine, stamping
with masked inputs and their fingerprint), and each chunk appended to the run's hash-chained decision
log (`DecisionLogWriter`, one short write transaction per chunk), inside a run that commits at the
end. A second pass times the same work as the user runs it: `run_command(classify, FILE)`.

Plain Python: no zhidu code at all; the baseline's decision log is compared with zhidu's afterwards,
row by row (outcome, explanation, parameters, inputs and fingerprint), so the work is the same.

Prints records/s per stage and in total (wall clock; CPU seconds beside, since other work on the
machine moves wall time), the ratios zhidu / plain (time), the per-record cost of reaching the rule,
peak memory, bytes per logged decision and `zhidu --help` start-up time. Nothing asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from itertools import islice
from pathlib import Path

from benchkit import Clock, peak_rss_mib, report_agreement, table_bytes
from plain_checks import PlainLog, level_of, classify_month, mask_phone, plain_month, plain_tonnes, stamped

HEADER = ["客户编码", "客户名称", "客户类别", "销售形式", "当前级别", "月份", "月提货量"]
CHUNK = 5000
AS_OF = date(2026, 11, 20)
STAGES = ("parse", "validate", "decide", "log")


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


def _workspace(db_path: Path):
    from zhidu.core.storage.db import open_database
    from zhidu.core.workspace import Workspace

    open_database(str(db_path), upgrade=True).dispose()
    return Workspace(plugin_names=["petrochem"], db_url=str(db_path))


def run_zhidu(path: Path, db_path: Path) -> tuple[dict[str, Clock], Clock, int]:
    """The pipeline stage by stage, with the core's own pieces, exactly as `run_command` strings them."""
    from zhidu.core.decisionlog import DecisionLogWriter
    from zhidu.core.engine import decide_chunk
    from zhidu.core.history import DatabaseHistory
    from zhidu.core.importer import RowValidator
    from zhidu.core.readers import read_table
    from zhidu.core.runs import COMMITTED, Run, finish_run, start_run

    ws = _workspace(db_path)
    plan = ws.commands["classify"]
    kind = ws.kinds.get(plan.input_kind)
    db = ws.database()
    context = ws.context(as_of=AS_OF, history=DatabaseHistory(db, ws.kinds), command=plan.name)
    params, presets = ws.resolved
    stages = {s: Clock() for s in STAGES}
    total = Clock()
    with total:
        run = start_run(db, Run(command=plan.name, company=ws.company, timezone=ws.timezone, as_of=AS_OF,
                                plugin_versions={n: i.version for n, i in ws.plugins.infos.items()},
                                parameters={"values": params, "presets": presets}))
        log = DecisionLogWriter(db, run)
        validator = RowValidator(kind, str(path), tabular=True)
        header, rows = read_table(path, "csv")
        validator.set_header(header)
        while True:
            with stages["parse"]:
                raw_chunk = list(islice(rows, CHUNK))
            if not raw_chunk:
                break
            with stages["validate"]:
                records = [validator.validate_values(number, values) for number, values in raw_chunk]
            with stages["decide"]:
                decisions = decide_chunk(ws.plugins, plan, kind, records, context)
            with stages["log"]:
                log.append(decisions)
        finish_run(db, run.id, COMMITTED, log.count)
    assert not validator.errors, validator.errors[:3]
    db.dispose()
    return stages, total, log.count


def run_command_file(path: Path, db_path: Path) -> tuple[Clock, int]:
    """`zhidu classify FILE` as the CLI runs it (the file is validated whole before anything is decided)."""
    from zhidu.core.service import RunRequest, run_command

    ws = _workspace(db_path)
    clock = Clock()
    with clock:
        decided = sum(1 for _ in run_command(ws, RunRequest(command="classify", input_path=str(path), as_of=AS_OF)))
    return clock, decided


# --- the plain-Python baseline ---------------------------------------------------------------
# The same work by hand: csv.reader, hand-written checks, the tier rule inline (plain_checks), the
# same log row (outcome, explanation, parameters, inputs JSON and its sha256, the hash chain)
# written with sqlite3 executemany in one short transaction per chunk. No zhidu code.

SEGMENTS = {"经销商": "distributor", "直销客户": "direct", "独家代理商": "exclusive_agent"}
FORMS = {"计划": "plan", "网拍": "auction"}


def plain_check(row: list[str]) -> tuple | None:
    code, name, segment, form, level, month, volume = (v.strip() for v in row)
    tonnes = plain_tonnes(volume)
    if (not code or len(code) > 64 or not name or len(name) > 200 or segment not in SEGMENTS or form not in FORMS
            or len(level) > 32 or not plain_month(month) or tonnes is None):
        return None
    return code, name, SEGMENTS[segment], FORMS[form], level or None, month, tonnes


def run_plain(path: Path, db_path: Path) -> tuple[dict[str, Clock], Clock, int]:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    log = PlainLog(conn, str(uuid.uuid4()), "classify", AS_OF.isoformat(), "0.1.0")
    stages = {s: Clock() for s in STAGES}
    total = Clock()
    with total:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)
            while True:
                with stages["parse"]:
                    raw_chunk = list(islice(reader, CHUNK))
                if not raw_chunk:
                    break
                with stages["validate"]:
                    checked = [plain_check(r) for r in raw_chunk]
                    if None in checked:
                        raise ValueError(f"bad row near {raw_chunk[checked.index(None)]}")
                with stages["decide"]:
                    decided = []
                    for code, name, segment, form, level, month, volume in checked:
                        decision = classify_month(f"{name}({code})", segment, form, None, level, month, volume)
                        if decision is None:
                            continue
                        inputs = {"code": code, "name": name, "phone": mask_phone(None), "segment": segment, "sales_form": form,
                                  "product_line": None, "product": None, "level": level_of(level), "direct_user": None,
                                  "sells_other_brands": None, "region": None, "month": month, "monthly_volume": str(volume),
                                  "pickup_completion_rate": None, "developed_on": None, "qualification_expires": None, "volumes": {}}
                        decided.append(stamped(code, decision, inputs))
                with stages["log"]:
                    log.append(decided)
    conn.close()
    return stages, total, log.count


def reach_the_rule(path: Path, n: int = 20000) -> tuple[float, float, float]:
    """Per-record cost of reaching the rule: the plugin's implementation called directly, through
    pluggy's hook caller (what v1 did per chunk), and through the engine (call, checks, stamping)."""
    from zhidu.core.engine import decide_chunk
    from zhidu.core.importer import RowValidator
    from zhidu.core.readers import read_table
    from zhidu.core.workspace import Workspace

    ws = Workspace(plugin_names=["petrochem"], db_url=":memory:")
    plan = ws.commands["classify"]
    kind = ws.kinds.get(plan.input_kind)
    context = ws.context(as_of=AS_OF, command=plan.name)
    validator = RowValidator(kind, str(path), tabular=True)
    header, rows = read_table(path, "csv")
    validator.set_header(header)
    records = [validator.validate_values(number, values) for number, values in islice(rows, n)]
    rows.close()
    chunks = [records[i:i + CHUNK] for i in range(0, len(records), CHUNK)]
    _plugin, function, argname = plan.implementations[0]
    calls = (lambda c: function(**{argname: c, "context": context}),
             lambda c: ws.plugins.pm.hook.classify_customer(customers=c, context=context),
             lambda c: decide_chunk(ws.plugins, plan, kind, c, context))
    best = [float("inf")] * len(calls)
    for _round in range(4):  # the first round warms up; the best of the rest counts
        for i, call in enumerate(calls):
            t = time.process_time()
            for chunk in chunks:
                call(chunk)
            if _round:
                best[i] = min(best[i], (time.process_time() - t) / len(records) * 1e6)
    return best[0], best[1], best[2]


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
    parser.add_argument("--n", type=int, default=300_000, help="synthetic customers (default 300,000)")
    args = parser.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_path = tmp / "customers.csv"
        t = time.perf_counter()
        generate(csv_path, n)
        print(f"generated {n:,} customers in {time.perf_counter() - t:.1f}s ({csv_path.stat().st_size / 1e6:.0f} MB CSV)")
        # zhidu first, so that its own peak memory is read before the baseline runs.
        zhidu, zhidu_total, zhidu_n = run_zhidu(csv_path, tmp / "zhidu.db")
        zhidu_rss = peak_rss_mib()
        plain, plain_total, plain_n = run_plain(csv_path, tmp / "plain.db")
        command, command_n = run_command_file(csv_path, tmp / "command.db")
        assert plain_n == zhidu_n == command_n == n, (plain_n, zhidu_n, command_n)

        print(f"\n{'stage':<30}{'zhidu rec/s':>13}{'plain rec/s':>13}{'ratio':>8}{'zhidu CPU s':>13}{'plain CPU s':>13}{'CPU ratio':>11}")

        def row(label: str, z: Clock, p: Clock) -> None:
            print(f"{label:<30}{n / z.wall:>13,.0f}{n / p.wall:>13,.0f}{z.wall / p.wall:>7.2f}x{z.cpu:>13.2f}{p.cpu:>13.2f}{z.cpu / p.cpu:>10.2f}x")

        for stage in STAGES:
            row(stage, zhidu[stage], plain[stage])
        row("total (the stages above)", zhidu_total, plain_total)
        row("run_command(classify, FILE)", command, plain_total)
        report_agreement(tmp / "zhidu.db", tmp / "plain.db")

        direct_us, pluggy_us, engine_us = reach_the_rule(csv_path)
        print(f"\nreaching the rule: direct call {direct_us:.2f} us/record; pluggy hook caller {pluggy_us:.2f} "
              f"(+{pluggy_us - direct_us:.3f}); engine decide_chunk with checks and stamping {engine_us:.2f} "
              f"(+{engine_us - direct_us:.2f} us/record)")
        z_bytes = table_bytes(tmp / "zhidu.db", ["decision_log"])["decision_log"]
        p_bytes = table_bytes(tmp / "plain.db", ["decision_log"])["decision_log"]
        print(f"bytes per logged decision (table and indexes): zhidu {z_bytes / zhidu_n:,.0f}; plain {p_bytes / plain_n:,.0f}")
        print(f"peak RSS: zhidu {zhidu_rss:.0f} MiB; after the baseline and run_command {peak_rss_mib():.0f} MiB (N={n:,})")
        print(f"zhidu --help: {help_time():.0f} ms (median of 7)")
        print("\ntargets: end to end <= 1.3x plain; validation >= 150,000 rows/s; --help < 150 ms")


if __name__ == "__main__":
    main()
