"""The hand-written pipeline for `zhidu import floor_event FILE` and `zhidu attribute` over the
database (realestate, preset vanke: 万科房地产销售部客户管理制度), run as its own process so that
start-up, reading and writing all count, as they do for `zhidu`. No zhidu code and no plugin code:
json and sqlite3, a typed `floor_events` table, hand checks of each event's columns and details,
the replay (rotation, absences, the lunch desk, walk-ins, registrations and their one-month window,
forgotten salespeople, designations, rejections, spouses, referrals, changes, quarrels) written out
with the document's numbers, one decision row per decision (rule, clause, outcome, the Chinese
explanation, the parameter set it used, the event as its inputs JSON and their sha256, a hash
chain), the parameter sets and the run's parameters stored once, sqlite3 executemany.

It implements the event types and the paths that benchmarks/bench_realestate.py generates. An event
that would take a path it does not implement (a sign-in, an unapproved or corrected registration, a
customer who says they never came, ...) stops it with a message naming the event: it never guesses.

    python plain_replay.py import DB EVENTS.jsonl   # the events, checked, into the typed table
    python plain_replay.py attribute DB             # replayed in time order -> the decision log

`attribute` prints its decisions as JSON lines (what `zhidu` prints off a terminal) and the count on
stderr.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import uuid
from calendar import monthrange
from datetime import date, datetime, time, timezone

AS_OF = "2027-12-31"
CHUNK = 5000
DOC = "万科房地产销售部客户管理制度"
EVENT_COLUMNS = ("event_id", "occurred_at", "event_type", "staff_code", "customer_code", "other_staff_code",
                 "related_customer_code", "details")
LOG_COLUMNS = ("id", "run_id", "subject_kind", "subject_id", "rule_id", "citation_clause", "outcome", "explanation",
               "parameter_set", "inputs", "fingerprint", "prev_hash", "row_hash")

_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
dumps = _ENCODER.encode


class Unhandled(SystemExit):
    """An event this baseline has no code for (it stops rather than guess)."""


# --- the document's clauses and numbers (preset vanke) ---------------------------------------------

CLAUSE = {
    "rotation": "§3.1-3.2", "lose_turn": "§3.4", "priority_slot": "§3.4", "no_rotation": "§3.1", "designated_before": "§5.1",
    "returning_owner": "§4.1", "returning_volunteer": "§4.2", "forgotten_new": "§3.7", "returning_designation": "§5.3",
    "lunch_desk": "§3.14", "rejection_reassign": "§3.10c", "first_registration": "§7.3", "registration_expired": "§7.1",
    "registration_conflict": "§7.3", "phone_not_ownership": "§3.13", "recognized_same_day": "§3.7g",
    "recognized_within": "§3.7i", "recognized_late": "§3.7j", "deal_on_spot": "§3.7h", "volunteer_registration": "§4.2",
    "rejection_no_fault": "§3.10a", "rejection_general": "§3.10b", "rejection_serious": "§3.10c", "family_share": "§7.4",
    "family_separate": "§7.4", "referral_registered": "§6(2)1", "change_keeps": "§7.6", "escalate": "§7.7",
    "window_renewed": "§7.1", "designation_split": "§5.2",
}
ENDING = {key: f" — {DOC} {clause}" for key, clause in CLAUSE.items()}

WINDOW_MONTHS = 1  # 登记有效期一个月 (§7.1), counted from the latest registration
EFFECTS = {"none": "lose", "busy": "skip", "errand": "priority", "business": "priority"}  # §3.4
LUNCH_START, LUNCH_END, LUNCH_DESK = time(12, 0), time(13, 30), 2  # §3.14
ESCALATE_TO = ["project_manager", "sales_director"]  # §7.7: 项目经理 -> 销售总监
REASON_LABEL = {"none": "无正当理由不在岗", "busy": "忙于接待", "errand": "因领导临时安排外出", "business": "因公外出"}
RELATION_LABEL = {"spouse": "夫妻", "parent_child": "父母子女", "in_law": "公婆岳父母", "sibling": "兄弟姐妹", "other": "其他亲戚"}

# The parameters each rule states it used (document + the numbers it read), as the log stores them.
_SETS = {
    "plain": {},
    "window": {"window_days": None, "window_months": WINDOW_MONTHS},
    "window_anchor": {"window_anchor": "registration", "window_days": None, "window_months": WINDOW_MONTHS},
    "anchor": {"window_anchor": "registration"},
    "escalation": {"escalation_to": ESCALATE_TO},
    "lose": {"absence_effects": EFFECTS, "errand_requires_approval": True},
    "priority": {"absence_effects": EFFECTS},
    "family_relations": {"family_relations": ["spouse"]},
    "designation": {"designation_split": ["0.7", "0.3"]},
    "rejection": {"rejection_priority_slot": True},
    "lunch": {"lunch_desk_size": LUNCH_DESK, "lunch_end": "13:30", "lunch_start": "12:00"},
    "family_share": {"family_rule": "share", "family_share": ["0.5", "0.5"]},
    "recognition": {"recognition_months": 1, "recognition_window": "since_visit"},
    "recognition_split": {"recognition_months": 1, "recognition_window": "since_visit", "recognized_split": ["0.5", "0.5"]},
}
PARAMETER_SETS = {name: dumps({"document": "vanke", **values}) for name, values in _SETS.items()}
SET_HASH = {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in PARAMETER_SETS.items()}
RUN_PARAMETERS = {"document": "vanke", "window_months": WINDOW_MONTHS, "window_anchor": "registration", "absence_effects": EFFECTS,
                  "errand_requires_approval": True, "lunch_start": "12:00", "lunch_end": "13:30", "lunch_desk_size": LUNCH_DESK,
                  "designation_split": ["0.7", "0.3"], "recognized_split": ["0.5", "0.5"], "family_share": ["0.5", "0.5"],
                  "family_relations": ["spouse"], "escalation_to": ESCALATE_TO, "rejection_priority_slot": True}
P0, P_WINDOW, P_WINDOW_ANCHOR, P_ANCHOR, P_ESCALATION, P_LOSE, P_PRIORITY, P_FAMILY_REL, P_DESIGNATION, P_REJECTION, P_LUNCH, \
    P_FAMILY_SHARE, P_RECOGNITION, P_RECOGNITION_SPLIT = (SET_HASH[n] for n in _SETS)


# --- dates ------------------------------------------------------------------------------------------

_LAST_DAY: dict[date, date] = {}


def last_valid_day(start: date) -> date:
    """A one-month window opened on ``start`` holds through the same day of the next month (that
    month's last day when it has none): 3月2日 -> 4月2日, 1月31日 -> 2月28日 (民法典 第二百零一、二百零二条)."""
    end = _LAST_DAY.get(start)
    if end is None:
        y, m = divmod(start.month, 12)
        year, month = start.year + y, m + 1
        end = _LAST_DAY[start] = date(year, month, min(start.day, monthrange(year, month)[1]))
    return end


def in_window(anchor: datetime | None, when: datetime) -> bool:
    return anchor is not None and when.date() <= last_valid_day(anchor.date())


def md(when: datetime | date | None) -> str:
    return "(未知日期)" if when is None else f"{when.month}月{when.day}日"


def hm(when: datetime) -> str:
    return f"{when.hour:02d}:{when.minute:02d}"


# --- the import --------------------------------------------------------------------------------------


def checked_event(line: str, number: int) -> tuple:
    obj = json.loads(line)
    event_id, occurred, event_type = obj.get("event_id"), obj.get("occurred_at"), obj.get("event_type")
    if not isinstance(event_id, str) or not 1 <= len(event_id) <= 64 or not isinstance(event_type, str) or not 1 <= len(event_type) <= 64:
        raise SystemExit(f"line {number}: invalid event")
    try:
        when = datetime.fromisoformat(occurred)
    except (TypeError, ValueError):
        raise SystemExit(f"line {number}: invalid occurred_at") from None
    others = [obj.get(c) for c in EVENT_COLUMNS[3:7]]
    details = obj.get("details") or {}
    if any(v is not None and (not isinstance(v, str) or len(v) > 64) for v in others) or not isinstance(details, dict):
        raise SystemExit(f"line {number}: invalid event")
    return (event_id, when.isoformat(sep=" "), event_type, *others, dumps(details))


def sqlite_import(db: str, path: str) -> int:
    conn = sqlite3.connect(db, isolation_level=None)
    schema(conn)
    insert = (f"INSERT INTO floor_events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))}) "
              f"ON CONFLICT (event_id) DO NOTHING")
    count = 0
    conn.execute("BEGIN IMMEDIATE")  # all or nothing
    with open(path, encoding="utf-8") as fh:
        batch = []
        for number, line in enumerate(fh, start=1):
            batch.append(checked_event(line, number))
            if len(batch) == CHUNK:
                conn.executemany(insert, batch)
                count += len(batch)
                batch = []
        conn.executemany(insert, batch)
        count += len(batch)
    conn.execute("COMMIT")
    return count


def schema(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE IF NOT EXISTS floor_events (id INTEGER PRIMARY KEY, {', '.join(EVENT_COLUMNS)}, UNIQUE (event_id))")
    conn.execute("CREATE INDEX IF NOT EXISTS ix_floor_events_time ON floor_events (occurred_at, id)")
    conn.execute("CREATE TABLE IF NOT EXISTS runs (id PRIMARY KEY, command, as_of, started_at, parameters, parameter_hash)")
    conn.execute("CREATE TABLE IF NOT EXISTS parameter_sets (hash PRIMARY KEY, parameters)")
    conn.execute(f"CREATE TABLE IF NOT EXISTS decision_log ({', '.join(LOG_COLUMNS)}, PRIMARY KEY (id))")
    conn.execute("CREATE INDEX IF NOT EXISTS ix_subject ON decision_log (subject_kind, subject_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS ix_rule ON decision_log (rule_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS ix_fp ON decision_log (fingerprint)")


# --- each event's checks -----------------------------------------------------------------------------

TYPE_OF_LABEL = {"排班": "roster", "离岗": "away", "返岗": "back", "来访": "visit", "来访登记": "registration", "来访登记表": "registration",
                 "来电": "call", "来电登记": "call", "跟进": "followup", "回访": "followup", "认出": "recognition", "指定接待": "designation",
                 "指定": "designation", "拒绝接待": "rejection", "员工介绍登记": "referral_registration", "亲属关系": "relation",
                 "成交": "deal", "成交变更": "change", "更名": "change", "换房": "change", "争吵": "quarrel"}
CHOICES = {
    "reason": {"none": "none", "busy": "busy", "errand": "errand", "business": "business",
               "无正当理由": "none", "忙于接待": "busy", "领导临时安排": "errand", "因公外出": "business"},
    "fault": {"none": "none", "general": "general", "serious": "serious", "无过错": "none", "一般过错": "general", "严重过错": "serious"},
    "relation": {**{c: c for c in RELATION_LABEL}, **{label: c for c, label in RELATION_LABEL.items()}},
    "stage": {"during": "during", "before": "before", "接待中途": "during", "接待前": "before"},
    "kind": {"rename": "rename", "unit_change": "unit_change", "更名": "rename", "换房": "unit_change"},
    "method": {"on_site": "on_site", "当场认出": "on_site"},
}
BOOL, TEXT, OPTIONAL, NAMES, DAY = "bool", "text", "optional", "names", "day"
# type -> (the columns it needs, its details' keys and what each holds)
TYPES: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "roster": ((), {"order": NAMES}),
    "away": (("staff_code",), {"reason": "reason", "approved": BOOL}),
    "back": (("staff_code",), {}),
    "visit": (("customer_code",), {"visited_before": BOOL, "named_staff": NAMES, "designated": OPTIONAL, "manager_approved": BOOL}),
    "registration": (("staff_code", "customer_code"), {"form_no": OPTIONAL}),
    "call": (("customer_code",), {}),
    "followup": (("staff_code", "customer_code"), {}),
    "recognition": (("staff_code", "customer_code"), {"method": "method"}),
    "designation": (("staff_code", "customer_code", "other_staff_code"), {"stage": "stage", "manager_approved": BOOL}),
    "rejection": (("staff_code", "customer_code"), {"fault": "fault"}),
    "referral_registration": (("staff_code", "customer_code"), {"appointment_date": DAY, "form_no": OPTIONAL}),
    "relation": (("customer_code", "related_customer_code"), {"relation": "relation"}),
    "deal": (("staff_code", "customer_code"), {"deal_code": OPTIONAL, "unit": OPTIONAL}),
    "change": (("customer_code",), {"kind": "kind", "deal_code": OPTIONAL, "new_unit": OPTIONAL}),
    "quarrel": (("staff_code", "customer_code", "other_staff_code"), {}),
}
REQUIRED = {"roster": ("order",), "referral_registration": ("appointment_date",), "relation": ("relation",), "change": ("kind",)}
COLUMN_INDEX = {"staff_code": 3, "customer_code": 4, "other_staff_code": 5, "related_customer_code": 6}


def checked_details(row: tuple, details: dict) -> tuple[str, dict]:
    """The event's type code and its details with choices as codes; Unhandled for anything else."""
    event_id, event_type = row[0], row[2]
    kind = event_type if event_type in TYPES else TYPE_OF_LABEL.get(event_type)
    if kind is None:
        raise Unhandled(f"event {event_id}: type {event_type!r} is not one this baseline replays")
    columns, keys = TYPES[kind]
    for column in columns:
        if not row[COLUMN_INDEX[column]]:
            raise SystemExit(f"event {event_id}: {column} is required for {kind}")
    loaded = {}
    for key, value in details.items():
        what = keys.get(key)
        if what is None:
            if key == "note" and (value is None or isinstance(value, str)):
                continue
            raise Unhandled(f"event {event_id}: details.{key} is not handled for {kind}")
        if what == BOOL:
            ok = type(value) is bool or (value is None and key == "visited_before")
        elif what == OPTIONAL:
            ok = value is None or isinstance(value, str)
        elif what == NAMES:
            ok = type(value) is list and all(isinstance(v, str) and v for v in value) and (key != "order" or (value and len(set(value)) == len(value)))
        elif what == DAY:
            try:
                value = date.fromisoformat(value)
                ok = True
            except (TypeError, ValueError):
                ok = False
        else:
            value = CHOICES[what].get(value)
            ok = value is not None
        if not ok:
            raise Unhandled(f"event {event_id}: details.{key} = {details[key]!r} is not handled")
        loaded[key] = value
    for key in REQUIRED.get(kind, ()):
        if key not in loaded:
            raise SystemExit(f"event {event_id}: details.{key} is required for {kind}")
    if kind == "visit" and (loaded.get("visited_before") is False or row[6] or row[3]):
        raise Unhandled(f"event {event_id}: a visit of a customer who says they never came, brought by an old customer or "
                        f"with its actual receiver is not handled")
    if (kind == "change" and row[6] and row[6] != row[4]) or (kind == "designation" and loaded.get("stage") == "before"):
        raise Unhandled(f"event {event_id}: a rename or a designation before reception is not handled")
    return kind, loaded


# --- the replay ----------------------------------------------------------------------------------------

NO_ONE: frozenset[str] = frozenset()


class Customer:
    """Whose customer this is and the facts the rules look at (one mutable record per customer)."""

    __slots__ = ("code", "owner", "since", "anchor", "basis", "co_owner", "original", "original_anchor", "forgotten_at",
                 "recognized_at", "excluded", "first_seen", "visit", "recognized_today", "deal_times", "referral")

    def __init__(self, code: str) -> None:
        self.code = code
        self.owner = self.since = self.anchor = self.co_owner = self.original = None
        self.original_anchor = self.forgotten_at = self.recognized_at = self.first_seen = None
        self.basis = ""
        self.excluded = NO_ONE
        self.visit: tuple | None = None  # today's walk-in: (at, receiver, forgot, volunteer_for)
        self.recognized_today: tuple | None = None
        self.deal_times: list[datetime] = []
        self.referral = False

    def own(self, owner: str | None, since: datetime | None, anchor: datetime | None, basis: str) -> None:
        """A new standing: the forgotten-salesperson and spouse facts of the old one do not carry over."""
        self.owner, self.since, self.anchor, self.basis = owner, since, anchor, basis
        self.co_owner = self.original = self.original_anchor = self.forgotten_at = self.recognized_at = None

    def valid_at(self, when: datetime) -> bool:
        return self.owner is not None and self.owner not in self.excluded and in_window(self.anchor, when)


class Replay:
    def __init__(self) -> None:
        self.customers: dict[str, Customer] = {}
        self.day: date | None = None
        self.order: list[str] = []
        self.pos = 0
        self.signed_in: set[str] = set()
        self.away: dict[str, tuple[str, bool]] = {}
        self.owed: list[tuple[str, str]] = []
        self.granted: set[str] = set()
        self.lunch_day: date | None = None
        self.lunch_desk: tuple[str, ...] = ()
        self.lunch_next = 0
        self.out: list[tuple] = []  # (subject kind, subject id, rule, outcome, explanation, parameter set) of this event

    def cust(self, code: str) -> Customer:
        c = self.customers.get(code)
        if c is None:
            c = self.customers[code] = Customer(code)
        return c

    def emit(self, kind: str, subject: str, rule: str, outcome: dict, why: str, params: str = P0) -> None:
        self.out.append((kind, subject, rule, outcome, why + ENDING[rule], params))

    def available(self, staff: str) -> bool:
        return staff in self.signed_in and staff not in self.away

    # --- one event ---

    def apply(self, row: tuple, t: datetime, kind: str, d: dict) -> None:
        event_id, staff, code = row[0], row[3], row[4]
        day = t.date()
        if day != self.day:
            if self.day is not None:  # a new floor day: presence and owed turns start afresh
                self.signed_in.clear()
                self.away.clear()
                self.owed.clear()
                self.granted.clear()
            self.day = day
        if kind == "visit":
            self.on_visit(event_id, t, code, d)
        elif kind == "registration":
            self.on_registration(event_id, t, code, staff)
        elif kind == "call":
            owner = self.cust(code).owner
            self.emit("customer", f"{code}@{event_id}", "phone_not_ownership",
                      {"customer": code, "caller_staff": staff, "owner": owner, "effective": False},
                      f"{md(t)}客户{code}来电由{staff or '(未记)'}登记,来电登记仅作资料留存,不作为确定客户归属的依据")
        elif kind == "followup":
            self.on_followup(event_id, t, code, staff)
        elif kind == "roster":
            self.order, self.pos = list(d["order"]), 0
            self.signed_in.update(self.order)
        elif kind == "away":
            self.away[staff] = (d.get("reason", "none"), d.get("approved", False))
        elif kind == "back":
            self.away.pop(staff, None)
            self.granted.discard(staff)
        elif kind == "deal":
            self.on_deal(event_id, t, code)
        elif kind == "recognition":
            self.on_recognition(event_id, t, code, staff)
        elif kind == "designation":
            self.on_designation(event_id, t, code, staff, row[5], d.get("manager_approved", False))
        elif kind == "rejection":
            self.on_rejection(event_id, t, code, staff, d.get("fault", "none"))
        elif kind == "relation":
            self.on_relation(event_id, t, code, row[6], d["relation"])
        elif kind == "referral_registration":
            self.on_referral(event_id, t, code, staff, d["appointment_date"])
        elif kind == "change":
            c = self.cust(code)
            what = "更名" if d["kind"] == "rename" else "换房"
            self.emit("customer", f"{code}@{event_id}", "change_keeps", {"customer": code, "owner": c.owner, "kind": d["kind"], "new_customer": row[6]},
                      f"客户{code}成交后于{md(t)}{what}" + (f"为{row[6]}" if row[6] else "") + f",不变更经办售楼员,成交业绩和佣金仍归{c.owner or '原售楼员'}")
        elif kind == "quarrel":
            c = self.cust(code)
            reason = f"{staff}与{row[5]}就客户{code}发生争吵"
            self.emit("customer", f"{code}@{event_id}", "escalate", {"customer": code, "escalate_to": ESCALATE_TO, "reason": reason, "owner": c.owner},
                      f"{reason},依现有条款无法分清客户归属及佣金分配,由项目经理根据双方过错和成交贡献提出书面意见,报销售总监审批", P_ESCALATION)

    # --- reception ---

    def pick_rotation(self, event_id: str, t: datetime, exclude: frozenset[str]) -> tuple[str | None, str]:
        """The next receiver: owed priority turns first (oldest first), then the rotation from the
        pointer, passing over those away (a lost turn, a skip, or a kept place with a priority turn)."""
        for i, (staff, how) in enumerate(self.owed):
            if self.available(staff) and staff not in exclude:
                del self.owed[i]
                return staff, how
        order, n = self.order, len(self.order)
        for k in range(n):
            i = (self.pos + k) % n
            staff = order[i]
            if staff not in self.signed_in or staff in exclude:
                continue
            away = self.away.get(staff)
            if away is None:
                self.pos = (i + 1) % n
                return staff, "rotation"
            reason, approved = away
            effect = EFFECTS.get(reason, "lose")
            if reason == "errand" and not approved:
                effect = "lose"  # 领导临时安排须经项目经理核实批准
            if effect == "priority":
                if staff in self.granted:
                    continue  # one priority turn per absence; passed over without a decision
                self.granted.add(staff)
                self.owed.append((staff, "priority"))
                self.emit("staff_turn", f"{staff}@{event_id}", "priority_slot", {"staff": staff, "effect": "priority", "reason": reason},
                          f"{md(t)}{hm(t)}轮到{staff}接待时其{REASON_LABEL[reason]}(经批准),保留当前位置,返岗后优先轮值", P_PRIORITY)
            elif effect == "lose":
                self.emit("staff_turn", f"{staff}@{event_id}", "lose_turn", {"staff": staff, "effect": "lose", "reason": reason},
                          f"{md(t)}{hm(t)}轮到{staff}接待时其{REASON_LABEL[reason]},取消本轮接客资格", P_LOSE)
        return None, "rotation"

    def receiver(self, event_id: str, t: datetime, exclude: frozenset[str] = NO_ONE) -> tuple[str | None, str]:
        """Who receives from the floor now: the lunch desk (§3.14) in turn, else the rotation."""
        if LUNCH_START <= t.time() < LUNCH_END:
            if self.lunch_day != t.date():
                desk: list[str] = []
                order, n = self.order, len(self.order)
                for k in range(n):
                    i = (self.pos + k) % n
                    if self.available(order[i]):
                        desk.append(order[i])
                        if len(desk) == LUNCH_DESK:
                            self.pos = (i + 1) % n
                            break
                if desk:
                    if len(desk) < LUNCH_DESK:
                        self.pos = (order.index(desk[-1]) + 1) % n
                    self.lunch_day, self.lunch_desk, self.lunch_next = t.date(), tuple(desk), 0
                    self.emit("floor_day", f"{t.date().isoformat()}@lunch", "lunch_desk", {"desk": desk, "from": "12:00:00", "until": "13:30:00"},
                              f"{md(t)}午餐时间(12:00-13:30)由当时轮班在前的{'、'.join(desk)}值接待台,其余人员用餐不视为缺岗", P_LUNCH)
            if self.lunch_day == t.date():
                present = [s for s in self.lunch_desk if self.available(s) and s not in exclude]
                if present:
                    self.lunch_next += 1
                    return present[(self.lunch_next - 1) % len(present)], "lunch_desk"
        return self.pick_rotation(event_id, t, exclude)

    def volunteer(self, prior: str) -> str | None:
        """§4.2: the last in rotation (who received most recently) volunteers."""
        order, n = self.order, len(self.order)
        for k in range(1, n + 1):
            staff = order[(self.pos - k) % n]
            if staff != prior and self.available(staff):
                return staff
        return None

    def on_visit(self, event_id: str, t: datetime, code: str, d: dict) -> None:
        c = self.cust(code)
        if c.first_seen is None:
            c.first_seen = t
        owner_valid = c.valid_at(t)
        named = d.get("named_staff") or ()
        came = d.get("visited_before")
        designated = d.get("designated")
        counted = forgot = False
        volunteer_for = None
        if named if came else (came is None and (owner_valid or named)):
            # A returning customer (§4): the valid owner, else the first salesperson they name.
            prior = c.owner if owner_valid else named[0]
            mode = None
            if designated and designated != prior:
                if d.get("manager_approved"):
                    receiver, mode, volunteer_for = designated, "returning_designation", prior
                    why = f"已来访过的客户{code}坚持指定{designated}接待,销售经理安排{designated}义务接待,如成交全部佣金归最先接待的{prior}"
                elif self.available(prior):
                    receiver, mode = prior, "returning_designation"
                    why = f"已来访过的客户{code}要求改由{designated}接待,原则上不予支持,仍由原接待的{prior}接待"
            if mode is None:
                if self.available(prior):
                    receiver, mode = prior, "returning_owner"
                    why = f"客户{code}为{prior}接待过的老客户({'按登记' if owner_valid else '按客户所述'}),由{prior}接待,回访不计入接待名额"
                else:
                    receiver, mode, volunteer_for = self.volunteer(prior), "returning_volunteer", prior
                    why = f"老客户{code}的原接待售楼员{prior}不在,由排班在最后的{receiver or '(无人)'}义务接待,不计入接待名额"
        else:
            forgot = bool(came)  # came before but names nobody: a new customer (§3.7)
            if designated and not owner_valid and self.available(designated):
                receiver, mode = designated, "designated_before"
                why = f"新客户{code}进入实质性接待前指定{designated}接待,由{designated}接待,不计入其排班,错过轮次不补班"
            else:
                receiver, how = self.receiver(event_id, t)
                counted = receiver is not None
                mode = "priority_slot" if how == "priority" else how
                label = "(优先轮值)" if how == "priority" else "(午餐值台)" if how == "lunch_desk" else ""
                if receiver is None:
                    mode = "no_rotation"
                    why = f"{md(t)}{hm(t)}新客户{code}到访时轮序中无在岗售楼员,无法按排班确定接待人"
                elif forgot:
                    mode = "forgotten_new"
                    why = f"客户{code}表示曾来访但记不得原接待售楼员,视为新客户,由轮值的{receiver}{label}接待"
                else:
                    why = f"新客户{code}于{md(t)}{hm(t)}到访,按排班顺序由{receiver}{label}接待"
                if designated and not owner_valid:
                    why += f"(指定的{designated}不在岗)"
        c.visit = (t, receiver, forgot, volunteer_for)
        self.emit("floor_event", event_id, mode, {"customer": code, "receiver": receiver, "mode": mode, "counted": counted,
                                                  "volunteer_for": volunteer_for}, why)

    # --- ownership ---

    def on_registration(self, event_id: str, t: datetime, code: str, staff: str) -> None:
        c = self.cust(code)
        if c.first_seen is None or t < c.first_seen:
            c.first_seen = t
        if c.referral:
            raise Unhandled(f"event {event_id}: the registration of a customer with an open employee referral is not handled")
        sid = f"{code}@{event_id}"
        if staff in c.excluded:
            self.emit("customer", sid, "rejection_serious", {"customer": code, "owner": c.owner, "registrant": staff, "effective": False},
                      f"{staff}已因客户拒绝/投诉丧失对客户{code}的权益,{md(t)}的登记不产生归属")
            return
        owner = c.owner
        if owner is None or not c.valid_at(t):
            until = last_valid_day(t.date())
            if owner is None:
                self.emit("customer", sid, "first_registration", {"customer": code, "owner": staff, "since": t.isoformat(), "valid_until": until.isoformat()},
                          f"客户{code}于{md(t)}由{staff}首次登记,登记有效期一个月(至{md(until)}),归属{staff}", P_WINDOW)
                c.own(staff, t, t, "first_registration")
            else:
                old_end = last_valid_day(c.anchor.date())
                renewed = c.since is not None and c.since.date() != c.anchor.date()
                since = f"{md(c.since)}登记、最后一次于{md(c.anchor)}回访或再次登记" if renewed else f"{md(c.anchor)}登记"
                self.emit("customer", sid, "registration_expired", {"customer": code, "owner": staff, "previous_owner": owner,
                                                                    "previous_valid_until": old_end.isoformat(), "since": t.isoformat()},
                          f"客户{code}原由{owner}于{since},有效期一个月已于{md(old_end)}届满,{md(t)}{staff}接待登记时归属{staff}", P_WINDOW_ANCHOR)
                c.own(staff, t, t, "registration_expired")
            return
        if owner == staff:  # the owner registers again: the window counts from today (§7.1)
            old_end, anchor = last_valid_day(c.anchor.date()), max(c.anchor, t)
            new_end = last_valid_day(anchor.date())
            c.anchor = anchor
            self.emit("customer", sid, "window_renewed", {"customer": code, "owner": owner, "renewed": new_end != old_end, "by": "registration",
                                                          "previous_valid_until": old_end.isoformat(), "valid_until": new_end.isoformat()},
                      f"{owner}于{md(t)}对客户{code}再次来访登记,登记有效期一个月自{md(anchor)}重新起算,至{md(new_end)}(原至{md(old_end)})", P_WINDOW_ANCHOR)
            return
        if c.co_owner == staff:
            return
        if c.since is not None and t < c.since:
            raise Unhandled(f"event {event_id}: a registration earlier than the owner's is not handled")
        visit = c.visit if c.visit is not None and c.visit[0].date() == t.date() else None
        if visit is not None and visit[3] == owner and visit[1] == staff:
            self.emit("customer", sid, "volunteer_registration", {"customer": code, "owner": owner, "registrant": staff, "effective": False},
                      f"{md(t)}{staff}为{owner}的客户{code}义务接待并登记,客户仍归{owner}")
            return
        if c.recognized_today == (t.date(), owner):
            self.emit("customer", sid, "recognized_same_day", {"customer": code, "owner": owner, "registrant": staff, "effective": False},
                      f"客户{code}于{md(t)}被原售楼员{owner}认出,仍由{owner}接待,{staff}的登记不产生归属")
            return
        if not (visit is not None and visit[2] and c.since is not None and c.since.date() < t.date()):
            if c.since == t:
                why = f"客户{code}的两条登记时间相同({md(t)}{hm(t)}),按录入顺序{owner}在先,以先登记者为准,归属{owner},{staff}的登记不产生归属"
            else:
                why = (f"客户{code}已于{md(c.since)}由{owner}登记且仍在有效期内(至{md(last_valid_day(c.anchor.date()))}),"
                       f"{md(t)}{staff}的登记与之冲突,以先登记者为准,归属{owner}")
            self.emit("customer", sid, "registration_conflict", {"customer": code, "owner": owner, "registrant": staff, "effective": False}, why)
            return
        # Came back, forgot who served them (§3.7): the new salesperson takes over, provisionally.
        since = c.since
        c.original, c.original_anchor, c.forgotten_at, c.recognized_at, c.co_owner = owner, c.anchor, t, None, None
        c.owner, c.since, c.anchor, c.basis = staff, t, t, "forgotten_new"
        self.emit("customer", sid, "forgotten_new", {"customer": code, "owner": staff, "original": owner, "status": "provisional"},
                  f"客户{code}曾由{owner}于{md(since)}登记,{md(t)}来访时表示来过但记不得原售楼员,视为新客户由{staff}接待跟进;"
                  f"当日认出则交还{owner},期内认出则佣金平分", P_RECOGNITION)

    def on_followup(self, event_id: str, t: datetime, code: str, staff: str) -> None:
        c = self.cust(code)
        if c.owner is None:
            return
        end = last_valid_day(c.anchor.date())
        self.emit("customer", f"{code}@{event_id}", "window_renewed", {"customer": code, "owner": c.owner, "renewed": False, "by": "followup",
                                                                       "valid_until": end.isoformat()},
                  f"{staff}于{md(t)}对客户{code}的跟进不是来访登记,有效期仍自{c.owner}最近一次登记日{md(c.anchor)}起算,至{md(end)}", P_ANCHOR)

    def on_deal(self, event_id: str, t: datetime, code: str) -> None:
        c = self.cust(code)
        c.deal_times.append(t)
        if c.original and c.forgotten_at and c.recognized_at is None and c.forgotten_at.date() == t.date():
            c.basis = "deal_on_spot"
            self.emit("customer", f"{code}@{event_id}", "deal_on_spot", {"customer": code, "owner": c.owner, "original": c.original},
                      f"{c.owner}于{md(t)}促成客户{code}当场成交,成交前未认出原售楼员{c.original},客户资源和佣金全部归{c.owner}")

    def on_recognition(self, event_id: str, t: datetime, code: str, staff: str) -> None:
        c = self.cust(code)
        c.recognized_today = (t.date(), staff)
        sid = f"{code}@{event_id}"
        if c.original != staff or c.forgotten_at is None or c.recognized_at is not None or c.basis == "deal_on_spot":
            # Not a registered hand-over: today's forgetful walk-in of this (still valid) owner?
            v = c.visit
            if v is None or not v[2] or v[1] is None or v[1] == staff or c.owner != staff or not c.valid_at(t) or c.forgotten_at is not None:
                return
            new = v[1]
            if v[0].date() == t.date():
                self.emit("customer", sid, "recognized_same_day", {"customer": code, "owner": staff, "new_salesperson": new},
                          f"客户{code}于{md(t)}来访时记不得原售楼员,由{new}按新客户接待,当日与原售楼员{staff}相互认出,仍由{staff}接待,客户归{staff}")
                return
            if self.recognized_later(c, sid, t, staff, new, v[0], registered=False):
                c.original, c.original_anchor, c.forgotten_at, c.recognized_at, c.co_owner = staff, c.anchor, v[0], t, None
                c.owner, c.since, c.basis = new, v[0], "forgotten_new"
            return
        if t.date() == c.forgotten_at.date():
            if any(c.forgotten_at <= when <= t for when in c.deal_times):
                return  # a deal on the spot came first (§3.7h)
            new = c.owner
            c.owner, c.anchor, c.since, c.basis = staff, c.original_anchor, None, "recognized_same_day"
            c.original = c.original_anchor = c.forgotten_at = None
            self.emit("customer", sid, "recognized_same_day", {"customer": code, "owner": staff, "new_salesperson": new},
                      f"客户{code}于{md(t)}当日与原售楼员{staff}相互认出,仍由{staff}接待,客户归{staff},{new}的接待登记不产生归属")
            return
        if self.recognized_later(c, sid, t, staff, c.owner, c.forgotten_at, registered=True):
            c.recognized_at = t

    def recognized_later(self, c: Customer, sid: str, t: datetime, staff: str, new: str, forgotten_at: datetime, registered: bool) -> bool:
        """§3.7i-j: recognised within a month of the new salesperson's reception -> shared 50/50."""
        until = last_valid_day(forgotten_at.date())
        span = f"{md(forgotten_at)}接待后1个月内(至{md(until)})"
        if t.date() <= until:
            self.emit("customer", sid, "recognized_within", {"customer": c.code, "owner": new, "original": staff, "recognized_at": t.isoformat(),
                                                             "split": ["0.5", "0.5"], "method": "on_site"},
                      f"客户{c.code}于{md(forgotten_at)}由{new}按新客户接待,{md(t)}认出原售楼员{staff},在{span},"
                      f"客户由{new}继续跟进,成交佣金{staff}得50%、{new}得50%", P_RECOGNITION_SPLIT)
            return True
        if registered:
            self.emit("customer", sid, "recognized_late", {"customer": c.code, "owner": new, "original": staff, "recognized_at": t.isoformat()},
                      f"客户{c.code}于{md(forgotten_at)}由{new}按新客户接待,{md(t)}认出原售楼员{staff},已超出{span},客户资源和佣金全部归{new}", P_RECOGNITION)
        return False

    def on_designation(self, event_id: str, t: datetime, code: str, designated: str, first: str, approved: bool) -> None:
        c = self.cust(code)
        sid = f"{code}@{event_id}"
        if c.owner is not None and c.since is not None and c.since.date() < t.date() and in_window(c.anchor, t):
            prior = c.owner  # a returning customer designating someone else (§5.3)
            if approved:
                self.emit("customer", sid, "returning_designation", {"customer": code, "receiver": designated, "owner": prior, "volunteer": True},
                          f"已来访过的客户{code}坚持指定{designated}接待,销售经理安排{designated}义务接待,如成交全部佣金归最先接待的{prior}")
            else:
                self.emit("customer", sid, "returning_designation", {"customer": code, "receiver": prior, "owner": prior, "supported": False},
                          f"已来访过的客户{code}要求改由{designated}接待,原则上不予支持,仍由{prior}接待")
        elif not approved:
            self.emit("customer", sid, "designation_split", {"customer": code, "receiver": first, "supported": False},
                      f"客户{code}于{md(t)}在{first}接待中途要求改由{designated}接待,原则上不予支持,仍由{first}接待")
        else:  # §5.2: 70/30
            self.emit("customer", sid, "designation_split", {"customer": code, "receiver": designated, "first_receiver": first, "split": ["0.7", "0.3"]},
                      f"客户{code}于{md(t)}在{first}接待中途坚持指定{designated},销售经理安排{designated}接待,如成交{first}得70%、{designated}得30%",
                      P_DESIGNATION)

    def on_rejection(self, event_id: str, t: datetime, code: str, staff: str, fault: str) -> None:
        c = self.cust(code)
        sid = f"{code}@{event_id}"
        if fault == "serious":  # §3.10c: a new customer; the next in rotation; the rejected one keeps a priority turn
            if c.owner == staff:
                c.own(None, None, None, "")
            else:
                if c.co_owner == staff:
                    c.co_owner = None
                if c.original == staff:
                    c.original = None
            c.excluded = c.excluded | {staff}
            self.emit("customer", sid, "rejection_serious", {"customer": code, "owner": None, "excluded": staff, "fault": fault},
                      f"客户{code}于{md(t)}拒绝{staff}接待且{staff}严重过错,此客户按新客处理,{staff}不再享有任何权益")
            receiver, _ = self.receiver(event_id, t, frozenset({staff}))
            if staff in self.signed_in:
                self.owed.append((staff, "priority"))
            c.visit = (t, receiver, False, None)
            self.emit("floor_event", event_id, "rejection_reassign", {"customer": code, "receiver": receiver, "counted": receiver is not None,
                                                                      "mode": "rejection_reassign", "priority_slot_for": staff},
                      f"销售经理按排班表安排{receiver or '(无人)'}接待客户{code},{staff}本次接待作轮空处理,安排优先轮值", P_REJECTION)
        elif fault == "general":
            self.emit("customer", sid, "rejection_general", {"customer": code, "owner": c.owner, "excluded": None, "fault": fault, "penalty": "manager_discretion"},
                      f"客户{code}要求更换{staff},{staff}确有一般性过错,由销售经理处罚并安抚客户后,仍安排{staff}继续接待")
        else:
            self.emit("customer", sid, "rejection_no_fault", {"customer": code, "owner": c.owner, "excluded": None, "fault": fault},
                      f"客户{code}要求更换{staff},{staff}无过错,更换要求原则上不予支持,由销售经理协助做好客户工作")

    # --- relations ---

    def on_relation(self, event_id: str, t: datetime, code: str, related: str, relation: str) -> None:
        a, b = self.cust(code), self.cust(related)
        sid, label = f"{code}@{event_id}", RELATION_LABEL[relation]
        separate = {"customer": code, "related": related, "relation": relation, "merged": False}
        if relation != "spouse":
            self.emit("customer", sid, "family_separate", separate, f"客户{code}与{related}为{label}关系,本制度不作同一客户处理,各按自己的登记确定归属", P_FAMILY_REL)
            return
        va, vb = a.valid_at(t), b.valid_at(t)
        if not va and not vb:
            self.emit("customer", sid, "family_separate", separate, f"客户{code}与{related}为{label}关系,但双方均无有效登记,无从合并归属")
            return
        if not (va and vb) or a.owner == b.owner:
            owner = a.owner if va else b.owner
            self.emit("customer", sid, "family_share", {"customer": code, "related": related, "relation": relation, "owners": [owner]},
                      f"客户{code}与{related}为{label},只有{owner}的有效登记,由{owner}接待")
            for c in (a, b):
                if not c.valid_at(t):
                    c.own(owner, t, t, "family_share")
                    c.excluded = NO_ONE
            return
        first, second = (b, a) if (b.since or t) < (a.since or t) else (a, b)
        f_code, f_owner, f_since, s_code, s_owner, s_since = first.code, first.owner, first.since, second.code, second.owner, second.since
        for c in (a, b):  # §7.4: registered separately, received together, 50/50
            c.owner, c.since, c.co_owner, c.basis = f_owner, f_since, s_owner, "family_share"
        self.emit("customer", sid, "family_share", {"customer": code, "related": related, "relation": relation, "owners": [f_owner, s_owner],
                                                    "split": ["0.5", "0.5"]},
                  f"客户{f_code}于{md(f_since)}由{f_owner}、客户{s_code}于{md(s_since)}由{s_owner}分别接待登记,"
                  f"{md(t)}发现二人为{label}关系,由{f_owner}、{s_owner}共同接待,佣金各得一半", P_FAMILY_SHARE)

    def on_referral(self, event_id: str, t: datetime, code: str, referrer: str, appointment: date) -> None:
        c = self.cust(code)
        sid = f"{code}@{event_id}"
        if c.first_seen is not None:  # §6(2)1: before the first visit only
            self.emit("customer", sid, "referral_registered", {"customer": code, "referrer": referrer, "valid": False},
                      f"{referrer}于{md(t)}登记介绍客户{code},但该客户已于{md(c.first_seen)}来访,介绍须在客户第一次来访前登记,不予受理")
            return
        c.referral = True
        self.emit("customer", sid, "referral_registered", {"customer": code, "referrer": referrer, "appointment_date": appointment.isoformat(), "valid": None},
                  f"{referrer}于{md(t)}登记介绍客户{code},预约{md(appointment)}来访,待来访时确认")


# --- the log ----------------------------------------------------------------------------------------------


class Log:
    """Decision rows chained by sha256 over the previous hash and the row; the run's parameters once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.run_id = str(uuid.uuid4())
        self.insert = f"INSERT INTO decision_log VALUES ({', '.join('?' * len(LOG_COLUMNS))})"
        self.count = 0
        params = dumps(RUN_PARAMETERS)
        conn.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)", (self.run_id, "attribute", AS_OF, datetime.now(timezone.utc).isoformat(),
                                                                    params, hashlib.sha256(params.encode("utf-8")).hexdigest()))
        conn.executemany("INSERT OR IGNORE INTO parameter_sets VALUES (?, ?)", [(SET_HASH[n], PARAMETER_SETS[n]) for n in _SETS])

    def append(self, decided: list[tuple]) -> None:
        """``decided``: (subject kind, subject id, rule, outcome, explanation, parameter set, inputs JSON,
        fingerprint) in order; one short transaction: take the tail, chain, insert, commit."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        last = conn.execute("SELECT id, row_hash FROM decision_log ORDER BY id DESC LIMIT 1").fetchone()
        last_id, prev = last if last is not None else (0, "0" * 64)
        rows = []
        write = sys.stdout.write
        sha256 = hashlib.sha256
        run_id = self.run_id
        for offset, (kind, subject, rule, outcome, why, params, inputs, fingerprint) in enumerate(decided, start=1):
            row_id = last_id + offset
            rule_id = "realestate." + rule
            outcome_json = dumps(outcome)
            content = f"{row_id}|{run_id}|{kind}|{subject}|{rule_id}|{CLAUSE[rule]}|{outcome_json}|{why}|{params}|{inputs}|{fingerprint}"
            row_hash = sha256((prev + content).encode("utf-8")).hexdigest()
            rows.append((row_id, run_id, kind, subject, rule_id, CLAUSE[rule], outcome_json, why, params, inputs, fingerprint, prev, row_hash))
            write(f'{{"subject_kind":"{kind}","subject_id":{dumps(subject)},"rule_id":"{rule_id}","citation":"{DOC} {CLAUSE[rule]}",'
                  f'"outcome":{outcome_json},"explanation":{dumps(why)}}}\n')
            prev = row_hash
        conn.executemany(self.insert, rows)
        conn.execute("COMMIT")
        self.count += len(rows)


def sqlite_attribute(db: str) -> int:
    conn = sqlite3.connect(db, isolation_level=None)
    schema(conn)
    log = Log(conn)
    replay = Replay()
    sha256 = hashlib.sha256
    cursor = conn.cursor().execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM floor_events ORDER BY occurred_at, id")
    while rows := cursor.fetchmany(CHUNK):
        decided: list[tuple] = []
        for row in rows:
            details = json.loads(row[7])
            t = datetime.fromisoformat(row[1])
            kind, loaded = checked_details(row, details)
            replay.apply(row, t, kind, loaded)
            if replay.out:  # the event itself is the inputs of its decisions
                inputs = dumps({"event_id": row[0], "occurred_at": t.isoformat(), "event_type": row[2], "staff_code": row[3],
                                "customer_code": row[4], "other_staff_code": row[5], "related_customer_code": row[6], "details": details})
                fingerprint = sha256(inputs.encode("utf-8")).hexdigest()
                decided.extend((*d, inputs, fingerprint) for d in replay.out)
                replay.out.clear()
        if decided:
            log.append(decided)
    return log.count


def main(argv: list[str]) -> None:
    job, db, *rest = argv
    count = sqlite_import(db, rest[0]) if job == "import" else sqlite_attribute(db) if job == "attribute" else None
    if count is None:
        raise SystemExit(f"unknown job {job!r}: import DB FILE | attribute DB")
    print(f"{count} rows", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
