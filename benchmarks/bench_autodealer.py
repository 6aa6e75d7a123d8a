"""autodealer benchmark: `zhidu vehicle-audit` over N vehicle files (default 100,000) with realistic
document counts, from the four flat sheets a clerk fills (files, documents, signature boxes, measured
values; Chinese headers) into the database and back out as logged decisions, against a plain-Python
pipeline doing the same checks.

    python benchmarks/bench_autodealer.py            # 100,000 files (about 3 million sheet rows)
    python benchmarks/bench_autodealer.py --n 10000

zhidu: `import_file` of the four CSV sheets (validation through the kinds' marshmallow schemas, the
children stored under their files), then `run_command(vehicle-audit)`: files streamed from the database
with their documents, signatures and measurements attached, the plugin's checks per chunk, decisions
checked, stamped (inputs masked and fingerprinted) and appended to the hash-chained decision log.

Plain Python: csv.reader with hand-written checks of every column, sqlite3 executemany into four tables,
one SELECT per table to rebuild the files, the same audit written inline by hand (its own code, not the
plugin's: required documents and their order, blanks, required signatures and their dates and times,
invoice vs PDI stamp, buyer names, plate, production date, phones, the 10% estimate, settlement items,
stamp and suggestions, the 29,000-31,000 / 59,000-61,000 km duties, units, tread depth, the spare tyre,
the deadlines on the Chinese working-day calendar, Skoda's fine items), and a log row per file
(outcome with its findings, explanation, inputs JSON, sha256) written with executemany. The statuses
both pipelines reach are compared file by file.

Prints rows/s and files/s per phase and the ratio zhidu / plain (time). Not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import copy
import csv
import hashlib
import json
import random
import re
import resource
import sqlite3
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import chinese_calendar

from zhidu.core.importer import import_file
from zhidu.core.service import RunRequest, run_command
from zhidu.core.storage.db import open_database
from zhidu.core.workspace import Workspace
from zhidu.plugins.autodealer import samples
from zhidu.plugins.autodealer.records import VehicleDocumentSchema, VehicleFileSchema, VehicleMeasurementSchema, VehicleSignatureSchema

AS_OF = date(2026, 11, 20)
KINDS = ("vehicle_file", "vehicle_document", "vehicle_signature", "vehicle_measurement")
CHILDREN = {"documents": ("vehicle_document", VehicleDocumentSchema), "signatures": ("vehicle_signature", VehicleSignatureSchema),
            "measurements": ("vehicle_measurement", VehicleMeasurementSchema)}


# --- the data -----------------------------------------------------------------------------------

def _moment(day: date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()} {hour:02d}:{minute:02d}"


def _one(i: int, rng: random.Random) -> dict:
    """One file: a complete one from the plugin's sample builders, then (one in five) broken once."""
    delivered = date(2026, 9, 1) + timedelta(days=rng.randrange(80))
    vin = f"LV{i:015d}"
    code = f"F{i:07d}"
    kind = rng.random()
    handed = delivered + timedelta(days=rng.choice((1, 1, 1, 2)))
    if kind < 0.3:
        row = samples.faw_sales(code, vin, _moment(delivered, 10), _moment(handed + timedelta(days=7 - handed.weekday()), 9),
                                consultant=f"S{rng.randrange(40):03d}")
    elif kind < 0.6:
        visit, order = rng.choice((("保养", "2-"), ("保养", "2-"), ("小修", "1-"), ("首保", "2-"), ("索赔", "3-")))
        km = str(rng.choice((8000, 15000, 30000, 45000, 60000, 75000)))
        row = samples.faw_service(code, vin, _moment(delivered, 9), _moment(delivered, 16), _moment(handed, 9, rng.randrange(60)),
                                  visit=visit, order=f"{order}{i:07d}", km=km, advisor=f"A{rng.randrange(30):03d}")
        if km in ("30000", "60000"):
            for name in ("结算单", "接/交车检查表"):
                _doc(row, name)["suggestions"] = "建议更换火花塞、建议更换刹车油、建议更换转向助力油、建议更换变速箱油"
    elif kind < 0.8:
        row = samples.skoda_new_car(code, vin, _moment(delivered, 10), _moment(handed, 15), consultant=f"C{rng.randrange(40):03d}")
    else:
        row = samples.skoda_service(code, vin, _moment(delivered, 15), _moment(handed, 10), visit=rng.choice(list(samples.SKODA_SERVICE_DOCS)),
                                    advisor=f"B{rng.randrange(30):03d}")
    row = copy.deepcopy(row)
    if rng.random() < 0.2:
        _break(row, rng)
    return row


