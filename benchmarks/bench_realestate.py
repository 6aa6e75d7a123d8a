"""Realestate replay benchmark: 1,000,000 synthetic sales-floor events replayed through
``attribute_lead`` in chunks, against a plain-Python loop doing a comparable trivial per-event
computation (round-robin reception, first-registration-wins ownership) in the same run.

    python benchmarks/bench_realestate.py             # 1,000,000 events
    python benchmarks/bench_realestate.py --n 100000  # smaller run

Events are generated on the fly (deterministic seed), in time order, with a realistic mix: a daily
roster of many salespeople, absences with and without reason, walk-ins (new, returning, forgetful,
designating), registrations, phone calls, follow-ups, recognitions, designations, rejections,
family relations, employee referrals, deals, renames and the odd quarrel. Prints events/s for
the engine path (pluggy + decision stamping and fingerprints), the bare hook, and the baseline,
and the ratios. Times are CPU seconds of this process (time.process_time), so other work on the
machine does not skew the ratio; event generation is excluded. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date, datetime, timedelta
from typing import Iterator

from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.engine import decide_chunk
from zhidu.core.plugins import PolicyPlugins
from zhidu.core.records import FloorEvent

CHUNK = 5000
STAFF = [f"S{i:02d}" for i in range(30)]
EVENTS_PER_DAY = 1000


def generate(n: int, seed: int = 11) -> Iterator[FloorEvent]:
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
        return FloorEvent(f"E{eid:08d}", when, event_type, staff, customer, other, related, details)

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


def chunks(events: Iterator[FloorEvent], size: int = CHUNK) -> Iterator[list[FloorEvent]]:
    chunk: list[FloorEvent] = []
    for ev in events:
        chunk.append(ev)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _context(preset: str, params) -> DecisionContext:
    return DecisionContext(company="bench", as_of=date(2027, 12, 31), calendar=WorkCalendar(), params={"realestate": params})


def run_engine(n: int, preset: str) -> tuple[float, int, float]:
    """Through the core engine (pluggy, decision stamping, inputs and fingerprints): the real path."""
    plugins = PolicyPlugins(["realestate"])
    params = plugins.parameter_specs()["realestate"].resolve(preset)
    context = _context(preset, params)
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
        decided += len(decide_chunk(plugins, "attribute_lead", chunk, context))
    return time.process_time() - start - gen_time, decided, gen_time


def run_hook(n: int, preset: str) -> tuple[float, int]:
    """The plugin's hook function called directly (no pluggy, no stamping/fingerprints)."""
    from zhidu.plugins.realestate import hooks
    from zhidu.plugins.realestate.params import SPEC

    context = _context(preset, SPEC.resolve(preset))
    decided = 0
    elapsed = 0.0
    for chunk in chunks(generate(n)):
        t = time.process_time()
        decided += len(hooks.attribute_lead(chunk, context))
        elapsed += time.process_time() - t
    return elapsed, decided


def run_baseline(n: int) -> tuple[float, int]:
    """Plain Python doing a comparable trivial per-event computation: dispatch on the type, a
    round-robin receiver per walk-in, first-registration-wins per customer, one result tuple per
    deciding event. No validation, no window, no explanations."""
    decided = 0
    elapsed = 0.0
    owners: dict[str, tuple[str, datetime]] = {}
    order: list[str] = []
    pos = 0
    for chunk in chunks(generate(n)):
        t = time.process_time()
        out = []
        for ev in sorted(chunk, key=lambda e: e.occurred_at):
            kind = ev.event_type
            if kind == "roster":
                order, pos = list(ev.details["order"]), 0
            elif kind == "visit":
                owner = owners.get(ev.customer_code)
                if owner is not None:
                    out.append((ev.event_id, owner[0], False))
                elif order:
                    out.append((ev.event_id, order[pos % len(order)], True))
                    pos += 1
            elif kind == "registration":
                code = ev.customer_code
                if code not in owners:
                    owners[code] = (ev.staff_code, ev.occurred_at)
                    out.append((f"{code}@{ev.event_id}", ev.staff_code, "first"))
                else:
                    out.append((f"{code}@{ev.event_id}", owners[code][0], "conflict"))
            elif kind == "call":
                out.append((f"{ev.customer_code}@{ev.event_id}", None, "phone"))
        decided += len(out)
        elapsed += time.process_time() - t
    return elapsed, decided


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="number of floor events (default 1,000,000)")
    ap.add_argument("--preset", default="vanke", choices=["vanke", "xize", "consultant"])
    args = ap.parse_args(argv)
    n = args.n
    print(f"realestate replay benchmark: {n:,} synthetic floor events, preset {args.preset}, chunks of {CHUNK}")
    base_t, base_d = run_baseline(n)
    hook_t, hook_d = run_hook(n, args.preset)
    eng_t, eng_d, gen_t = run_engine(n, args.preset)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("plain-Python baseline", base_t, base_d),
        ("attribute_lead hook (direct call)", hook_t, hook_d),
        ("attribute_lead via core engine", eng_t, eng_d),
    ]
    print(f"(event generation, excluded from the timings: {gen_t:.2f} s)")
    print(f"{'path':36} {'CPU s':>9} {'events/s':>12} {'decisions':>10} {'x baseline':>11}")
    for name, secs, decided in rows:
        print(f"{name:36} {secs:9.2f} {n / secs:12,.0f} {decided:10,} {secs / base_t:11.1f}")
    print(f"engine path: {n / eng_t:,.0f} events/s, {eng_t / base_t:.1f}x the baseline's time "
          f"({base_t / eng_t:.3f} of its throughput); peak RSS {rss:,.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
