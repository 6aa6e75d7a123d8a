"""Realestate replay benchmark: N synthetic sales-floor events imported and replayed as a user runs
them, process against process, against the hand-written pipeline doing the same job; and, in memory,
what the framework adds around the plugin's own replay.

    python benchmarks/bench_realestate.py             # 300,000 events
    python benchmarks/bench_realestate.py --n 50000   # a quick look

Events are generated on the fly (deterministic seed), in time order, with a realistic mix: a daily
roster of many salespeople, absences with and without reason, walk-ins (new, returning, forgetful,
designating), registrations, phone calls, follow-ups, recognitions, designations, rejections,
family relations, employee referrals, deals, changes and the odd quarrel. They are written as a
JSON-lines export.

The job (each step a fresh process, timed by GNU time: start-up, reading, checks, the replay, the
hash-chained log, the JSON lines printed): `zhidu import floor_event FILE`, then `zhidu attribute`
over the database, against `benchmarks/plain_replay.py import` and `attribute` (no zhidu or plugin
code: json, a typed table, hand checks, the replay's rules written out for preset vanke with the
same Chinese explanations, one decision row per decision with its inputs JSON and sha256, a hash
chain, sqlite3 executemany). Prints events/s (wall), CPU seconds and peak RSS of each process and
the ratios, bytes per stored event and per decision, and whether both logs hold the same decisions
(subject, rule, clause, outcome, explanation, parameter set, inputs and fingerprint, row by row).

Framework overhead (in memory, this process, CPU seconds, event generation excluded): the plugin's
``attribute_lead`` called directly (the bare hook) against ``engine.decide_chunk`` over the declared
``attribute`` command (the same hook plus the engine's checks and stamping with inputs and
fingerprints). Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

from bench_job import ZHIDU, Measured, measure
from benchkit import compare_logs, table_bytes
from zhidu.core.plugins import PolicyPlugins

HERE = Path(__file__).resolve().parent
PLUGINS = PolicyPlugins(["realestate"])
#: The plugin's declared record class for floor events (what its hook receives).
FLOOR_EVENT = PLUGINS.kinds.get("floor_event").record_class
AS_OF = date(2027, 12, 31)

CHUNK = 5000
STAFF = [f"S{i:02d}" for i in range(30)]
EVENTS_PER_DAY = 1000
#: What both logs are compared on, row by row (zhidu's parameter_set is the sha256 of the set's
#: canonical JSON; the baseline names its sets the same way).
COMPARED = ("subject_kind", "subject_id", "rule_id", "citation_clause", "outcome", "explanation", "parameter_set", "inputs", "fingerprint")


def generate(n: int, seed: int = 11) -> Iterator[Any]:
    """n floor events in time order; ~1,000 a day on one busy floor of 30 salespeople."""
    rng = random.Random(seed)
    day = datetime(2024, 1, 1, 9, 0)
    owners: dict[str, str] = {}
    recent: list[str] = []
    next_customer = 0
    produced = 0
    eid = 0

    def emit(when, event_type, staff=None, customer=None, other=None, related=None, **details):
        nonlocal eid, produced
        eid += 1
        produced += 1
        return FLOOR_EVENT(f"E{eid:08d}", when, event_type, staff, customer, other, related, details)

    while produced < n:
        t = day
        on_duty = rng.sample(STAFF, 24)
        yield emit(t, "roster", order=on_duty)
        away: set[str] = set()
        step = timedelta(seconds=36000 // EVENTS_PER_DAY)
        for _ in range(EVENTS_PER_DAY - 1):
            if produced >= n:
                return
            t += step
            r = rng.random()
            if r < 0.34:  # walk-in
                if recent and rng.random() < 0.35:
                    code = rng.choice(recent)
                    owner = owners.get(code)
                    roll = rng.random()
                    if owner and roll < 0.6:
                        yield emit(t, "visit", customer=code, visited_before=True, named_staff=[owner])
                    elif roll < 0.8:
                        yield emit(t, "visit", customer=code, visited_before=True)
                    elif owner and roll < 0.85:
                        yield emit(t, "visit", customer=code, visited_before=True, named_staff=[owner], designated=rng.choice(on_duty), manager_approved=True)
                    else:
                        yield emit(t, "visit", customer=code)
                else:
                    next_customer += 1
                    code = f"C{next_customer:07d}"
                    recent.append(code)
                    if len(recent) > 5000:
                        recent.pop(0)
                    if rng.random() < 0.05:
                        yield emit(t, "visit", customer=code, designated=rng.choice(on_duty))
                    else:
                        yield emit(t, "visit", customer=code)
            elif r < 0.62:  # registration of a recent customer
                if not recent:
                    continue
                code = recent[-1] if rng.random() < 0.8 else rng.choice(recent)
                staff = rng.choice(on_duty)
                owners.setdefault(code, staff)
                yield emit(t, "registration", staff=staff, customer=code)
            elif r < 0.74:
                code = rng.choice(recent) if recent else "C0000000"
                yield emit(t, "call", staff=rng.choice(on_duty), customer=code)
            elif r < 0.84:
                if not recent:
                    continue
                code = rng.choice(recent)
                yield emit(t, "followup", staff=owners.get(code, rng.choice(on_duty)), customer=code)
            elif r < 0.88:  # absences and returns
                staff = rng.choice(on_duty)
                if staff in away:
                    away.discard(staff)
                    yield emit(t, "back", staff=staff)
                else:
                    away.add(staff)
                    yield emit(t, "away", staff=staff, reason=rng.choice(["none", "busy", "errand", "business"]), approved=rng.random() < 0.7)
            elif r < 0.90:
                if not recent:
                    continue
                code = rng.choice(recent)
                yield emit(t, "recognition", staff=owners.get(code, rng.choice(on_duty)), customer=code)
            elif r < 0.91:
                code = recent[-1] if recent else "C0000000"
                a, b = rng.sample(on_duty, 2)
                yield emit(t, "designation", staff=a, customer=code, other=b, stage="during", manager_approved=rng.random() < 0.5)
            elif r < 0.915:
                code = recent[-1] if recent else "C0000000"
                yield emit(t, "rejection", staff=rng.choice(on_duty), customer=code, fault=rng.choice(["none", "general", "serious"]))
            elif r < 0.92:
                if len(recent) < 2:
                    continue
                a, b = rng.sample(recent, 2)
                yield emit(t, "relation", customer=a, related=b, relation=rng.choice(["spouse", "parent_child", "sibling"]))
            elif r < 0.925:
                next_customer += 1
                code = f"C{next_customer:07d}"
                yield emit(t, "referral_registration", staff=f"EMP{rng.randrange(50)}", customer=code,
                           appointment_date=(t + timedelta(days=1)).date().isoformat())
            elif r < 0.99:
                if not recent:
                    continue
                code = rng.choice(recent)
                yield emit(t, "deal", staff=owners.get(code, rng.choice(on_duty)), customer=code)
            elif r < 0.995:
                if not recent:
                    continue
                yield emit(t, "change", customer=rng.choice(recent), kind="unit_change")
            else:
                if not recent:
                    continue
                a, b = rng.sample(on_duty, 2)
                yield emit(t, "quarrel", staff=a, customer=rng.choice(recent), other=b)
        day += timedelta(days=1)


def chunks(events: Iterator[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for ev in events:
        chunk.append(ev)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- framework overhead, in memory ------------------------------------------------------------------


def _workspace(preset: str, db_url: str = ":memory:"):
    from zhidu.core.workspace import Workspace

    return Workspace(plugin_names=["realestate"], db_url=db_url, preset_override=preset)


def run_engine(n: int, preset: str) -> tuple[float, int]:
    """Through the core engine (the declared command's implementation, checks, stamping with inputs
    and fingerprints): what `zhidu attribute` does per chunk, minus reading and logging."""
    from zhidu.core.engine import decide_chunk

    ws = _workspace(preset)
    plan = ws.commands["attribute"]
    kind = ws.kinds.get(plan.input_kind)
    decide_chunk(ws.plugins, plan, kind, [], ws.context(as_of=AS_OF, command=plan.name))  # the rule modules' imports, untimed
    context = ws.context(as_of=AS_OF, command=plan.name)
    decided = 0
    elapsed = 0.0
    for chunk in chunks(generate(n)):
        t = time.process_time()
        decided += len(decide_chunk(ws.plugins, plan, kind, chunk, context))
        elapsed += time.process_time() - t
    return elapsed, decided


def run_hook(n: int, preset: str) -> tuple[float, int]:
    """The plugin's implementation called directly (no checks, no stamping/fingerprints)."""
    ws = _workspace(preset)
    plan = ws.commands["attribute"]
    _plugin, function, argname = plan.implementations[0]
    function(**{argname: [], "context": ws.context(as_of=AS_OF, command=plan.name)})  # the rule modules' imports, untimed
    context = ws.context(as_of=AS_OF, command=plan.name)
    decided = 0
    elapsed = 0.0
    for chunk in chunks(generate(n)):
        t = time.process_time()
        decided += len(function(**{argname: chunk, "context": context}))
        elapsed += time.process_time() - t
    return elapsed, decided