def _doc(row: dict, name: str) -> dict:
    return next(d for d in row["documents"] if d["doc_type"] == name)


def _break(row: dict, rng: random.Random) -> None:
    what = rng.randrange(6)
    if what == 0 and len(row["documents"]) > 1:
        row["documents"].pop(rng.randrange(len(row["documents"])))
    elif what == 1 and row["signatures"]:
        row["signatures"].pop(rng.randrange(len(row["signatures"])))
    elif what == 2:
        rng.choice(row["documents"])["blank_items"] = "2"
    elif what == 3:
        row["submitted_at"] = (datetime.fromisoformat(row["delivered_at"]) + timedelta(days=12)).strftime("%Y-%m-%d %H:%M")
    elif what == 4 and row.get("measurements"):
        rng.choice(row["measurements"])["unit"] = None
    elif what == 5 and row["file_type"] == "service" and row["brand"] == "一汽-大众":
        _doc(row, "结算单")["total"] = "900.00"


def generate(folder: Path, n: int, seed: int = 7) -> dict[str, tuple[Path, int]]:
    rng = random.Random(seed)
    headers = {kind: None for kind in KINDS}
    handles = {kind: open(folder / f"{kind}.csv", "w", newline="", encoding="utf-8") for kind in KINDS}
    writers: dict[str, csv.DictWriter] = {}
    counts = Counter()

    def emit(kind: str, row: dict) -> None:
        if kind not in writers:
            schema = {"vehicle_file": VehicleFileSchema, **{k: s for k, s in CHILDREN.values()}}[kind]
            fields = [f for f in schema._declared_fields if f not in CHILDREN]
            writers[kind] = csv.DictWriter(handles[kind], fieldnames=[schema._declared_fields[f].metadata["zh"] for f in fields], extrasaction="ignore")
            writers[kind].writeheader()
            headers[kind] = fields
        writers[kind].writerow(samples.chinese(row, {"vehicle_file": VehicleFileSchema, **{k: s for k, s in CHILDREN.values()}}[kind]))
        counts[kind] += 1

    for i in range(n):
        row = _one(i, rng)
        emit("vehicle_file", {k: v for k, v in row.items() if k not in CHILDREN})
        for field, (kind, _schema) in CHILDREN.items():
            for item in row.get(field, []):
                emit(kind, {"file_code": row["code"], **item})
    for fh in handles.values():
        fh.close()
    return {kind: (folder / f"{kind}.csv", counts[kind]) for kind in KINDS}


# --- zhidu --------------------------------------------------------------------------------------

def run_zhidu(files: dict[str, tuple[Path, int]], db_path: Path) -> dict:
    db = open_database(f"sqlite:///{db_path}", upgrade=True)
    ws = Workspace(plugin_names=["autodealer"], db_url=f"sqlite:///{db_path}")
    t = time.perf_counter()
    for kind in KINDS:
        import_file(db, ws.kinds, kind, files[kind][0])
    db.dispose()
    imported = time.perf_counter()
    statuses = {}
    for d in run_command(ws, RunRequest(command="vehicle-audit", as_of=AS_OF)):
        statuses[d.subject_id] = d.outcome["status"]
    done = time.perf_counter()
    return {"import": imported - t, "audit": done - imported, "statuses": statuses}


# --- the plain-Python baseline: the same audit, written by hand ----------------------------------

FILE_COLS = ("code", "vin", "file_type", "brand", "visit_type", "order_number", "plate", "production_date", "registration_date", "mileage_km",
             "gearbox", "received_at", "delivered_at", "submitted_at", "opened_on", "contact_verified", "responsible", "department",
             "archivist", "handover_signed", "not_applicable", "sold_on")
DOC_COLS = ("file_code", "doc_type", "seq", "doc_date", "doc_time", "stamp_date", "stamps", "name", "contact_name", "phone", "printed_phone",
            "landline", "address", "labour", "parts_amount", "total", "items", "suggestions", "advice", "blank_items", "legible", "both_sides")
