"""Bad and odd input files, generated: every import kind and every decision command's file mode of
the built-in plugins, in every format (CSV, JSON, JSON lines, XLSX).

Each generated file holds the plugins' own sample rows (``sample_data``), many of them mutated: a
cell replaced with an odd value (empty, the wrong type, 1e100000 and 5000-digit numbers, far dates,
NUL, over-long text, full-width digits, invalid choices, broken JSON text, ...). Whether a mutated
row is still valid is decided by an oracle that reads the file as the format defines it and runs
the kind's marshmallow schema (the single source of truth) on the row; the CLI must then agree:

- no Python traceback ever reaches the user;
- a file with a bad row exits non-zero, nothing is written, and every error line names the file, a
  row and a column (``FILE: row N: column 'X': reason``, ``FILE: row N (cell C3): ...``, or
  ``FILE: whole file: column '-': reason``), the rows named being exactly the bad rows;
- a file whose rows are all valid exits 0 (and an import stores exactly its records).

Besides the row mutations there are file-level ones: required columns dropped, JSON of the wrong
shape or depth, truncated or corrupted workbooks, mixed encodings. Every mutated row and every
file-level mutation is one *case*; the last test asserts that at least 10,000 ran.

Each bug this suite found (12 causes, from CSV quoting to NaN tonnages) has its own minimal
reproduction at the end of this module, kept as a regression test now that all are fixed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from marshmallow import ValidationError, fields as mfields

from zhidu.cli import cli
from zhidu.core.demo import write_sample_file
from zhidu.core.plugins import PolicyPlugins
from zhidu.core.workspace import Workspace

PLUGINS = ["petrochem", "realestate"]
FORMATS = ("csv", "json", "jsonl", "xlsx")
AS_OF = "2026-11-20"
POLICY = PolicyPlugins(PLUGINS)
KINDS = POLICY.kinds
COMMANDS = POLICY.commands

#: (mode, name, input kind): every import kind and every decision command (file mode, no database).
TARGETS = [("import", k.name, k.name) for k in KINDS] + [("command", name, plan.input_kind) for name, plan in COMMANDS.items()]
TARGET_IDS = [f"{mode}-{name}" for mode, name, _ in TARGETS]

#: Generated files per (target, format) in the row-mutation test; each file holds 1-12 rows.
EXAMPLES = int(os.environ.get("ZHIDU_BAD_INPUT_EXAMPLES", "24"))
MIN_CASES = 10_000

# commission over a deals FILE without --events warns (the policy's ownership is then unknown): expected here.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

CASES: Counter = Counter()  # mutation family -> cases run
RAN: set[str] = set()       # the generator tests that ran to the end


# --- the odd values ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RawJSON:
    """A JSON literal written verbatim (Python has no value for 1e100000)."""

    text: str


HUGE_CELL = "x" * ((1 << 20) + 16)  # over the CSV reader's 1 MiB cell limit
DEEP_TEXT = "[" * 5000 + "]" * 5000

ODD_STRINGS = [
    # empty, blank, NUL, over-long
    "", " ", "\t", "\u3000", "\x00", "A\x00B", "x" * 65, "x" * 101, "x" * 201, "x" * 4001, "字" * 5000,
    # numbers
    "1e100000", "-1e100000", "1e-100000", "0e-100000", "9" * 5000, "-" + "9" * 5000, "9" * 19, "0." + "1" * 30,
    "NaN", "nan", "-Infinity", "inf", "sNaN", "1_000", "1,000", "１２３", "１２３.５", "٣", "12.5%", "150%", "-5%",
    "nan%", "inf%", "1e100000%", "１２％", "%",
    "0x10", "+5", ".5", "5.", "-0", "1E+5", "0", "-1", "3.14159",
    # dates, times, months
    "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "0001-01-01", "9999-12-31", "2999-12-31",
    "2999-12-31 23:59:59", "1900-01-01", "1899-12-31", "3000-01-01", "2026-02-30", "2026-13-01", "2026-00-10",
    "２０２６-０３-０２", "2026年3月2日", "2026/3/2", "2026.3.2", "2026-03-02T10:15:00Z", "2026-03-02T10:15:00+08:00",
    "2026-03-02 25:00", "2026-03-02T24:00:00", "2026-03-02 10:15:00.123456", "2026-W10-1", "20260302", "2026-03",
    "2026年13月", "9999-12", "0000-01", "2026-3", "2026年3月",
    # choices and flags
    "invalid", "經銷商", "DISTRIBUTOR", "经销商 ", "经 销商", "经销商", "直销客户", "一般", "严重", "计划", "网拍",
    "是的", "yes", "TRUE", "2", "√", "×", "是", "否",
    # odd text
    "\ufeff", "\ufeffHB001", "😀", "\u202eabc", "e\u0301", '"', "'", ",", ";", "=1+1", "=SUM(A1:A2)", "@SUM(1)",
    "²", "①", "90", "１００", "优良", "NULL", "None", "null", "true", "a b", "a\tb", "\\", "<b>x</b>", "'; DROP TABLE records; --",
    # JSON text (the JSON columns of a CSV or a workbook)
    "[]", "{}", "{", "[1,2]", '{"a": 1}', '{"order": 5}', '{"order": ["张三"]}', '{"a": 1e100000}', '[{"资料类型": 5}]',
    '[{"资料类型": "营业执照", "有效期至": "2026-02-30"}]', DEEP_TEXT,
]
# Line and paragraph separators inside a value (a CSV quotes them; JSON escapes some of them).
SEPARATOR_STRINGS = ["\r", "a\nb", "a\r\nb", "经\n销商", "\u2028", "a\u2028b", "\x85", "a\x85b", "\x1c", "a\u2029b", "\x0b", "\x0c"]
ODD_INTS = [0, -1, 7, 2 ** 53 + 1, 10 ** 30, -(10 ** 30)]
ODD_FLOATS = [1.5, 0.1, 1e308, -0.0, 1e-300, 2.5e-5]
JSON_ONLY = [RawJSON("1e100000"), RawJSON("-1e100000"), RawJSON("9" * 5000), RawJSON("1" + "0" * 400),
             float("nan"), float("inf"), [], [1, "a"], {}, {"a": None}, True, False, None,
             json.loads("[" * 50 + "]" * 50), json.loads("[" * 300 + "]" * 300), RawJSON("[" * 3000 + "]" * 3000)]
XLSX_ONLY = [True, False, None, datetime(2026, 3, 2, 10, 15), datetime(9999, 12, 31, 23, 59, 59), datetime(1900, 1, 1),
             date(2026, 3, 2), dtime(10, 15), datetime(2026, 3, 2, 10, 15, 30, 999999)]

_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def odd_values(fmt: str):
    strings = st.sampled_from(ODD_STRINGS + SEPARATOR_STRINGS)
    text = st.text(st.characters(codec="utf-8"), max_size=12)
    parts = [strings, strings, text]
    if fmt == "csv":
        parts.append(st.just(HUGE_CELL))
    if fmt in ("json", "jsonl"):
        parts += [st.sampled_from(ODD_INTS + ODD_FLOATS + JSON_ONLY)]
    if fmt == "xlsx":
        parts += [st.sampled_from(ODD_INTS + ODD_FLOATS + XLSX_ONLY)]
    values = st.one_of(*parts)
    if fmt == "xlsx":  # a workbook cannot hold these characters at all (openpyxl refuses to write them)
        values = values.filter(lambda v: not (isinstance(v, str) and _XLSX_ILLEGAL.search(v)))
    return values


# --- sample rows ----------------------------------------------------------------------------------

def _samples() -> dict[str, list[dict[str, Any]]]:
    samples: dict[str, list[dict[str, Any]]] = {}
    for sample in POLICY.pm.hook.sample_data():
        samples.update(sample or {})
    # Kinds without a sample of their own: staff (core), and the dossier's documents and approvals
    # taken from the archive sample (one flat row per nested item, with the dossier's code).
    samples.setdefault("staff", [
        {"工号": "S001", "姓名": "张三", "岗位": "置业顾问", "部门": "销售一部", "手机号码": "13900000001"},
        {"工号": "S002", "姓名": "李四", "岗位": "销售经理", "部门": "销售一部"},
        {"工号": "S003", "姓名": "王五"},
    ])
    for child, nested in (("archive_document", "资料"), ("archive_approval", "审批")):
        samples.setdefault(child, [{"档案编号": a["档案编号"], **item} for a in samples["archive"] for item in a.get(nested, [])])
    return samples


SAMPLES = _samples()


def header_of(kind, name: str) -> str:
    """The header a kind's sample uses for a field (Chinese when the sample is Chinese)."""
    fld = kind.schema._declared_fields[name]
    label = fld.metadata.get("zh")
    rows = SAMPLES[kind.name]
    if any(name in r for r in rows):
        return name
    return label or name