# --- the job, process against process -------------------------------------------------------------------


def write_events(n: int, path: Path) -> None:
    """The events as a JSON-lines export (one object per line, field names as headers)."""
    with open(path, "w", encoding="utf-8") as fh:
        for ev in generate(n):
            fh.write(json.dumps({"event_id": ev.event_id, "occurred_at": ev.occurred_at.isoformat(sep=" "),
                                 "event_type": ev.event_type, "staff_code": ev.staff_code, "customer_code": ev.customer_code,
                                 "other_staff_code": ev.other_staff_code, "related_customer_code": ev.related_customer_code,
                                 "details": ev.details}, ensure_ascii=False) + "\n")


def zhidu_company(directory: Path, preset: str) -> list[str]:
    import subprocess

    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run([ZHIDU, "init", "acme", "--plugins", "realestate", "--preset", preset, "--dir", str(directory)],
                   check=True, capture_output=True)
    return [ZHIDU, "--profile", str(directory / "acme.toml")]


def plain(*args: str) -> list[str]:
    return [sys.executable, str(HERE / "plain_replay.py"), *args]


def decision_count(db: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM decision_log").fetchone()[0]
    finally:
        conn.close()


def print_rows(n: int, rows: list[tuple[str, Measured, Measured | None]]) -> None:
    print(f"\n{'N = ' + format(n, ',') + ' events':<30}{'zhidu ev/s':>12}{'plain ev/s':>12}{'wall':>8}{'CPU z/p s':>14}{'CPU':>8}{'RSS z/p MiB':>13}")
    for label, z, p in rows:
        if p is None:
            print(f"{label:<30}{n / z.wall:>12,.0f}{'':>12}{'':>8}{z.cpu:>7.1f}/{'':<6}{'':>8}{z.rss_mib:>7.0f}/")
            continue
        print(f"{label:<30}{n / z.wall:>12,.0f}{n / p.wall:>12,.0f}{z.wall / p.wall:>7.2f}x{z.cpu:>7.1f}/{p.cpu:<6.1f}"
              f"{z.cpu / p.cpu:>7.2f}x{z.rss_mib:>7.0f}/{p.rss_mib:<5.0f}")


def run_job(n: int, tmp: Path, events: Path, preset: str) -> None:
    zhidu = zhidu_company(tmp / "z", preset)
    zdb, pdb = tmp / "z" / "acme.db", tmp / "plain.db"
    with_plain = preset == "vanke"  # the baseline writes out preset vanke's rules and numbers
    z_import = measure([*zhidu, "import", "floor_event", str(events)], tmp)
    p_import = measure(plain("import", str(pdb), str(events)), HERE) if with_plain else None
    z_attr = measure([*zhidu, "attribute", "--as-of", AS_OF.isoformat(), "-f", "jsonl"], tmp)
    p_attr = measure(plain("attribute", str(pdb)), HERE) if with_plain else None
    rows: list[tuple[str, Measured, Measured | None]] = [("import floor_event FILE", z_import, p_import),
                                                         ("attribute (over the database)", z_attr, p_attr)]
    if p_import is not None and p_attr is not None:
        rows.append(("the job (import + attribute)", Measured(z_import.wall + z_attr.wall, z_import.cpu + z_attr.cpu, max(z_import.rss_mib, z_attr.rss_mib)),
                     Measured(p_import.wall + p_attr.wall, p_import.cpu + p_attr.cpu, max(p_import.rss_mib, p_attr.rss_mib))))
    print_rows(n, rows)
    decided = decision_count(zdb)
    z_log = sum(table_bytes(zdb, ["decision_log", "runs", "parameter_sets"]).values())
    z_rec = table_bytes(zdb, ["records"])["records"]
    print(f"decisions: zhidu {decided:,} ({decided / n:.2f} per event); attribute {n / z_attr.wall:,.0f} events/s, "
          f"{decided / z_attr.wall:,.0f} decisions/s (wall), {z_attr.cpu / decided * 1e6:.0f} us of CPU per decision")
    if not with_plain:
        print(f"bytes per stored decision (log, indexes, runs, parameter sets): zhidu {z_log / decided:,.0f}; "
              f"bytes per stored event: zhidu {z_rec / n:,.0f}")
        print(f"(the plain baseline implements preset vanke only: no comparison for preset {preset})")
        return
    p_decided = decision_count(pdb)
    p_log = sum(table_bytes(pdb, ["decision_log", "runs", "parameter_sets"]).values())
    p_rec = table_bytes(pdb, ["floor_events"])["floor_events"]
    print(f"plain: {p_decided:,} decisions, {p_attr.cpu / p_decided * 1e6:.0f} us of CPU per decision")
    print(f"bytes per stored decision (log, indexes, runs, parameter sets): zhidu {z_log / decided:,.0f}; plain {p_log / p_decided:,.0f}; "
          f"ratio {z_log / decided / (p_log / p_decided):.2f}x")
    print(f"bytes per stored event: zhidu {z_rec / n:,.0f} (generic records table); plain {p_rec / n:,.0f} (typed table); ratio {z_rec / p_rec:.2f}x")
    compared, differ, shown = compare_logs(zdb, pdb, limit_shown=5, columns=COMPARED)
    print(f"same decisions: {compared - differ:,} of {compared:,} rows agree "
          f"(subject, rule, clause, outcome, explanation, parameter set, inputs, fingerprint)")
    for line in shown:
        print("  " + line)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=300_000, help="number of floor events (default 300,000)")
    ap.add_argument("--preset", default="vanke", choices=["vanke", "xize", "consultant"],
                    help="the company's preset (the plain baseline is written for vanke)")
    ap.add_argument("--no-memory", action="store_true", help="skip the in-memory framework-overhead figure")
    args = ap.parse_args(argv)
    n = args.n
    print(f"realestate replay benchmark: {n:,} synthetic floor events, preset {args.preset}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        events = folder / "events.jsonl"
        write_events(n, events)
        run_job(n, folder, events, args.preset)
    if args.no_memory:
        return
    # Twice each, alternating, the lower time kept: the machine is shared.
    hook_t, hook_d = run_hook(n, args.preset)
    eng_t, eng_d = run_engine(n, args.preset)
    hook_t, eng_t = min(hook_t, run_hook(n, args.preset)[0]), min(eng_t, run_engine(n, args.preset)[0])
    assert hook_d == eng_d, (hook_d, eng_d)
    print(f"\nframework overhead, in memory (CPU s; no reading, no log; not the job){'':3}{'CPU s':>7}{'events/s':>10}{'us/decision':>12}")
    print(f"  {'attribute_lead called directly (the bare hook)':<70}{hook_t:>7.2f}{n / hook_t:>10,.0f}{hook_t / hook_d * 1e6:>12.1f}")
    print(f"  {'the same through engine.decide_chunk (checks, stamping, fingerprints)':<70}{eng_t:>7.2f}{n / eng_t:>10,.0f}{eng_t / eng_d * 1e6:>12.1f}")
    print(f"  the engine adds {(eng_t - hook_t) / eng_d * 1e6:.1f} us per decision ({eng_t / hook_t:.2f}x the bare hook)")


if __name__ == "__main__":
    sys.exit(main())