SIG_COLS = ("file_code", "doc_type", "role", "seq", "signer", "signed_on", "signed_time", "status", "marked")
MEAS_COLS = ("file_code", "doc_type", "item", "value", "unit", "quantity")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"([01]?\d|2[0-3]):[0-5]\d$")
FLAG = {"是": True, "否": False, "": None}

FAW_SALES = ["客户交车表", "购车发票", "交车检查PDI盖章证明复印件", "身份证", "合格证复印件", "购车协议书", "预PDI保养表", "出库PDI保养表"]
FAW_ORDER = ["首保凭证", "任务委托书", "结算单", "保养表", "接/交车检查表", "试车记录", "救援单", "免费检查表", "保修证明复印件", "保养证明复印件"]
FAW_REQUIRED = {"首保": ["首保凭证", "任务委托书", "结算单", "接/交车检查表", "保养表", "保修证明复印件", "保养证明复印件"],
                "保养": ["任务委托书", "结算单", "接/交车检查表", "保养表"], "小修": ["任务委托书", "结算单", "接/交车检查表"],
                "大修": ["任务委托书", "结算单", "接/交车检查表"], "索赔": ["任务委托书", "结算单", "接/交车检查表", "保修证明复印件", "保养证明复印件"]}
FAW_SIGS = {"预PDI保养表": [("库管员", 1), ("执行人", 1), ("终检", 1)],
            "出库PDI保养表": [("库管员", 1), ("销售顾问", 1), ("客户", 1), ("执行人", 1), ("终检", 1)],
            "购车协议书": [("销售经理|销售总监", 1)], "任务委托书": [("客户", 1), ("主修人", 1), ("质检员", 1), ("组长", 1)],
            "结算单": [("客户", 2)], "保养表": [("执行人", 1), ("终检", 1), ("客户", 1)], "接/交车检查表": [("客户", 2)],
            "试车记录": [("试车批准人", 1), ("试车人", 1), ("客户", 1)]}
FAW_BLANKS = {"客户交车表", "购车协议书", "首保凭证", "任务委托书", "保养表", "接/交车检查表", "试车记录", "救援单"}
DUTIES = [(29000, 31000, ["火花塞", "机油四滤"]), (59000, 61000, ["火花塞", "机油四滤", "变速箱油", "刹车油", "转向助力油"])]
ALIASES = {"火花塞": ["火花塞"], "机油四滤": ["机油四滤", "四滤"], "变速箱油": ["变速箱油", "变速器油", "齿轮油", "ATF", "DSG油"],
           "刹车油": ["刹车油", "制动液"], "转向助力油": ["转向助力油", "助力油", "方向机油"]}
SK_NEW = ["绿卡", "购车发票复印件", "销售合同原件", "身份证复印件", "交车检查表", "行驶证复印件", "保险单复印件", "衍生服务清单", "车辆合格证复印件", "交车照片", "新车PDI检查表"]
SK_ATTACH = {"小修": ["增项单", "试车表", "定损单", "对应项目专用工具检查数据", "估算单"],
             "索赔": ["备件发票复印件", "试车单", "损坏零件及车辆信息照片", "测试及故障报告", "对应项目专用工具检查数据"]}
PLATE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}$")
SPLIT = re.compile(r"[、,，;；]+")


def _check(row: list[str], header: list[str], cols: tuple[str, ...], zh: dict[str, str]) -> tuple:
    rec = dict(zip(header, row))
    out = []
    for col in cols:
        v = rec.get(zh[col], "").strip()
        if col in ("received_at", "delivered_at", "submitted_at") and v and not DATETIME.match(v):
            raise ValueError(f"bad {col}: {v}")
        if col in ("doc_date", "stamp_date", "signed_on", "registration_date", "opened_on", "sold_on") and v and not DATE.match(v):
            raise ValueError(f"bad {col}: {v}")
        if col in ("doc_time", "signed_time") and v and not TIME.match(v):
            raise ValueError(f"bad {col}: {v}")
        if col in ("labour", "parts_amount", "total", "value", "mileage_km", "blank_items", "seq") and v:
            try:
                if Decimal(v) < 0:
                    raise ValueError(f"negative {col}")
            except InvalidOperation:
                raise ValueError(f"bad {col}: {v}") from None
        out.append(v or None)
    return tuple(out)


