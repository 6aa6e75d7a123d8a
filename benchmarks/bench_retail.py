"""Retail benchmark: `zhidu conduct INCIDENTS.csv` over N synthetic staff conduct incidents, from
the file into the company's SQLite database (every decision logged), against a plain-Python script
doing the same job its own way in the same run.

    python benchmarks/bench_retail.py              # 200,000 incidents
    python benchmarks/bench_retail.py --n 1000000  # the figure the README quotes
    python benchmarks/bench_retail.py --repeat 30  # with repeat offences counted over 30 days

Incidents are generated deterministically: 5,000 employees in 200 stores over 2026, a realistic
mix of how a store writes them down (60% by rule key, 15% by clause such as 篇2第4条 / 第4部分第4条,
20% as a described behaviour matched on keywords, 5% that match no rule or two), 10% serious; the
company profile configures a sanction for every track the text leaves to other rulebooks.

zhidu (core v2): the file read and validated through the staff_incident schema (the fast lane),
decided in chunks of 5,000 by retail's `assess_conduct` hook (the standard `conduct` command),
every decision checked, stamped with its inputs and their SHA-256 fingerprint and appended to the
hash-chained decision log per chunk inside a run that commits at the end.

Plain Python (no zhidu code): csv.reader with hand-written checks, its own table of rule keys,
clauses and keywords for the generated vocabulary, a dict of sanctions, the same kind of Chinese
sentence, the inputs' JSON and SHA-256, and a hash-chained log table written with sqlite3
executemany per chunk. The two runs' outcome statuses are compared afterwards.

Times are CPU seconds of this process (time.process_time) beside wall seconds; generation is
excluded. Prints incidents/s, the ratio zhidu / plain, peak RSS and bytes per logged decision.
Not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import resource
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

AS_OF = date(2026, 12, 31)
CHUNK = 5000
HEADER = ("code", "staff_code", "occurred_at", "rule", "behaviour", "severity", "evidence", "staff_name", "store")

# What stores write (the generator's vocabulary) ---------------------------------------------------------
BY_KEY = ["uniform_not_worn", "attendance", "leave_post", "badge_not_worn", "hygiene_food", "floor_behaviour",
          "private_use_theft", "leak_store_data", "computer_data", "badge_misuse", "courtesy", "footwear", "cs_phone"]
BY_CLAUSE = {"篇2第4条": "leak_store_data", "篇2第6条": "private_use_theft", "篇2第10条": "leave_post", "篇4第5条": "uniform_not_worn",
             "第4部分第12条": "computer_data", "篇6第5条": "footwear", "篇2第2条": None}  # 篇2第2条 holds two rules
BEHAVIOURS = {"迟到25分钟": "attendance", "上班时间擅自离岗": "leave_post", "营业中吃零食": "hygiene_food", "穿拖鞋上岗": "footwear",
              "未戴工牌接待顾客": "badge_not_worn", "向外透露本店销售额": "leak_store_data", "下班包裹检查发现未付款商品": "private_use_theft",
              "与同事在卖场打闹": "floor_behaviour", "故意刁难顾客": "courtesy"}
UNMATCHED = ["与顾客聊天", "在卖场大声喧哗并吃零食", "篇9第1条"]
EVIDENCE = ["manager_observation", "attendance_record", "bag_check", "system_log", ""]


def generate(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 9, 0).timestamp()
    span = 360 * 86400
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(n):
            staff = rng.randrange(5000)
            when = datetime.fromtimestamp(start + rng.randrange(span)).strftime("%Y-%m-%d %H:%M")
            draw = rng.random()
            rule = behaviour = ""
            if draw < 0.60:
                rule = rng.choice(BY_KEY)
            elif draw < 0.75:
                rule = rng.choice(list(BY_CLAUSE))
            elif draw < 0.95:
                behaviour = rng.choice(list(BEHAVIOURS))
            else:
                choice = rng.choice(UNMATCHED)
                rule, behaviour = (choice, "") if choice.startswith("篇") else ("", choice)
            severity = "serious" if rng.random() < 0.10 else "general"
            out.writerow((f"I{i:08d}", f"S{staff:05d}", when, rule, behaviour, severity, rng.choice(EVIDENCE),
                          f"员工{staff:05d}", f"D{staff % 200:03d}"))


PROFILE = """company = "基准零售公司"
plugins = ["retail"]
database = "{db}"

