"""Hand-written code shared by the benchmarks' plain-Python baselines: what a script would do by hand.

Nothing here imports zhidu: the checks, the tier rule of 石油销售公司化工品客户管理办法 第九条/第十六条
(with the document's own numbers written in), the JSON of a decision and a hash-chained log written
with sqlite3 executemany. The benchmarks compare the baseline's log with zhidu's afterwards, row by
row, so "the same job" is checked rather than assumed.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def plain_tonnes(text: str) -> Decimal | None:
    """A non-negative finite decimal with at most three places (tonnes to the kilogram), or None."""
    try:
        tonnes = Decimal(text)
    except InvalidOperation:
        return None
    if not tonnes.is_finite() or tonnes < 0 or tonnes >= LIMIT or tonnes.as_tuple().exponent < -3:
        return None
    return tonnes


LIMIT = Decimal(10) ** 15  # Amount(digits=18, places=3): at most 15 digits before the point


def plain_month(text: str) -> bool:
    return bool(MONTH.match(text)) and 1900 <= int(text[:4]) <= 2999


def level_of(raw: str | None) -> str | None:
    """一星 / 一星客户 / star1 -> star1; unknown or empty -> None."""
    if not raw:
        return None
    return LEVEL_OF.get(raw) or LEVEL_OF.get(raw.strip())


# --- the tier rule, by hand (第九条(二), 第十条(一), 第十六条) -------------------------------------

DOC = "石油销售公司化工品客户管理办法"
LEVELS = ("auction", "ordinary", "star1", "star2", "star3")
RANK = {level: i for i, level in enumerate(LEVELS)}
LABELS = {"auction": "网拍客户", "ordinary": "普通客户", "star1": "一星客户", "star2": "二星客户", "star3": "三星客户"}
LEVEL_OF = {**{c: c for c in LABELS}, **{l: c for c, l in LABELS.items()}, **{l.removesuffix("客户"): c for c, l in LABELS.items()}}
SEGMENT_LABELS = {"direct": "直销客户", "exclusive_agent": "独家代理商", "distributor": "经销商"}
# 第九条(二)2-5, highest first: [0, 1000) 普通, [1000, 2000) 一星, [2000, 3000) 二星, 3000 and over 三星.
BOUNDS = ((Decimal(3000), "star3"), (Decimal(2000), "star2"), (Decimal(1000), "star1"), (Decimal(0), "ordinary"))
MAX_STEP = 1  # 依次升降
BANDS_USED = [{"level": "ordinary", "min": "0", "max": "1000"}, {"level": "star1", "min": "1000", "max": "2000"},
              {"level": "star2", "min": "2000", "max": "3000"}, {"level": "star3", "min": "3000", "max": None}]
PLAIN_PARAMETERS = {"tier_bands": BANDS_USED, "max_level_step": MAX_STEP, "upgrade_min_completion_rate": None}
REVIEW_PARAMETERS = {**PLAIN_PARAMETERS, "review_basis": "every_month", "missing_month": "zero"}

TIER = ("petrochem.polyolefin_tier", "第九条(二)")
AUCTION = ("petrochem.auction_customer", "第九条(二)1")
DIRECT = ("petrochem.direct_as_plan_ordinary", "第九条(二)")
NO_VOLUME = ("petrochem.tier_without_volume", "第九条(二)")
REVIEW = ("petrochem.tier_review", "第十六条、第九条(二)")
OTHER = ("petrochem.other_product_class", "第十条(一)")


def tonnes_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def earned_level(volume: Decimal) -> str:
    for lower, level in BOUNDS:
        if volume >= lower:
            return level
    return "ordinary"


def move(raw_level: str | None, current: str | None, earned: str) -> tuple[str, str]:
    """依次升降 by at most one level; (the level, the explanation's ending). No completion-rate floor is set."""
    if current is None:
        if raw_level and raw_level.strip():
            return earned, f";现级别“{raw_level.strip()}”无法识别,按提货量评定为{LABELS[earned]}。"
        return earned, f",初次评定为{LABELS[earned]}。"
    here, there = RANK[current], RANK[earned]
    if abs(there - here) > MAX_STEP:
        there = here + (MAX_STEP if there > here else -MAX_STEP)
    level = LEVELS[there]
    if level != earned:
        return level, f";按“客户级别可以依次升降”,由{LABELS[current]}只{'升' if there > here else '降'}一级至{LABELS[level]}。"
    if level != current:
        return level, f",由{LABELS[current]}调整为{LABELS[level]}。"
    return level, f",维持{LABELS[level]}。"


def change(current: str | None, level: str) -> str:
    if current is None:
        return "initial"
    return "up" if RANK[level] > RANK[current] else "down" if RANK[level] < RANK[current] else "same"


def simple(rule, name, level, current, why, parameters, **extra):
    outcome = {"level": level, "level_label": LABELS.get(level, SEGMENT_LABELS.get(level)) if level else None,
               "previous_level": current, "changed": current is not None and level is not None and current != level, **extra}
    return rule, outcome, why, parameters


def rated(rule, current, earned, level, why, parameters, **extra):
    outcome = {"level": level, "level_label": LABELS[level], "earned_level": earned, "previous_level": current,
               "changed": current is not None and current != level, "change": change(current, level), "held_back": False, **extra}
    return rule, outcome, why, parameters


def other_product(name: str, segment: str | None, raw_level: str | None):
    """第十条(一): a registered class stands (these rows record no facts against it); without one,
    the facts that would decide it are not recorded either."""
    previous = level_of(raw_level)
    outcome = {"product_line": "other", "product": None, "previous_level": previous, "conflicts": []}
    if segment not in SEGMENT_LABELS:
        missing = ["是否直接使用公司产品", "是否销售其他品牌同类产品"]
        return OTHER, {**outcome, "level": None, "level_label": None, "customer_class": None, "class_basis": None,
                       "missing_facts": missing, "changed": False}, \
            f"{name}为聚烯烃以外其他产品客户,未登记客户类别,且尚未记录{'、'.join(missing)},无法按直销客户、独家代理商、经销商归类。", {}
    label = SEGMENT_LABELS[segment]
    return OTHER, {**outcome, "level": segment, "level_label": label, "customer_class": segment, "class_basis": "registered",
                   "missing_facts": [], "changed": previous is not None and previous != segment}, \
        f"{name}为聚烯烃以外其他产品客户,登记的客户类别为{label},不设星级。", {}


def month_text(month: str) -> str:
    return f"{month[:4]}年{int(month[5:])}月"


def unrated(name, segment, form, line, raw_level, no_volume: bool, parameters):
    """The decisions taken before any tonnage counts: other products, direct and auction customers.
    ("skip",) for a product line the tier rule does not cover; None when the tonnage decides."""
    if line == "other":
        return other_product(name, segment, raw_level)
    if line not in (None, "polyolefin"):
        return ("skip",)
    current = level_of(raw_level)
    if segment == "direct":
        return simple(DIRECT, name, "ordinary", current, f"{name}为直销客户,按规定等同计划普通客户级别管理,不按提货量评定星级。", parameters)
    if form == "auction" or (form is None and no_volume):
        return simple(AUCTION, name, "auction", current, f"{name}为网拍(新开发)客户,不设星级提货量标准,定为网拍客户。", parameters)
    return None


def classify_month(name, segment, form, line, raw_level, month, volume):
    """A plain run: the month's tonnage against the bands. (rule, outcome, explanation, parameters) or None."""
    decided = unrated(name, segment, form, line, raw_level, volume is None, PLAIN_PARAMETERS)
    if decided is not None:
        return None if decided == ("skip",) else decided
    current = level_of(raw_level)
    if volume is None:
        return simple(NO_VOLUME, name, current, current, f"{name}为计划客户但未提供单月提货量,无法按第九条评定星级,"
                      + (f"维持{LABELS[current]}。" if current else "暂不定级。"), PLAIN_PARAMETERS, rated=False)
    earned = earned_level(volume)
    level, ending = move(raw_level, current, earned)
    why = f"{name}{month_text(month) if month else '当月'}提货量{tonnes_text(volume)}吨,对应{LABELS[earned]}{ending}"
    return rated(TIER, current, earned, level, why, PLAIN_PARAMETERS, month=month, monthly_volume=volume)


def classify_review(name, segment, form, line, raw_level, volumes: dict, period: tuple[str, str, tuple[str, ...]]):
    """A period review (every month must reach the band; a month without pickups counts as 0 t)."""
    code, label_zh, months = period
    decided = unrated(name, segment, form, line, raw_level, not volumes, REVIEW_PARAMETERS)
    if decided is not None:
        return None if decided == ("skip",) else decided
    current = level_of(raw_level)
    common = {"period": code, "review_basis": "every_month", "report_to": "公司经营例会"}
    if not volumes:  # no record at all is missing data, not a quarter of 0 t
        keep = f"维持{LABELS[current]}。" if current else "暂不定级。"
        return simple(REVIEW, name, current, current, f"{name}在{label_zh}内没有任何月提货量记录,无法评审,{keep}",
                      REVIEW_PARAMETERS, rated=False, months={}, volumes_recorded=False, **common)
    figures = [(m, volumes.get(m, Decimal(0))) for m in months]
    basis_month, basis = min(figures, key=lambda mv: (mv[1], mv[0]))
    earned = earned_level(basis)
    level, ending = move(raw_level, current, earned)
    listing = "、".join(f"{int(m[5:])}月{tonnes_text(v)}吨" for m, v in figures)
    basis_text = f"按每个月均须达到单月标准的读法,以最低的{int(basis_month[5:])}月{tonnes_text(basis)}吨计" if len(figures) > 1 else f"即{tonnes_text(basis)}吨"
    why = f"{name}{label_zh}各月提货量为{listing},{basis_text},对应{LABELS[earned]}{ending}"
    return rated(REVIEW, current, earned, level, why, REVIEW_PARAMETERS, months=dict(figures), basis_volume=basis,
                 basis_month=basis_month, volumes_recorded=True, **common)


# --- JSON and the hash-chained log, by hand --------------------------------------------------

def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def dumps(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def mask_phone(value: str | None) -> str | None:
    if not value:
        return value
    n = len(value)
    if n <= 4:
        return "*" * n
    if n <= 8:
        return value[:1] + "*" * (n - 2) + value[-1:]
    head = 3 if n <= 12 else 4
    return value[:head] + "*" * (n - head - 4) + value[-4:]


def stamped(subject: str, decision: tuple, inputs: dict) -> tuple:
    """A decision with its inputs made JSON-ready and fingerprinted (sha256 of their sorted JSON)."""
    inputs = jsonable(inputs)
    text = dumps(inputs)
    return subject, decision, inputs, text, hashlib.sha256(text.encode("utf-8")).hexdigest()


LOG_COLUMNS = ("id", "run_id", "command", "decided_at", "as_of", "subject_kind", "subject_id", "rule_id",
               "citation_document", "citation_clause", "outcome", "explanation", "plugin", "plugin_version",
               "parameters", "inputs", "fingerprint", "prev_hash", "row_hash")


class PlainLog:
    """The decision log by hand: one table with the same columns and indexes, each row's hash chained
    over the previous one (sha256 of the previous hash and the row's JSON), sqlite3 executemany per chunk."""

    def __init__(self, conn: sqlite3.Connection, run_id: str, command: str, as_of: str, plugin_version: str) -> None:
        self.conn, self.run_id, self.command, self.as_of, self.version = conn, run_id, command, as_of, plugin_version
        conn.execute(f"CREATE TABLE IF NOT EXISTS decision_log ({', '.join(LOG_COLUMNS)}, PRIMARY KEY (id))")
        for name, cols in (("subject", "subject_kind, subject_id"), ("rule", "rule_id"), ("run", "run_id"), ("fp", "fingerprint")):
            conn.execute(f"CREATE INDEX IF NOT EXISTS ix_{name} ON decision_log ({cols})")
        self.insert = f"INSERT INTO decision_log ({', '.join(LOG_COLUMNS)}) VALUES ({', '.join('?' * len(LOG_COLUMNS))})"
        self.count = 0
        self._params: dict[int, tuple[dict, str]] = {}

    def append(self, decided: list[tuple[str, tuple, dict, str, str]]) -> None:
        """``decided``: (subject id, (rule, outcome, explanation, parameters), inputs, their JSON, its
        sha256), in order (see ``stamped``). One short transaction per chunk, as the real log: take
        the tail, chain, insert, commit."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        last = conn.execute("SELECT id, row_hash FROM decision_log ORDER BY id DESC LIMIT 1").fetchone()
        last_id, prev = last if last is not None else (0, "0" * 64)
        now = datetime.now(timezone.utc)
        stamp, stamp_utc = now.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds"), now.isoformat(timespec="microseconds")
        rows = []
        for offset, (subject, ((rule_id, clause), outcome, why, params), inputs, inputs_json, fingerprint) in enumerate(decided, start=1):
            outcome = jsonable(outcome)
            row_id = last_id + offset
            content = [row_id, self.run_id, self.command, stamp_utc, self.as_of, "customer", subject, rule_id, DOC, clause,
                       outcome, why, "petrochem", self.version, params, inputs, fingerprint]
            row_hash = hashlib.sha256((prev + dumps(content)).encode("utf-8")).hexdigest()
            rows.append((row_id, self.run_id, self.command, stamp, self.as_of, "customer", subject, rule_id, DOC, clause,
                         dumps(outcome), why, "petrochem", self.version, self._params_json(params), inputs_json, fingerprint, prev, row_hash))
            prev = row_hash
        conn.executemany(self.insert, rows)
        conn.execute("COMMIT")
        self.count += len(rows)

    def _params_json(self, params: dict) -> str:
        held = self._params.get(id(params))
        if held is None:
            held = self._params[id(params)] = (params, dumps(params))
        return held[1]