def _load(conn: sqlite3.Connection, path: Path, table: str, cols: tuple[str, ...], schema) -> None:
    zh = {c: schema._declared_fields[c].metadata["zh"] for c in cols}
    insert = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        batch = []
        for row in reader:
            batch.append(_check(row, header, cols, zh))
            if len(batch) == 5000:
                conn.executemany(insert, batch)
                batch = []
        if batch:
            conn.executemany(insert, batch)


_WORKDAY: dict[date, bool] = {}


def workday(d: date) -> bool:
    if d not in _WORKDAY:
        _WORKDAY[d] = chinese_calendar.is_workday(d)
    return _WORKDAY[d]


def add_workdays(d: date, n: int) -> date:
    while n:
        d += timedelta(days=1)
        if workday(d):
            n -= 1
    return d


def plain_audit(f: dict, docs: list[dict], sigs: list[dict], meas: list[dict]) -> tuple[str, list[tuple[str, str]]]:
    """The audit of one file, by hand: (status, [(check, message)])."""
    found: list[tuple[str, str]] = []
    skoda = f["brand"] == "斯柯达"
    sales = f["file_type"] == "sales"
    by = {d["doc_type"]: d for d in docs}
    names = list(by)
    sigmap: dict[str, list[dict]] = defaultdict(list)
    for s in sigs:
        sigmap[s["doc_type"]].append(s)

    def signed(doc: str, role: str) -> int:
        roles = role.split("|")
        return sum(1 for s in sigmap.get(doc, ()) if s["role"] in roles and (s["status"] == "已签" or (s["status"] is None and s["signer"])))

    delivered = datetime.fromisoformat(f["delivered_at"]) if f["delivered_at"] else None
    submitted = datetime.fromisoformat(f["submitted_at"]) if f["submitted_at"] else None
    if not skoda:
        required = FAW_SALES if sales else list(FAW_REQUIRED[f["visit_type"]]) + ([] if f["order_number"].startswith("2") else ["试车记录"])
        found += [("missing", d) for d in required if d not in by]
        order = FAW_SALES if sales else FAW_ORDER
        pos = [order.index(n) if n != "出库PDI保养表" else order.index("预PDI保养表") for n in names if n in order]
        if any(b < a for a, b in zip(pos, pos[1:])):
            found.append(("order", f["code"]))
        five = (f["order_number"] or "").startswith("5")
        for name, d in by.items():
            if name in FAW_BLANKS and d["blank_items"] and Decimal(d["blank_items"]) > 0 and not (five and name == "任务委托书"):
                found.append(("blank", name))
        for doc, needs in FAW_SIGS.items():
            if doc in by:
                found += [("signature", f"{doc}/{r}") for r, count in needs if signed(doc, r) < count]
        for m in meas:
            if m["value"] is not None and not m["unit"]:
                found.append(("unit", m["item"]))
        if sales:
            inv, proof, ident, out = by.get("购车发票"), by.get("交车检查PDI盖章证明复印件"), by.get("身份证"), by.get("出库PDI保养表")
            if inv and proof and inv["doc_date"] and (proof["stamp_date"] or proof["doc_date"]):
                a, b = inv["doc_date"], proof["stamp_date"] or proof["doc_date"]
                if inv["doc_time"] and proof["doc_time"]:
                    gap = abs(datetime.fromisoformat(f"{a} {inv['doc_time']}") - datetime.fromisoformat(f"{b} {proof['doc_time']}"))
                    if gap > timedelta(hours=24):
                        found.append(("invoice_pdi", f["code"]))
                elif abs((date.fromisoformat(a) - date.fromisoformat(b)).days) > 1:
                    found.append(("invoice_pdi", f["code"]))
            if inv and ident and inv["name"] and ident["name"] and inv["name"].replace(" ", "") != ident["name"].replace(" ", ""):
                found.append(("buyer", f["code"]))
            if proof and out and out["doc_date"] and (proof["stamp_date"] or proof["doc_date"]) != out["doc_date"]:
                found.append(("stamp_date", f["code"]))
            agr = by.get("购车协议书")
            if agr and not all(s in (agr["stamps"] or "") for s in ("销售合同章", "骑缝章")):
                found.append(("agreement", f["code"]))
            if out:
                dated = [s for s in sigmap["出库PDI保养表"] if s["role"] in ("执行人", "终检") and s["signer"]]
                if any(not s["signed_on"] for s in dated) or len({s["signed_on"] for s in sigmap["出库PDI保养表"] if s["signed_on"]}) > 1:
                    found.append(("pdi_dates", f["code"]))
            due_monday = delivered.date() + timedelta(days=(7 - delivered.weekday()) % 7 or 7) if delivered else None
            due = due_monday if due_monday is None or workday(due_monday) else add_workdays(due_monday, 1)
            if due and ((submitted and submitted.date() > due) or (not submitted and AS_OF > due)):
                found.append(("late", f["code"]))
        else:
            if not f["plate"] or not PLATE.match(f["plate"].replace("·", "")):
                found.append(("plate", f["code"]))
            pd = f["production_date"] or ""
            if not re.match(r"\d{4}[/-]\d{1,2}[/-]\d{1,2}$", pd) or pd.startswith("1900") or (
                    f["registration_date"] and pd.replace("/", "-") != f["registration_date"]):
                found.append(("production_date", f["code"]))
            wo, st, hc, ms = by.get("任务委托书"), by.get("结算单"), by.get("接/交车检查表"), by.get("保养表")
            if wo:
                if not wo["phone"] or (wo["printed_phone"] and wo["phone"] != wo["printed_phone"]):
                    found.append(("phone", f["code"]))
                techs = [s for s in sigmap["任务委托书"] if s["role"] == "主修人" and s["signer"]]
                if len(SPLIT.split(wo["items"] or "")) > 1 and len(techs) == 1 and techs[0]["marked"] != "是":
                    found.append(("technician", f["code"]))
                times = {s["role"]: (s["signed_on"], s["signed_time"]) for s in sigmap["任务委托书"] if s["role"] in ("组长", "质检员") and s["signer"]}
                if any(t[1] is None for t in times.values()) or ("组长" in times and "质检员" in times and times["组长"] > times["质检员"]):
                    found.append(("times", f["code"]))
                if not five:
                    if not (wo["labour"] and wo["parts_amount"] and wo["total"]):
                        found.append(("estimate", f["code"]))
                    elif st and st["total"]:
                        est, act = Decimal(wo["total"]), Decimal(st["total"])
                        if (est == 0 and act != 0) or (est and abs(act - est) / est > Decimal("0.10")):
                            found.append(("estimate", f["code"]))
                    if st and wo["items"] and st["items"] and set(SPLIT.split(wo["items"])) != set(SPLIT.split(st["items"])):
                        found.append(("items", f["code"]))
            if st:
                if "财务章" not in (st["stamps"] or "") and st["total"] != "0.00":
                    found.append(("stamp", f["code"]))
                sugg = set(SPLIT.split(st["suggestions"] or "")) - {""}
                if not sugg:
                    found.append(("suggestions", f["code"]))
                elif hc and hc["suggestions"] and set(SPLIT.split(hc["suggestions"])) != sugg:
                    found.append(("suggestions", f["code"]))
                km = Decimal(f["mileage_km"]) if f["mileage_km"] else None
                done_items = (st["items"] or "") + (wo["items"] if wo else "") or ""
                for lo, hi, items in DUTIES:
                    if km is not None and lo <= km <= hi:
                        for item in items:
                            if item == "变速箱油" and f["gearbox"] == "手动":
                                continue
                            if not any(a in done_items or a in (st["suggestions"] or "") for a in ALIASES[item]):
                                found.append(("duty", item))
            treads = [m for m in meas if m["quantity"] == "tread" and m["value"] and Decimal(m["value"]) < Decimal("3.0")]
            if treads and not any("胎" in (d["suggestions"] or "") for d in (st, hc, ms) if d):
                found.append(("tread", f["code"]))
            if ms:
                if any(s["role"] in ("执行人", "终检") and s["signer"] and not s["signed_on"] for s in sigmap["保养表"]):
                    found.append(("ms_dates", f["code"]))
                if not any("备胎" in m["item"] for m in meas if m["doc_type"] == "保养表"):
                    found.append(("spare", f["code"]))
            if hc and not (hc["suggestions"] and hc["advice"]):
                found.append(("advice", f["code"]))
            if delivered:
                cutoff = datetime.combine(add_workdays(delivered.date(), 1), datetime.min.time()).replace(hour=10)
                if (submitted and submitted > cutoff) or (not submitted and AS_OF > cutoff.date()):
                    found.append(("late", f["code"]))
    else:
        if sales:
            found += [("missing", d) for d in SK_NEW if d not in by]
            for d in by.values():
                if d["blank_items"] and Decimal(d["blank_items"]) > 0:
                    found.append(("blank", d["doc_type"]))
            card = by.get("绿卡")
            if card and (not (card["name"] and card["contact_name"] and card["address"]) or (card["landline"] and not card["landline"].startswith("0"))):
                found.append(("green_card", f["code"]))
            if by.get("身份证复印件") and by["身份证复印件"]["both_sides"] == "否":
                found.append(("id", f["code"]))
            for doc in ("交车检查表", "新车PDI检查表"):
                if doc in by and not signed(doc, "客户"):
                    found.append(("signature", doc))
            for s in sigs:
                if not (s["doc_type"] in ("交车检查表", "新车PDI检查表") and s["role"] == "客户") and not (s["status"] == "已签" or (s["status"] is None and s["signer"])):
                    found.append(("signature", s["doc_type"]))
            due = add_workdays(delivered.date(), 3) if delivered else None
        else:
            visit = f["visit_type"]
            found += [("missing", d) for d in samples.SKODA_SERVICE_DOCS[visit] if d not in by and d not in SK_ATTACH.get(visit, [])]
            exempt = set(SPLIT.split(f["not_applicable"] or ""))
            found += [("attachment", d) for d in SK_ATTACH.get(visit, []) if d not in by and d not in exempt
                      and not (d in ("试车单", "试车表") and ({"试车单", "试车表"} & (exempt | set(by))))]
            for d in by.values():
                if d["blank_items"] and Decimal(d["blank_items"]) > 0:
                    found.append(("blank", d["doc_type"]))
            for s in sigs:
                if not (s["status"] == "已签" or (s["status"] is None and s["signer"])):
                    found.append(("signature", s["doc_type"]))
            wo = by.get("任务委托书")
            if f["contact_verified"] == "否" or (wo and not (wo["contact_name"] and wo["phone"])):
                found.append(("contact", f["code"]))
            due = add_workdays(delivered.date(), 1) if delivered else None
        if f["handover_signed"] == "否":
            found.append(("register", f["code"]))
        if due and ((submitted and submitted.date() > due) or (not submitted and AS_OF > due)):
            found.append(("late", f["code"]))
    if submitted is None:
        return "not_submitted", found
    if any(c != "late" for c, _ in found):
        return "unqualified", found
    return ("late" if found else "qualified"), found


