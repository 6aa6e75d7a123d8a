"""Realestate replay benchmark: N synthetic sales-floor events replayed through ``attribute_lead``
in chunks, against a plain-Python loop doing a comparable trivial per-event computation
(round-robin reception, first-registration-wins ownership) in the same run; then the same events
stored and replayed over a database as a user runs it, against the plain loop over a typed table.

    python benchmarks/bench_realestate.py             # 300,000 events
    python benchmarks/bench_realestate.py --n 1000000 # the figure the README quotes

Events are generated on the fly (deterministic seed), in time order, with a realistic mix: a daily
roster of many salespeople, absences with and without reason, walk-ins (new, returning, forgetful,
designating), registrations, phone calls, follow-ups, recognitions, designations, rejections,
family relations, employee referrals, deals, renames and the odd quarrel.

In memory (core v2): the engine path is ``engine.decide_chunk`` over the declared ``attribute``
command (the plugin's implementation, checks, stamping with inputs and fingerprints); the bare hook
is the plugin's implementation called directly. Over SQLite: ``import_file`` of the events as JSON
lines into the generic records table (the kind is append-only and replayed in ``occurred_at``
order), then ``run_command(attribute)`` streaming them back in time order and appending every
decision to the hash-chained log; the plain counterpart (no zhidu code) loads the same JSON lines
into a typed table with hand checks and sqlite3 executemany, replays the trivial loop over a
``SELECT ... ORDER BY occurred_at`` and writes its result rows with executemany.

Times are CPU seconds of this process (time.process_time), so other work on the machine does not
skew the ratios (SQLite runs in-process; wall seconds are printed for the stored paths too); event
generation is excluded. Prints events/s, the ratios, peak RSS and bytes per stored event and per
logged decision. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

from benchkit import Clock, peak_rss_mib, table_bytes
from zhidu.core.plugins import PolicyPlugins

PLUGINS = PolicyPlugins(["realestate"])
#: The plugin's declared record class for floor events (what its hook receives).
FLOOR_EVENT = PLUGINS.kinds.get("floor_event").record_class
AS_OF = date(2027, 12, 31)

CHUNK = 5000
STAFF = [f"S{i:02d}" for i in range(30)]
EVENTS_PER_DAY = 1000


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


def _workspace(preset: str, db_url: str = ":memory:"):
    from zhidu.core.workspace import Workspace

    return Workspace(plugin_names=["realestate"], db_url=db_url, preset_override=preset)


def run_engine(n: int, preset: str) -> tuple[float, int, float]:
    """Through the core engine (the declared command's implementation, checks, stamping with inputs
    and fingerprints): what `zhidu attribute` does per chunk, minus reading and logging."""
    from zhidu.core.engine import decide_chunk

    ws = _workspace(preset)
    plan = ws.commands["attribute"]
    kind = ws.kinds.get(plan.input_kind)
    context = ws.context(as_of=AS_OF, command=plan.name)
    gen_time = 0.0
    decided = 0
    start = time.process_time()
    it = chunks(generate(n))
    while True:
        g = time.process_time()
        chunk = next(it, None)
        gen_time += time.process_time() - g
        if chunk is None:
            break
        decided += len(decide_chunk(ws.plugins, plan, kind, chunk, context))
    return time.process_time() - start - gen_time, decided, gen_time


def run_hook(n: int, preset: str) -> tuple[float, int]:
    """The plugin's implementation called directly (no checks, no stamping/fingerprints)."""
    ws = _workspace(preset)
    plan = ws.commands["attribute"]
    _plugin, function, argname = plan.implementations[0]
    context = ws.context(as_of=AS_OF, command=plan.name)
    decided = 0
    elapsed = 0.0
    for chunk in chunks(generate(n)):
        t = time.process_time()
        decided += len(function(**{argname: chunk, "context": context}))
        elapsed += time.process_time() - t
    return elapsed, decided


class Trivial:
    """Plain Python doing a comparable trivial per-event computation: dispatch on the type, a
    round-robin receiver per walk-in, first-registration-wins per customer, one result tuple per
    deciding event. No validation, no window, no explanations."""

    def __init__(self) -> None:
        self.owners: dict[str, tuple[str, datetime]] = {}
        self.order: list[str] = []
        self.pos = 0

    def feed(self, chunk) -> list[tuple]:
        """``chunk``: (event_id, occurred_at, event_type, staff_code, customer_code, details) tuples."""
        out = []
        owners = self.owners
        for event_id, occurred_at, kind, staff, customer, details in sorted(chunk, key=lambda e: e[1]):
            if kind == "roster":
                self.order, self.pos = list(details["order"]), 0
            elif kind == "visit":
                owner = owners.get(customer)
                if owner is not None:
                    out.append((event_id, owner[0], False))
                elif self.order:
                    out.append((event_id, self.order[self.pos % len(self.order)], True))
                    self.pos += 1
            elif kind == "registration":
                if customer not in owners:
                    owners[customer] = (staff, occurred_at)
                    out.append((f"{customer}@{event_id}", staff, "first"))
                else:
                    out.append((f"{customer}@{event_id}", owners[customer][0], "conflict"))
            elif kind == "call":
                out.append((f"{customer}@{event_id}", None, "phone"))
        return out