[plugin.retail.parameters]
{repeat}
[plugin.retail.parameters.track_sanctions.administrative]
code = "fine"
label = "罚款"
fine = "200.00"
reference = "行政管理制度第8条"
[plugin.retail.parameters.track_sanctions.relevant_rules]
code = "dismissal"
label = "辞退"
[plugin.retail.parameters.track_sanctions.severe]
code = "dismissal"
label = "辞退"
[plugin.retail.parameters.track_sanctions.rewards_penalties]
code = "fine"
label = "罚款"
fine = "50.00"
reference = "奖惩条例第12条"
[plugin.retail.parameters.track_sanctions."by_seriousness.general"]
code = "written_warning"
label = "书面警告"
[plugin.retail.parameters.track_sanctions."by_seriousness.serious"]
code = "demerit"
label = "记过"
"""


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    def __enter__(self):
        self.w, self.c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.w, time.process_time() - self.c


# --- zhidu -----------------------------------------------------------------------------------------

def run_zhidu(csv_path: Path, folder: Path, repeat: int | None) -> tuple[Clock, Counter, Path]:
    from zhidu.core.service import RunRequest, run_command
    from zhidu.core.storage.db import open_database
    from zhidu.core.workspace import Workspace

    db_path = folder / "zhidu.db"
    open_database(str(db_path), upgrade=True).dispose()
    profile = folder / "bench.toml"
    profile.write_text(PROFILE.format(db=db_path.name, repeat=f"repeat_period_days = {repeat}" if repeat else ""), encoding="utf-8")
    ws = Workspace.resolve(profile_path=str(profile))
    statuses: Counter = Counter()
    with Clock() as clock:
        for decision in run_command(ws, RunRequest(command="conduct", input_path=str(csv_path), as_of=AS_OF)):
            statuses[decision.outcome["status"]] += 1
    return clock, statuses, db_path


# --- plain Python ----------------------------------------------------------------------------------

SALES = "销售客户管理制度"
RULES = {  # key: (clause, track, title)
    "uniform_not_worn": ("篇4第1条、第5条", "warning", "未按要求穿着工服"),
    "attendance": ("篇2第2条", "rewards_penalties", "依时上下班"), "leave_post": ("篇2第10条", "rewards_penalties", "不得擅自离岗"),
    "badge_not_worn": ("篇4第2条", "rewards_penalties", "佩戴工牌"), "hygiene_food": ("篇2第5条", "rewards_penalties", "不吃零食"),
    "floor_behaviour": ("篇2第8条", "rewards_penalties", "卖场行为"), "private_use_theft": ("篇2第6条", "relevant_rules", "私用盗窃"),
    "leak_store_data": ("篇2第4条", "administrative", "泄露资料"), "computer_data": ("篇2第12条", "severe", "电脑数据"),
    "badge_misuse": ("篇4第4条", "by_seriousness", "利用工牌"), "courtesy": ("篇5第5条、第9条", "rewards_penalties", "谦恭诚恳"),
    "footwear": ("篇6第5条", "rewards_penalties", "不穿拖鞋"), "cs_phone": ("规范第3条", "rewards_penalties", "接听电话"),
}
CLAUSES = {"篇2第4条": "leak_store_data", "篇2第6条": "private_use_theft", "篇2第10条": "leave_post", "篇4第5条": "uniform_not_worn",
           "第4部分第12条": "computer_data", "篇6第5条": "footwear"}
KEYWORDS = [("迟到", "attendance"), ("离岗", "leave_post"), ("吃零食", "hygiene_food"), ("拖鞋", "footwear"), ("未戴工牌", "badge_not_worn"),
            ("销售额", "leak_store_data"), ("打闹", "floor_behaviour"), ("喧哗", "floor_behaviour"), ("刁难顾客", "courtesy"),
            ("未付款", "private_use_theft")]
SANCTIONS = {"administrative": ("fine", "罚款", "200.00"), "relevant_rules": ("dismissal", "辞退", None), "severe": ("dismissal", "辞退", None),
             "rewards_penalties": ("fine", "罚款", "50.00"), "by_seriousness.general": ("written_warning", "书面警告", None),
             "by_seriousness.serious": ("demerit", "记过", None)}
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def plain_rule(rule: str, behaviour: str) -> str | None:
    if rule:
        return rule if rule in RULES else CLAUSES.get(rule)
    found = {key for word, key in KEYWORDS if word in behaviour}
    return found.pop() if len(found) == 1 else None


def plain_decide(row: list[str]) -> tuple[str, str, dict, str]:
    code, staff, when, rule, behaviour, severity, evidence, name, store = row
    key = plain_rule(rule, behaviour)
    who = f"员工{name}({staff})"
    moment = datetime.fromisoformat(when)
    day = f"{moment.year}年{moment.month}月{moment.day}日{moment.hour:02d}:{moment.minute:02d}"
    if key is None:
        return "retail.conduct_unmatched", "篇5第2条、第9条", {"status": "unmatched", "sanction": None}, f"{who}于{day}的行为未能对应条款,暂不处罚。"
    clause, track, title = RULES[key]
    if track == "warning":
        sanction = ("written_warning", "书面警告", None) if severity == "serious" else ("verbal_warning", "口头警告", None)
    else:
        sanction = SANCTIONS[f"{track}.{severity}" if track == "by_seriousness" else track]
    outcome = {"status": "decided", "rule": key, "track": track, "sanction": sanction[0], "fine": sanction[2]}
    fine = f"{sanction[2]}元" if sanction[2] else ""
    return f"retail.{key}", clause, outcome, f"{who}于{day}违反“{title}”,依{SALES} {clause}处以{sanction[1]}{fine}。"


def run_plain(csv_path: Path, folder: Path) -> tuple[Clock, Counter, Path]:
    db_path = folder / "plain.db"
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE decision_log (id INTEGER PRIMARY KEY, subject_id TEXT, rule_id TEXT, document TEXT, clause TEXT, "
                 "outcome TEXT, explanation TEXT, inputs TEXT, fingerprint TEXT, prev_hash TEXT, row_hash TEXT)")
    conn.execute("CREATE INDEX ix_subject ON decision_log (subject_id)")
    statuses: Counter = Counter()
    insert = "INSERT INTO decision_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    prev, last = "0" * 64, 0
    with Clock() as clock:
        with open(csv_path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            assert tuple(next(reader)) == HEADER
            batch: list[tuple] = []

            def flush() -> None:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(insert, batch)
                conn.execute("COMMIT")
                batch.clear()

            for row in reader:
                if len(row) != 9 or not (0 < len(row[0]) <= 64 and 0 < len(row[1]) <= 64 and STAMP.match(row[2])
                                         and row[5] in ("general", "serious")):
                    raise SystemExit(f"bad row {row}")
                rule_id, clause, outcome, why = plain_decide(row)
                statuses[outcome["status"]] += 1
                inputs = json.dumps(dict(zip(HEADER, row)), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                fingerprint = hashlib.sha256(inputs.encode("utf-8")).hexdigest()
                body = json.dumps(outcome, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                last += 1
                row_hash = hashlib.sha256((prev + str(last) + row[0] + rule_id + body + why + fingerprint).encode("utf-8")).hexdigest()
                batch.append((last, row[0], rule_id, SALES, clause, body, why, inputs, fingerprint, prev, row_hash))
                prev = row_hash
                if len(batch) >= CHUNK:
                    flush()
            if batch:
                flush()
    conn.close()
    return clock, statuses, db_path


def db_bytes(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=None, help="count repeat offences over this many days")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "incidents.csv"
        generate(csv_path, args.n)
        print(f"{args.n:,} incidents, {csv_path.stat().st_size / 1e6:.1f} MB CSV; repeat offences: "
              f"{'%d days' % args.repeat if args.repeat else 'off'}; python {sys.version.split()[0]}")
        plain_clock, plain_status, plain_db = run_plain(csv_path, folder)
        zhidu_clock, zhidu_status, zhidu_db = run_zhidu(csv_path, folder, args.repeat)
        assert sum(zhidu_status.values()) == args.n, zhidu_status
        for name, clock, status, db in (("plain", plain_clock, plain_status, plain_db), ("zhidu", zhidu_clock, zhidu_status, zhidu_db)):
            print(f"{name:6s} {args.n / clock.cpu:>10,.0f} incidents/s CPU ({clock.cpu:6.1f} s), {args.n / clock.wall:>10,.0f}/s wall "
                  f"({clock.wall:6.1f} s); {db_bytes(db) / args.n:,.0f} bytes/decision; statuses {dict(status)}")
        print(f"ratio zhidu/plain: {zhidu_clock.cpu / plain_clock.cpu:.1f}x CPU, {zhidu_clock.wall / plain_clock.wall:.1f}x wall; "
              f"peak RSS {peak_rss_mib():,.0f} MiB")
        unmatched_ok = plain_status["unmatched"] == zhidu_status["unmatched"]
        print(f"agreement: unmatched {plain_status['unmatched']:,} plain vs {zhidu_status['unmatched']:,} zhidu "
              f"({'same' if unmatched_ok else 'DIFFERENT'})")


if __name__ == "__main__":
    main()