LOG_COLS = ("run_id", "command", "decided_at", "as_of", "subject_kind", "subject_id", "rule_id", "citation", "outcome", "explanation",
            "plugin", "plugin_version", "parameters", "inputs", "fingerprint", "row_hash")


def run_plain(files: dict[str, tuple[Path, int]], db_path: Path) -> dict:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"CREATE TABLE files (id INTEGER PRIMARY KEY, {', '.join(FILE_COLS)}, UNIQUE(code))")
    conn.execute(f"CREATE TABLE docs (id INTEGER PRIMARY KEY, {', '.join(DOC_COLS)}, UNIQUE(file_code, doc_type))")
    conn.execute(f"CREATE TABLE sigs (id INTEGER PRIMARY KEY, {', '.join(SIG_COLS)}, UNIQUE(file_code, doc_type, role, seq))")
    conn.execute(f"CREATE TABLE meas (id INTEGER PRIMARY KEY, {', '.join(MEAS_COLS)}, UNIQUE(file_code, doc_type, item))")
    conn.execute(f"CREATE TABLE decision_log (id INTEGER PRIMARY KEY, {', '.join(LOG_COLS)})")
    t = time.perf_counter()
    _load(conn, files["vehicle_file"][0], "files", FILE_COLS, VehicleFileSchema)
    _load(conn, files["vehicle_document"][0], "docs", DOC_COLS, VehicleDocumentSchema)
    _load(conn, files["vehicle_signature"][0], "sigs", SIG_COLS, VehicleSignatureSchema)
    _load(conn, files["vehicle_measurement"][0], "meas", MEAS_COLS, VehicleMeasurementSchema)
    conn.commit()
    imported = time.perf_counter()

    def grouped(table: str, cols: tuple[str, ...]) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        for row in conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id"):
            out[row[0]].append(dict(zip(cols, row)))
        return out

    docs, sigs, meas = grouped("docs", DOC_COLS), grouped("sigs", SIG_COLS), grouped("meas", MEAS_COLS)
    insert = f"INSERT INTO decision_log ({', '.join(LOG_COLS)}) VALUES ({', '.join('?' * len(LOG_COLS))})"
    stamp = datetime.now().isoformat(sep=" ")
    previous = "0" * 64
    statuses = {}
    cursor = conn.execute(f"SELECT {', '.join(FILE_COLS)} FROM files ORDER BY id")
    while rows := cursor.fetchmany(5000):
        log_rows = []
        for values in rows:
            f = dict(zip(FILE_COLS, values))
            status, found = plain_audit(f, docs.get(f["code"], []), sigs.get(f["code"], []), meas.get(f["code"], []))
            statuses[f["code"]] = status
            for d in docs.get(f["code"], []):
                for k in ("phone", "printed_phone", "landline", "address"):
                    if d[k]:
                        d[k] = d[k][:3] + "****" + d[k][-4:]
            inputs = json.dumps({**f, "documents": docs.get(f["code"], []), "signatures": sigs.get(f["code"], []),
                                 "measurements": meas.get(f["code"], [])}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            outcome = json.dumps({"status": status, "findings": [{"check": c, "message": m} for c, m in found]}, ensure_ascii=False, sort_keys=True)
            explanation = f"档案{f['code']}(底盘号{f['vin']})审核{status}" + (":" + ";".join(m for _c, m in found) if found else "") + "。"
            fingerprint = hashlib.sha256(inputs.encode()).hexdigest()
            previous = hashlib.sha256((previous + outcome + explanation + fingerprint).encode()).hexdigest()
            log_rows.append(("run", "vehicle-audit", stamp, AS_OF.isoformat(), "vehicle_file", f["code"], "plain", "", outcome, explanation,
                             "plain", "0", "{}", inputs, fingerprint, previous))
        conn.executemany(insert, log_rows)
        conn.commit()
    done = time.perf_counter()
    conn.close()
    return {"import": imported - t, "audit": done - imported, "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="vehicle files (default 100,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        files = generate(folder, args.n)
        rows = sum(c for _p, c in files.values())
        print(f"generated {args.n:,} files in {time.perf_counter() - t:.1f}s: " + ", ".join(f"{k} {c:,}" for k, (_p, c) in files.items()))
        zhidu = run_zhidu(files, folder / "zhidu.db")
        zhidu_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        plain = run_plain(files, folder / "plain.db")
        assert len(zhidu["statuses"]) == len(plain["statuses"]) == args.n
        differ = [c for c in zhidu["statuses"] if zhidu["statuses"][c] != plain["statuses"][c]]
        print(f"statuses: zhidu {dict(Counter(zhidu['statuses'].values()))}; plain {dict(Counter(plain['statuses'].values()))}; "
              f"{len(differ)} file(s) differ{(' e.g. ' + ', '.join(differ[:5])) if differ else ''}")
        print(f"\n{'phase':<36}{'zhidu /s':>12}{'plain /s':>12}{'ratio':>9}")
        for label, key, count in ((f"import ({rows:,} sheet rows)", "import", rows), (f"audit ({args.n:,} files)", "audit", args.n)):
            print(f"{label:<36}{count / zhidu[key]:>12,.0f}{count / plain[key]:>12,.0f}{zhidu[key] / plain[key]:>8.2f}x")
        zt, pt = zhidu["import"] + zhidu["audit"], plain["import"] + plain["audit"]
        print(f"{'end to end (files/s)':<36}{args.n / zt:>12,.0f}{args.n / pt:>12,.0f}{zt / pt:>8.2f}x")
        print(f"\npeak RSS: zhidu {zhidu_rss:.0f} MiB; with the plain baseline {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