def _plain_tuple(ev) -> tuple:
    return ev.event_id, ev.occurred_at, ev.event_type, ev.staff_code, ev.customer_code, ev.details


def run_baseline(n: int) -> tuple[float, int]:
    decided = 0
    elapsed = 0.0
    trivial = Trivial()
    for chunk in chunks(generate(n)):
        plain = [_plain_tuple(ev) for ev in chunk]  # the generator's objects as plain tuples (untimed)
        t = time.process_time()
        decided += len(trivial.feed(plain))
        elapsed += time.process_time() - t
    return elapsed, decided


# --- over a database ---------------------------------------------------------------------------

EVENT_COLUMNS = ("event_id", "occurred_at", "event_type", "staff_code", "customer_code", "other_staff_code",
                 "related_customer_code", "details")


def write_events(n: int, path: Path) -> None:
    """The events as a JSON-lines export (one object per line, field names as headers)."""
    with open(path, "w", encoding="utf-8") as fh:
        for ev in generate(n):
            fh.write(json.dumps({"event_id": ev.event_id, "occurred_at": ev.occurred_at.isoformat(sep=" "),
                                 "event_type": ev.event_type, "staff_code": ev.staff_code, "customer_code": ev.customer_code,
                                 "other_staff_code": ev.other_staff_code, "related_customer_code": ev.related_customer_code,
                                 "details": ev.details}, ensure_ascii=False) + "\n")


def run_zhidu_stored(events: Path, db_path: Path, preset: str) -> dict:
    """`zhidu import floor_event events.jsonl` (an import run around import_file), then `zhidu attribute`."""
    from zhidu.core.importer import import_file
    from zhidu.core.runs import COMMITTED, Run, finish_run, start_run
    from zhidu.core.service import RunRequest, run_command
    from zhidu.core.storage.db import open_database

    open_database(str(db_path), upgrade=True).dispose()
    ws = _workspace(preset, str(db_path))
    imported, replay = Clock(), Clock()
    with imported:
        db = ws.database()
        run = start_run(db, Run(command="import floor_event", company=ws.company, timezone=ws.timezone, as_of=AS_OF,
                                plugin_versions={"realestate": ws.plugins.infos["realestate"].version}))
        result, _unknown = import_file(db, ws.kinds, "floor_event", events, run_id=run.id)
        finish_run(db, run.id, COMMITTED)
        db.dispose()
    with replay:
        decided = sum(1 for _ in run_command(ws, RunRequest(command="attribute", as_of=AS_OF)))
    return {"import": imported, "replay": replay, "stored": result.total, "decisions": decided}


def _plain_event(line: str) -> tuple:
    obj = json.loads(line)
    event_id, occurred, event_type = obj.get("event_id"), obj.get("occurred_at"), obj.get("event_type")
    if not isinstance(event_id, str) or not 1 <= len(event_id) <= 64 or not isinstance(event_type, str) or not event_type:
        raise ValueError(f"bad event: {line[:200]}")
    when = datetime.fromisoformat(occurred)  # raises on a bad time
    others = [obj.get(c) for c in EVENT_COLUMNS[3:7]]
    if any(v is not None and (not isinstance(v, str) or len(v) > 64) for v in others):
        raise ValueError(f"bad event: {line[:200]}")
    details = obj.get("details") or {}
    if not isinstance(details, dict):
        raise ValueError(f"bad event: {line[:200]}")
    return (event_id, when.isoformat(sep=" "), event_type, *others, json.dumps(details, ensure_ascii=False, sort_keys=True))