def field_of(kind, header: str) -> str | None:
    return kind.headers().get(header) or kind.headers().get(header.strip())


def base_rows(kind, n: int, tag: str) -> list[dict[str, Any]]:
    """n sample rows (cycled), each with a natural key of its own (the first key field suffixed)."""
    rows = SAMPLES[kind.name]
    key_header = header_of(kind, kind.natural_key[0])
    out = []
    for i in range(n):
        row = json.loads(json.dumps(rows[i % len(rows)], ensure_ascii=False))
        row[key_header] = f"{row[key_header]}-{tag}{i}"
        out.append(row)
    return out


# --- writing a file in each format ------------------------------------------------------------------

def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, RawJSON):
        return value.text
    if isinstance(value, (dict, list)):
        return _json_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _json_text(value: Any) -> str:
    raws: list[str] = []

    def swap(v):
        if isinstance(v, RawJSON):
            raws.append(v.text)
            return f"\ue000RAW{len(raws) - 1}\ue000"
        if isinstance(v, dict):
            return {k: swap(x) for k, x in v.items()}
        if isinstance(v, list):
            return [swap(x) for x in v]
        return v

    text = json.dumps(swap(value), ensure_ascii=False, default=str)
    for i, raw in enumerate(raws):
        text = text.replace(f'"\ue000RAW{i}\ue000"', raw)
    return text


def headers_of(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(h for row in rows for h in row))