def run_plain_stored(events: Path, db_path: Path) -> dict:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE floor_events (id INTEGER PRIMARY KEY, {', '.join(EVENT_COLUMNS)}, UNIQUE (event_id))")
    conn.execute("CREATE INDEX ix_floor_events_time ON floor_events (occurred_at, id)")
    conn.execute("CREATE TABLE results (id INTEGER PRIMARY KEY, subject_id, staff_code, outcome)")
    insert = (f"INSERT INTO floor_events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))}) "
              f"ON CONFLICT (event_id) DO NOTHING")
    imported, replay = Clock(), Clock()
    stored = 0
    with imported:
        conn.execute("BEGIN IMMEDIATE")
        with open(events, encoding="utf-8") as fh:
            batch = []
            for line in fh:
                batch.append(_plain_event(line))
                if len(batch) == CHUNK:
                    conn.executemany(insert, batch)
                    stored += len(batch)
                    batch = []
            if batch:
                conn.executemany(insert, batch)
                stored += len(batch)
        conn.execute("COMMIT")
    decided = 0
    with replay:
        trivial = Trivial()
        cursor = conn.execute("SELECT event_id, occurred_at, event_type, staff_code, customer_code, details FROM floor_events ORDER BY occurred_at, id")
        while rows := cursor.fetchmany(CHUNK):
            chunk = [(e, datetime.fromisoformat(t), k, s, c, json.loads(d)) for e, t, k, s, c, d in rows]
            out = trivial.feed(chunk)
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO results (subject_id, staff_code, outcome) VALUES (?, ?, ?)", [(a, b, str(c)) for a, b, c in out])
            conn.execute("COMMIT")
            decided += len(out)
    conn.close()
    return {"import": imported, "replay": replay, "stored": stored, "decisions": decided}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=300_000, help="number of floor events (default 300,000)")
    ap.add_argument("--preset", default="vanke", choices=["vanke", "xize", "consultant"])
    args = ap.parse_args(argv)
    n = args.n
    print(f"realestate replay benchmark: {n:,} synthetic floor events, preset {args.preset}, chunks of {CHUNK}")
    base_t, base_d = run_baseline(n)
    hook_t, hook_d = run_hook(n, args.preset)
    eng_t, eng_d, gen_t = run_engine(n, args.preset)
    rss = peak_rss_mib()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        events = folder / "events.jsonl"
        write_events(n, events)
        zs = run_zhidu_stored(events, folder / "zhidu.db", args.preset)
        stored_rss = peak_rss_mib()
        ps = run_plain_stored(events, folder / "plain.db")
        assert zs["stored"] == ps["stored"] == n, (zs["stored"], ps["stored"])
        assert zs["decisions"] == eng_d, (zs["decisions"], eng_d)
        z_bytes = table_bytes(folder / "zhidu.db", ["records", "decision_log"])
        p_bytes = table_bytes(folder / "plain.db", ["floor_events", "results"])
    print(f"(event generation, excluded from the timings: {gen_t:.2f} s)")
    print(f"\nin memory{'':27} {'CPU s':>9} {'events/s':>12} {'decisions':>10} {'x baseline':>11}")
    for name, secs, decided in (
        ("plain-Python baseline", base_t, base_d),
        ("attribute_lead hook (direct call)", hook_t, hook_d),
        ("attribute_lead via core engine", eng_t, eng_d),
    ):
        print(f"{name:36} {secs:9.2f} {n / secs:12,.0f} {decided:10,} {secs / base_t:11.1f}")
    print(f"\nover SQLite{'':25} {'CPU s':>9} {'events/s':>12} {'decisions':>10} {'x plain':>11} {'wall s':>8}")

    def row(name: str, clock: Clock, decided: int | None, against: Clock) -> None:
        shown = f"{decided:,}" if decided is not None else ""
        print(f"{name:36} {clock.cpu:9.2f} {n / clock.cpu:12,.0f} {shown:>10} {clock.cpu / against.cpu:11.1f} {clock.wall:8.2f}")

    row("  zhidu import (JSON lines)", zs["import"], None, ps["import"])
    row("  plain import (JSON lines)", ps["import"], None, ps["import"])
    row("  zhidu attribute, logged", zs["replay"], zs["decisions"], ps["replay"])
    row("  plain replay, results written", ps["replay"], ps["decisions"], ps["replay"])
    z_total = zs["import"].cpu + zs["replay"].cpu
    p_total = ps["import"].cpu + ps["replay"].cpu
    print(f"{'  end to end, zhidu | plain':36} {z_total:9.2f} {n / z_total:12,.0f} {'':>10} {z_total / p_total:11.1f}")
    print(f"\nengine path: {n / eng_t:,.0f} events/s, {eng_t / base_t:.1f}x the baseline's time "
          f"({base_t / eng_t:.3f} of its throughput); over SQLite, import + logged replay {n / z_total:,.0f} events/s")
    print(f"bytes per stored event (table and indexes): zhidu {z_bytes['records'] / n:,.0f} (generic records table); "
          f"plain {p_bytes['floor_events'] / n:,.0f} (typed table)")
    print(f"bytes per logged decision: zhidu {z_bytes['decision_log'] / zs['decisions']:,.0f} (hash-chained log, inputs and "
          f"explanations); plain {p_bytes['results'] / ps['decisions']:,.0f} (bare result rows)")
    print(f"peak RSS: in memory {rss:,.0f} MiB; after the stored zhidu run {stored_rss:,.0f} MiB; at the end {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