def write_file(path: Path, fmt: str, rows: list[dict[str, Any]], headers: list[str] | None = None) -> Path:
    headers = headers if headers is not None else headers_of(rows)
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            for row in rows:
                writer.writerow([_cell_text(row.get(h)) for h in headers])
    elif fmt == "json":
        path.write_text(_json_text(rows), encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text("".join(_json_text(row) + "\n" for row in rows), encoding="utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        sheet = wb.create_sheet()
        sheet.append(headers)
        for row in rows:
            sheet.append([_xlsx_cell(row.get(h)) for h in headers])
        wb.save(path)
    else:  # pragma: no cover
        raise ValueError(fmt)
    return path


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, (dict, list, RawJSON)):
        return _cell_text(value)
    return value


# --- the oracle: what the file holds, and what the kind's schema says of each row -------------------

@dataclass
class Expect:
    """What a file must do: ``bad_rows`` is the exact set of rows the errors must name (None: any
    rows, e.g. a file-level problem); ``ok`` means exit 0; ``records``: key -> record stored."""

    ok: bool
    bad_rows: set[int] | None = None
    records: dict[Any, Any] = field(default_factory=dict)
    note: str = ""
    # An append-only key given twice with different content: the row of its first occurrence
    # (where the importer reports it, once every row passed the schema).
    conflict_row: int | None = None


class Unreadable(Exception):
    """The file as a whole cannot be read (the expectation is one file-level error)."""


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def load_row(kind, raw: dict[str, Any]) -> tuple[bool, Any]:
    """(valid, record): the README's reading of a row (headers English or Chinese, blank cells
    missing, text stripped, JSON text in JSON columns, spreadsheet cells as text), then the schema."""
    if _has_nul(raw):
        return False, None  # PostgreSQL cannot store NUL: refused on both backends
    declared = kind.schema._declared_fields
    data: dict[str, Any] = {}
    for header, value in raw.items():
        name = field_of(kind, header)
        if name is None:
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        fld = declared[name]
        if isinstance(fld, (mfields.Dict, mfields.List)) and isinstance(value, str):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                return False, None
        elif isinstance(value, str):
            value = value.strip()
        inner = getattr(fld, "inner", None)
        if isinstance(inner, mfields.Nested) and isinstance(value, list):
            aliases = {a: n for n, f in inner.schema.fields.items() for a in (n, f.metadata.get("zh")) if a}
            value = [{aliases.get(k, k): v for k, v in item.items()} if isinstance(item, dict) else item for item in value]
        elif isinstance(value, bool):
            pass
        elif isinstance(value, float):
            value = str(Decimal(repr(value)))  # a JSON or Excel number is the decimal it shows
        elif isinstance(value, (datetime, date, dtime)):
            value = value.isoformat()
        data[name] = value
    try:
        return True, kind.schema().load(data)
    except ValidationError:
        return False, None
    except Exception:  # noqa: BLE001 - the schema itself crashed: the row must still be refused by row
        return False, None


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def table_rows(path: Path, fmt: str) -> tuple[list[str], list[tuple[int, list[Any], bool]]]:
    """Header and (row number, values, fatal) as the format defines them; fatal: the row stops the
    file (a CSV cell over the reader's limit, a workbook formula without a saved value)."""
    if fmt == "csv":
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                text = fh.read()
        except UnicodeDecodeError as exc:
            raise Unreadable(f"not UTF-8: {exc}") from None
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = [h.strip() for h in next(reader, [])]
        out = []
        for values in _csv_records(reader):
            number, cells = values
            fatal = any(len(c) > (1 << 20) for c in cells)
            if fatal or (any(cells) and "".join(cells).strip()):
                out.append((number, cells, fatal))
        return header, out
    from openpyxl import load_workbook

    try:
        values_wb = load_workbook(path, read_only=True, data_only=True)
        formula_wb = load_workbook(path, read_only=True, data_only=False)
        rows = list(values_wb.active.iter_rows(values_only=True))
        formulas = list(formula_wb.active.iter_rows(values_only=True))
        values_wb.close()
        formula_wb.close()
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(f"{type(exc).__name__}: {exc}") from None
    header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else ())]
    out = []
    for number, (values, raw) in enumerate(zip(rows[1:], formulas[1:]), start=2):
        fatal = any(v is None and isinstance(f, str) and f.startswith("=") for v, f in zip(values, raw))
        if fatal or not _blank(list(values)):
            out.append((number, list(values), fatal))
    return header, out


def _csv_records(reader):
    saved = csv.field_size_limit()
    csv.field_size_limit(1 << 30)
    try:
        for values in reader:
            yield reader.line_num, values
    except csv.Error as exc:  # strict CSV: an unclosed quote is not a cell running to the end of the file
        raise Unreadable(f"not CSV: {exc}") from None
    finally:
        csv.field_size_limit(saved)


def json_rows(path: Path, fmt: str) -> list[tuple[int, Any]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8: {exc}") from None
    if fmt == "jsonl":
        out = []
        # JSON lines are separated by "\n" (RFC 7464 / jsonlines.org); U+2028 and friends are text.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                out.append((number, json.loads(line)))
            except (ValueError, RecursionError):
                out.append((number, None))
        return out
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise Unreadable(str(exc)) from None
    if isinstance(data, dict):
        data = data["records"] if "records" in data else data.get("rows", [data])
    if not isinstance(data, list):
        raise Unreadable("not a list of records")
    return list(enumerate(data, start=1))


def expect_for(path: Path, fmt: str, kind) -> Expect:
    """Read the file as its format defines it and validate every row with the schema."""
    try:
        if fmt in ("csv", "xlsx"):
            header, rows = table_rows(path, fmt)
            present = {field_of(kind, h) for h in header if h}
            missing = [n for n, f in kind.schema._declared_fields.items() if f.required and n not in present]
            if missing:
                return Expect(False, {1}, note=f"required column(s) missing: {missing}")
            items = []
            for number, values, fatal in rows:
                if fatal:
                    items.append((number, None, True))
                    break
                if len(values) > len(header) and any(v not in (None, "") for v in values[len(header):]):
                    items.append((number, None, False))
                    continue
                items.append((number, {h: v for h, v in zip(header, values) if h}, False))
        else:
            items = [(n, obj if isinstance(obj, dict) else None, False) for n, obj in json_rows(path, fmt)]
    except Unreadable as exc:
        return Expect(False, None, note=f"unreadable: {exc}")
    bad: set[int] = set()
    records: dict[Any, Any] = {}
    first_seen: dict[Any, tuple[int, Any]] = {}
    conflict = None
    for number, raw, fatal in items:
        ok, record = (False, None) if raw is None else load_row(kind, raw)
        if not ok:
            bad.add(number)
            continue
        key = kind.key_of(record)
        if kind.append_only and key in first_seen and first_seen[key][1] != record:
            conflict = conflict or first_seen[key][0]
            continue
        first_seen.setdefault(key, (number, record))
        records[key] = record
    return Expect(not bad and conflict is None, bad if bad or conflict is None else {conflict}, records, conflict_row=conflict)


# --- running the CLI and checking what it said --------------------------------------------------------

ERROR_LINE = re.compile(r"^(?P<file>.+?): (?:row (?P<row>\d+)(?: \(cell (?P<cell>[A-Z]+\d+)\))?|(?P<whole>whole file)): column '(?P<column>[^']*)': (?P<reason>.+)$")
ERROR_HEAD = re.compile(r"^Error: \d+ error\(s\); nothing was written$")


@dataclass
class Env:
    ws: Workspace
    runner: CliRunner
    root: Path
    template: Path
    counter: int = 0

    def fresh(self, suffix: str) -> Path:
        self.counter += 1
        return self.root / f"f{self.counter}{suffix}"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from zhidu.core.storage.db import open_database

    root = tmp_path_factory.mktemp("bad_input")
    template = root / "template.db"
    db = open_database(str(template), upgrade=True)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    for extra in ("-wal", "-shm"):
        Path(str(template) + extra).unlink(missing_ok=True)
    ws = Workspace(plugin_names=list(PLUGINS), db_url=str(root / "no-database-here.db"))
    ws.commands, ws.resolved  # load once: every case reuses this workspace
    return Env(ws, CliRunner(), root, template)


def invoke(env: Env, mode: str, name: str, path: Path):
    """Run one case in-process; imports into a fresh copy of an empty database, commands in file
    mode without any database. Returns (result, database path or None)."""
    if mode == "import":
        db_path = env.root / "case.db"
        for extra in ("", "-wal", "-shm"):
            Path(str(db_path) + extra).unlink(missing_ok=True)
        shutil.copyfile(env.template, db_path)
        env.ws.db_url = str(db_path)
        args = ["import", name, str(path)]
    else:
        db_path = None
        env.ws.db_url = str(env.root / "no-database-here.db")
        args = [name, str(path), "--as-of", AS_OF, "-f", "jsonl"]
        args += [f"--{k.replace('_', '-')}={v}" for k, v in COMMANDS[name].example_options.items()]
    result = env.runner.invoke(cli, args, obj={"workspace": env.ws}, catch_exceptions=True)
    return result, db_path


def describe_case(result, path: Path, expect: Expect, extra: str = "") -> str:
    try:
        size = path.stat().st_size
        head = path.read_bytes()[:1500].decode("utf-8", "replace") if path.suffix != ".xlsx" else f"<xlsx, {size} bytes>"
    except OSError:
        head = "<gone>"
    return (f"\nfile {path}:\n{head}\nexpected ok={expect.ok} bad_rows={expect.bad_rows} {expect.note} {extra}\n"
            f"exit={result.exit_code} exception={result.exception!r}\n--- stderr ---\n{result.stderr[:3000]}"
            f"\n--- stdout ---\n{result.stdout[:1500]}")


def check(env: Env, mode: str, name: str, kind, path: Path, expect: Expect, extra: str = "") -> bool:
    """Run one case and check it (True: it reached the assertions)."""
    result, db_path = invoke(env, mode, name, path)
    info = lambda: describe_case(result, path, expect, extra)  # noqa: E731
    assert result.exception is None or isinstance(result.exception, SystemExit), info()
    assert "Traceback" not in result.output, info()
    if expect.ok:
        assert result.exit_code == 0, info()
        if mode == "import":
            summary = result.stdout.splitlines()[0]
            n = len(expect.records)
            assert summary == f"{path}: {n} {name} record(s): {n} new, 0 changed, 0 unchanged", info()
            if not kind.children:
                assert stored(env, db_path, kind) == expect.records, info()
        else:
            for line in result.stdout.split("\n"):  # JSON lines: U+2028 inside a string is not a break
                if line:
                    json.loads(line)
        return True
    assert result.exit_code != 0, info()
    # Lines as a terminal shows them: U+2028 or U+0085 inside a message do not break it.
    lines = [line for line in re.split(r"\r\n|\r|\n", result.stderr) if line and not line.startswith("Warning: ")]
    assert lines, info()
    rows = set()
    for i, line in enumerate(lines):
        if i == 0 and ERROR_HEAD.match(line):
            continue
        if re.fullmatch(r"\.\.\. and \d+ more", line):
            continue
        text = line[len("Error: "):] if i == 0 and line.startswith("Error: ") else line
        m = ERROR_LINE.match(text)
        assert m is not None and m.group("file") == str(path), f"error line without file, row and column: {line!r}" + info()
        rows.add(0 if m.group("whole") else int(m.group("row")))
    if expect.bad_rows is not None:
        assert rows == expect.bad_rows, info()
    if mode == "import":
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 0, "a refused import wrote records" + info()
    return True


def stored(env: Env, db_path: Path, kind) -> dict[Any, Any]:
    from zhidu.core.storage.db import open_database
    from zhidu.core.store import iter_records

    db = open_database(str(db_path))
    try:
        return {kind.key_of(r): r for r in iter_records(db, KINDS, kind.name)}
    finally:
        db.dispose()


# --- the generated cases ------------------------------------------------------------------------------

def _fields_for_mutation(kind) -> list[str]:
    return list(kind.schema._declared_fields)


@st.composite
def mutated_file(draw, kind, fmt: str, mode: str):
    """(rows, mutations): 1-12 sample rows, most with one cell replaced by an odd value."""
    n = draw(st.integers(1, 12))
    rows = base_rows(kind, n, "m")
    names = _fields_for_mutation(kind)
    values = odd_values(fmt)
    mutations = []
    for i, row in enumerate(rows):
        if not draw(st.booleans()) and draw(st.booleans()):
            continue  # a quarter of the rows stay as the sample wrote them
        name = draw(st.sampled_from(names))
        header = header_of(kind, name)
        fld = kind.schema._declared_fields[name]
        inner = getattr(fld, "inner", None)
        nested = isinstance(inner, mfields.Nested) and isinstance(row.get(header), list) and row[header] and draw(st.booleans())
        value = draw(values)
        if nested:
            sub = draw(st.sampled_from(sorted({f.metadata.get("zh") or n for n, f in inner.schema.fields.items()})))
            item = draw(st.integers(0, len(row[header]) - 1))
            row[header][item][sub] = value
            mutations.append((i, f"{header}.{item}.{sub}", value))
        elif isinstance(fld, mfields.Dict) and isinstance(row.get(header), dict) and draw(st.booleans()):
            row[header]["k"] = value
            mutations.append((i, f"{header}.k", value))
        else:
            row[header] = value
            mutations.append((i, header, value))
    return rows, mutations


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else f"{text[:40]}...({len(text)} chars)"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_mutated_rows_are_refused_by_row_and_column_or_accepted(env, target, fmt):
    mode, name, kind_name = target
    kind = KINDS.get(kind_name)
    ext = {"csv": ".csv", "json": ".json", "jsonl": ".jsonl", "xlsx": ".xlsx"}[fmt]

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(case=mutated_file(kind, fmt, mode))
    def run(case):
        rows, mutations = case
        path = write_file(env.fresh(ext), fmt, rows)
        expect = expect_for(path, fmt, kind)
        if check(env, mode, name, kind, path, expect, extra="mutations: " + "; ".join(f"row#{i} {h}={_short(v)}" for i, h, v in mutations)):
            CASES["row mutation"] += len(mutations)
        path.unlink()

    run()
    RAN.add(f"rows-{mode}-{name}-{fmt}")


def test_the_unmutated_samples_are_valid_in_every_format(env):
    """The baseline: each kind's sample as write_sample_file writes it, and in every format."""
    for mode, name, kind_name in TARGETS:
        kind = KINDS.get(kind_name)
        path = write_sample_file(env.root, f"sample-{mode}-{name}", SAMPLES[kind_name])
        fmt = path.suffix.lstrip(".")
        expect = expect_for(path, fmt, kind)
        assert expect.ok, (name, expect)
        check(env, mode, name, kind, path, expect)
        for fmt in FORMATS:
            path = write_file(env.fresh("." + fmt), fmt, SAMPLES[kind_name])
            expect = expect_for(path, fmt, kind)
            assert expect.ok, (name, fmt, expect)
            check(env, mode, name, kind, path, expect)


# --- file-level mutations ----------------------------------------------------------------------------

FILE_EXAMPLES = int(os.environ.get("ZHIDU_BAD_INPUT_FILE_EXAMPLES", "14"))

BROKEN_JSON = [
    "5", "null", '"records"', "true", "1e100000", '{"records": 5}', '{"records": null}', '{"records": "x"}',
    '{"records": [5]}', '{"records": [null, 1, "x", []]}', '{"rows": 7}', "[5]", "[[]]", "[null]", "[]", "{}", '{"records": []}',
    "", "   ", "[", "[{}", "[{},]", "{", '{"records": [', "[" * 3000 + "]" * 3000, '{"records": ' + "[" * 3000 + "]" * 3000 + "}",
    "[" + "{}," * 3 + "{}]", '{"a": 1}{"b": 2}', "\ufeff[]", "NaN", "[1e100000]", "[" + "9" * 5000 + "]",
]
BROKEN_JSONL = [
    "5\n", "null\n", "[]\n", '"x"\n', '{"a": 1}{"b": 2}\n', "{\n", "[" * 3000 + "]" * 3000 + "\n", "9" * 5000 + "\n", "NaN\n",
    "\n\n\n", "  \n", "{}\n", '{"records": []}\n',
]


def _rows_for(kind, n: int, tag: str) -> list[dict[str, Any]]:
    return base_rows(kind, n, tag)


def _dropped(kind, rows, names) -> list[dict[str, Any]]:
    drop = set()
    for name in names:
        fld = kind.schema._declared_fields[name]
        drop |= {name, fld.metadata.get("zh")}
    return [{h: v for h, v in row.items() if h not in drop} for row in rows]


def _line_spans(data: bytes) -> list[tuple[int, int]]:
    """(start, end) byte offsets of each physical line (the end excludes the line break)."""
    spans, start = [], 0
    for m in re.finditer(rb"\r\n|\n", data):
        spans.append((start, m.start()))
        start = m.end()
    if start < len(data):
        spans.append((start, len(data)))
    return spans


FAMILIES = {"csv": ["drop_required", "truncate", "encoding", "csv_structure"], "json": ["drop_required", "truncate", "json_structure"],
            "jsonl": ["drop_required", "truncate", "json_structure"], "xlsx": ["drop_required", "truncate", "xlsx_bytes"]}
ENCODINGS = ["gb18030", "bom", "one_line_gb18030", "one_line_utf8_in_gb18030", "stray_latin1", "utf16", "cut_mid_character"]
CSV_STRUCTURES = ["extra_cell", "missing_cells", "blank_lines", "lf_endings", "header_spaces"]
XLSX_DAMAGE = ["truncate", "flip", "garbage", "empty", "csv_bytes", "zip_without_workbook", "data_on_second_sheet", "header_only"]


def file_plans(fmt: str):
    """A file-level mutation as abstract choices (positions are drawn as numbers taken modulo the
    file's size), so that the drawing never depends on the bytes of a file."""
    pick = st.integers(0, 1 << 30)
    return st.fixed_dictionaries({
        "rows": st.integers(1, 8), "family": st.sampled_from(FAMILIES[fmt]), "drop": st.lists(pick, min_size=1, max_size=3),
        "at": pick, "at2": pick, "byte": st.integers(1, 255), "doc": pick, "alone": st.booleans(),
        "encoding": st.sampled_from(ENCODINGS), "structure": st.sampled_from(CSV_STRUCTURES),
        "damage": st.sampled_from(XLSX_DAMAGE), "garbage": st.binary(min_size=1, max_size=2000),
    })


def build_file_mutation(plan, kind, fmt: str, mode: str, env: "Env"):
    """(description, path, Expect) for one plan, or None when the plan does not apply here."""
    path = env.fresh("." + fmt)
    rows = _rows_for(kind, plan["rows"], "f")
    family = plan["family"]
    required = [n for n, f in kind.schema._declared_fields.items() if f.required]
    if family == "drop_required":
        names = sorted({required[i % len(required)] for i in plan["drop"]})
        write_file(path, fmt, _dropped(kind, rows, names))
        return f"drop {names}", path, expect_for(path, fmt, kind)
    if family == "truncate":
        write_file(path, fmt, rows)
        data = path.read_bytes()
        cut = plan["at"] % len(data)
        path.write_bytes(data[:cut])
        return f"truncated at byte {cut} of {len(data)}", path, expect_for(path, fmt, kind)
    if family == "json_structure":
        docs = BROKEN_JSON if fmt == "json" else BROKEN_JSONL
        doc = docs[plan["doc"] % len(docs)]
        alone = plan["alone"] or fmt == "json"
        if alone:
            path.write_text(doc, encoding="utf-8")
        else:
            write_file(path, fmt, rows)
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(doc)
        return f"json structure {_short(doc)} ({'alone' if alone else 'after rows'})", path, expect_for(path, fmt, kind)
    if family == "encoding":
        write_file(path, fmt, rows)
        valid = expect_for(path, fmt, kind)
        data = path.read_bytes()
        text = data.decode("utf-8")
        spans = _line_spans(data)
        how = plan["encoding"]
        if how == "gb18030":
            path.write_bytes(text.encode("gb18030"))
            return "whole file GB18030", path, valid
        if how == "bom":
            path.write_bytes(b"\xef\xbb\xbf" + data)
            return "UTF-8 with BOM", path, valid
        if how == "utf16":
            path.write_bytes(text.encode("utf-16"))
            return "UTF-16", path, Expect(False, None, note="UTF-16 is not a CSV encoding zhidu reads")
        if how == "cut_mid_character":
            multi = [i for i, b in enumerate(data) if b >= 0xC0]
            if not multi:
                return None
            at = multi[plan["at"] % len(multi)] + 1
            path.write_bytes(data[:at])
            return f"cut inside the character at byte {at - 1}", path, Expect(False, None)
        non_ascii = [i for i, (a, b) in enumerate(spans) if i > 0 and not data[a:b].isascii()]
        if not non_ascii:
            return None
        line = non_ascii[plan["at"] % len(non_ascii)]
        a, b = spans[line]
        if how == "one_line_gb18030":
            path.write_bytes(data[:a] + data[a:b].decode("utf-8").encode("gb18030") + data[b:])
            return f"line {line + 1} in GB18030", path, Expect(False, {line + 1})
        if how == "one_line_utf8_in_gb18030":
            gb = text.encode("gb18030")
            x, y = _line_spans(gb)[line]
            path.write_bytes(gb[:x] + data[a:b] + gb[y:])
            return f"line {line + 1} in UTF-8, the rest GB18030", path, Expect(False, {line + 1})
        # stray_latin1: one ASCII character of the line replaced by a lone Latin-1 byte (é = 0xE9)
        ascii_at = [i for i in range(a, b) if data[i] < 0x80] or [a]
        at = ascii_at[plan["at2"] % len(ascii_at)]
        path.write_bytes(data[:at] + b"\xe9" + data[at + 1:])
        return f"a Latin-1 byte at {at} (line {line + 1})", path, Expect(False, {line + 1})
    if family == "csv_structure":
        write_file(path, fmt, rows)
        data = path.read_bytes()
        spans = _line_spans(data)
        how = plan["structure"]
        line = 1 + plan["at"] % (len(spans) - 1)
        a, b = spans[line]
        if how == "extra_cell":
            path.write_bytes(data[:b] + b",surplus" + data[b:])
        elif how == "missing_cells":
            cells = next(csv.reader([data[a:b].decode("utf-8")]))
            buf = io.StringIO()
            csv.writer(buf, lineterminator="").writerow(cells[:plan["at2"] % len(cells)])
            path.write_bytes(data[:a] + buf.getvalue().encode("utf-8") + data[b:])
        elif how == "blank_lines":
            path.write_bytes(data[:a] + b",,\r\n\r\n" + data[a:])
        elif how == "lf_endings":
            path.write_bytes(data.replace(b"\r\n", b"\n"))
        else:
            x, y = spans[0]
            header = next(csv.reader([data[x:y].decode("utf-8")]))
            buf = io.StringIO()
            csv.writer(buf, lineterminator="").writerow([f" {h}\u3000" for h in header])
            path.write_bytes(buf.getvalue().encode("utf-8") + data[y:])
        return f"csv {how} at line {line + 1}", path, expect_for(path, fmt, kind)
    # xlsx_bytes
    write_file(path, fmt, rows)
    data = path.read_bytes()
    how = plan["damage"]
    if how == "truncate":
        path.write_bytes(data[:plan["at"] % len(data)])
    elif how == "flip":
        at = plan["at"] % len(data)
        path.write_bytes(data[:at] + bytes([data[at] ^ plan["byte"]]) + data[at + 1:])
    elif how == "garbage":
        path.write_bytes(plan["garbage"])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "csv_bytes":
        write_file(path.with_suffix(".csv"), "csv", rows)
        path.write_bytes(path.with_suffix(".csv").read_bytes())
    elif how == "zip_without_workbook":
        import zipfile

        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("hello.txt", "not a workbook")
    elif how == "data_on_second_sheet":
        from openpyxl import Workbook

        wb = Workbook()
        sheet = wb.create_sheet("数据")
        headers = headers_of(rows)
        sheet.append(headers)
        for row in rows:
            sheet.append([_xlsx_cell(row.get(h)) for h in headers])
        wb.save(path)  # the active sheet is the first, empty one
    else:
        write_file(path, fmt, [], headers_of(rows))
    return f"xlsx {how}", path, expect_for(path, fmt, kind)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_file_level_mutations_are_refused_with_their_place_or_accepted(env, target, fmt):
    mode, name, kind_name = target
    kind = KINDS.get(kind_name)

    @settings(max_examples=FILE_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(plan=file_plans(fmt))
    def run(plan):
        case = build_file_mutation(plan, kind, fmt, mode, env)
        if case is None:
            return
        family, path, expect = case
        if check(env, mode, name, kind, path, expect, extra=family):
            CASES[f"file {plan['family']}"] += 1
        path.unlink(missing_ok=True)

    run()
    RAN.add(f"file-{mode}-{name}-{fmt}")


# --- the count -------------------------------------------------------------------------------------

def test_zz_at_least_ten_thousand_cases_ran(capsys):
    total = sum(CASES.values())
    with capsys.disabled():
        print(f"\n[bad input] {total} generated cases: " + ", ".join(f"{k} {v}" for k, v in sorted(CASES.items())))
    expected_tests = 2 * len(TARGETS) * len(FORMATS)
    if len(RAN) < expected_tests:
        pytest.skip(f"only part of the generated suite ran ({total} cases)")
    assert total >= MIN_CASES


# --- bugs this suite found, one minimal reproduction each (all fixed; kept as regression tests) ------

def _run(env: Env, args: list[str], db: bool):
    if db:
        db_path = env.fresh(".db")
        shutil.copyfile(env.template, db_path)
        env.ws.db_url = str(db_path)
    else:
        env.ws.db_url = str(env.root / "no-database-here.db")
    return env.runner.invoke(cli, args, obj={"workspace": env.ws})


def _assert_refused_by_row_and_column(result, path: Path) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    lines = [line for line in re.split(r"\r\n|\r|\n", result.stderr) if line]
    assert ERROR_HEAD.match(lines[0]), lines
    for line in lines[1:]:
        m = ERROR_LINE.match(line)
        assert m and m.group("file") == str(path) and (m.group("row") or m.group("whole")), f"not FILE: row N: column 'X': {line!r}"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"], ids=["U+2028", "U+2029", "U+0085"])
def test_bug_a_json_lines_value_holding_a_unicode_line_separator_is_read_as_two_lines(env, separator):
    path = env.root / f"sep-{ord(separator)}.jsonl"
    path.write_text(json.dumps({"code": "C1", "name": f"甲{separator}乙"}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = _run(env, ["import", "customer", str(path)], db=True)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_bug_an_error_quoting_a_value_with_a_line_break_spills_onto_a_line_without_file_row_column(env, fmt):
    path = write_file(env.root / f"newline.{fmt}", fmt, [{"客户编码": "C1", "客户名称": "甲", "客户类别": "经销\n商"}])
    result = _run(env, ["import", "customer", str(path)], db=True)
    _assert_refused_by_row_and_column(result, path)


@pytest.mark.parametrize("text", ["9" * 5000, "[" * 5000 + "]" * 5000], ids=["5000-digit integer", "nested 5000 deep"])
@pytest.mark.parametrize("mode", ["import", "command"])
def test_bug_json_text_in_a_json_column_that_json_loads_cannot_take_is_not_refused_by_row(env, text, mode):
    path = write_file(env.fresh(".csv"), "csv", [{"事件编号": "E1", "发生时间": "2026-03-02 10:00", "事件类型": "来访登记", "详情": text}])
    args = ["import", "floor_event", str(path)] if mode == "import" else ["attribute", str(path), "--as-of", AS_OF]
    _assert_refused_by_row_and_column(_run(env, args, db=mode == "import"), path)


@pytest.mark.parametrize("value", ["nan", "1;NaN;3", "sNaN"])
@pytest.mark.parametrize("mode", ["import", "command"])
def test_bug_weekly_pickups_of_nan_crash_instead_of_being_refused(env, value, mode):
    path = write_file(env.fresh(".csv"), "csv", [{"客户编码": "A1", "客户名称": "甲", "客户类别": "经销商", "申请量": "10", "周提货量": value}])
    args = (["import", "allocation_request", str(path)] if mode == "import"
            else ["allocate", str(path), "--available", "5000", "--month", "2026-08", "--as-of", AS_OF])
    _assert_refused_by_row_and_column(_run(env, args, db=mode == "import"), path)


@pytest.mark.parametrize("mode", ["import", "command"])
def test_bug_a_completion_rate_of_nan_percent_crashes_instead_of_being_refused(env, mode):
    path = write_file(env.fresh(".csv"), "csv", [{"客户编码": "A1", "客户名称": "甲", "客户类别": "经销商", "申请量": "10", "提货完成率": "nan%"}])
    args = (["import", "allocation_request", str(path)] if mode == "import"
            else ["allocate", str(path), "--available", "5000", "--month", "2026-08", "--as-of", AS_OF])
    _assert_refused_by_row_and_column(_run(env, args, db=mode == "import"), path)


def test_bug_a_decision_command_given_a_json_file_nested_too_deeply_crashes(env):
    path = env.root / "deep.json"
    path.write_text("[" * 3000 + "]" * 3000, encoding="utf-8")
    _assert_refused_by_row_and_column(_run(env, ["classify", str(path), "--as-of", AS_OF], db=False), path)


def test_bug_an_unclosed_quote_in_a_csv_silently_swallows_the_rows_after_it(env):
    path = env.root / "unclosed.csv"
    path.write_text('客户编码,客户名称,当前级别\nC1,甲,"普通\nC2,乙,x\nC3,丙,y\n', encoding="utf-8")
    result = _run(env, ["import", "customer", str(path)], db=True)
    _assert_refused_by_row_and_column(result, path)


def test_bug_a_valid_csv_with_a_tab_heavy_cell_is_read_as_tab_separated(env):
    path = write_file(env.root / "tabs.csv", "csv", [{"客户编码": "C1", "客户名称": "甲", "当前级别": "\t" * 3000}, {"客户编码": "C2", "客户名称": "乙"}])
    assert expect_for(path, "csv", KINDS.get("customer")).ok
    result = _run(env, ["import", "customer", str(path)], db=True)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("settings_", [{"available": "abc"}, {"available": 1e300}, {"month": "2026-13"}, {"mode": "lottery"}])
def test_bug_a_bad_option_value_in_a_json_input_file_is_not_reported_in_the_file_error_form(env, settings_):
    path = env.fresh(".json")
    path.write_text(json.dumps({"available": "5000", "month": "2026-08", **settings_,
                                "records": [{"客户编码": "A1", "客户名称": "甲", "客户类别": "经销商", "申请量": "10"}]}), encoding="utf-8")
    result = _run(env, ["allocate", str(path), "--as-of", AS_OF], db=False)
    assert result.exit_code != 0 and "Traceback" not in result.output
    (line,) = [x for x in result.stderr.splitlines() if x]
    m = ERROR_LINE.match(line.removeprefix("Error: "))
    assert m and m.group("file") == str(path), line


@pytest.mark.parametrize("mode", ["file", "database"])
def test_bug_a_visit_rating_off_the_scale_passes_the_schema_and_stops_every_visits_run(env, mode):
    path = write_file(env.fresh(".csv"), "csv", [{"客户编码": "HB001", "走访日期": "2026-03-18", "报告单编号": "R1", "质量": "差"}])
    if mode == "file":
        _assert_refused_by_row_and_column(_run(env, ["visits", str(path), "--as-of", AS_OF], db=False), path)
    else:
        _assert_refused_by_row_and_column(_run(env, ["import", "visit_report", str(path)], db=True), path)


@pytest.mark.parametrize("rating", ["²", "①"])
def test_bug_a_superscript_digit_rating_crashes_the_visits_command(env, rating):
    path = write_file(env.fresh(".csv"), "csv", [{"客户编码": "HB001", "走访日期": "2026-03-18", "报告单编号": "R1", "质量": rating}])
    result = _run(env, ["visits", str(path), "--as-of", AS_OF], db=False)
    assert "invalid literal for int()" not in result.output, result.output


def test_bug_file_mode_accepts_an_append_only_key_twice_with_different_content(env):
    rows = [{"事件编号": "E1", "发生时间": "2026-03-02 10:00", "事件类型": "来访登记", "置业顾问": "张三", "客户编码": "C1"},
            {"事件编号": "E1", "发生时间": "2026-03-02 10:05", "事件类型": "来访登记", "置业顾问": "李四", "客户编码": "C1"}]
    path = write_file(env.fresh(".csv"), "csv", rows)
    imported = _run(env, ["import", "floor_event", str(path)], db=True)
    _assert_refused_by_row_and_column(imported, path)  # the import refuses it, by row
    _assert_refused_by_row_and_column(_run(env, ["attribute", str(path), "--as-of", AS_OF], db=False), path)
