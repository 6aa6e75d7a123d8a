"""Decision and listing output: an aligned table (CJK-aware widths), cards, JSON, JSON lines, CSV,
and XLSX for a manager to forward. Spreadsheet cells are escaped against formula injection."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import datetime
from decimal import Decimal
from typing import IO, Any, Iterable, Iterator

from wcwidth import wcswidth

from .decisions import Decision, json_piece, to_jsonable

FORMATS = ("table", "cards", "json", "jsonl", "csv", "xlsx")
CSV_COLUMNS = ("decision_id", "subject_kind", "subject_id", "outcome", "rule_id", "citation", "explanation", "plugin", "plugin_version", "parameters", "fingerprint", "decided_at")
# The table and the workbook: what a manager reads, with Chinese headers.
TABLE_COLUMNS = (("decision_id", "编号"), ("subject", "对象"), ("outcome", "结论"), ("rule_id", "规则"),
                 ("citation_clause", "条款"), ("explanation", "说明"))
XLSX_COLUMNS = (("decision_id", "决策编号"), ("subject_kind", "对象类型"), ("subject_id", "对象"), ("outcome", "结论"),
                ("rule_id", "规则"), ("citation_document", "依据文件"), ("citation_clause", "条款"), ("explanation", "说明"),
                ("plugin", "插件"), ("decided_at", "决策时间"))


def display_width(text: str) -> int:
    width = wcswidth(text)
    return width if width >= 0 else len(text)  # control characters: count them as one column each


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def clip(text: str, limit: int) -> str:
    if display_width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = max(display_width(ch), 0)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def wrap(text: str, width: int) -> list[str]:
    """Split text into lines of at most ``width`` display columns (Chinese has no spaces to break at)."""
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for ch in text:
        w = max(display_width(ch), 0)
        if used + w > width and line:
            lines.append("".join(line))
            line, used = [], 0
        line.append(ch)
        used += w
    if line or not lines:
        lines.append("".join(line))
    return lines


def summarise_outcome(outcome: dict[str, Any]) -> str:
    parts = []
    for key, value in outcome.items():
        if isinstance(value, (dict, list)):
            value = json.dumps(to_jsonable(value), ensure_ascii=False)
            if len(value) > 60:
                value = value[:57] + "..."
        parts.append(f"{key}={to_jsonable(value)}")
    return " ".join(parts)


def local_time(value: datetime | None, zone: str | None) -> str | None:
    """An aware instant as ISO text in the company's zone (``2026-11-20T09:30:00.123456+08:00``)."""
    if value is None:
        return None
    if zone:
        from zoneinfo import ZoneInfo

        value = value.astimezone(ZoneInfo(zone))
    return value.isoformat()


def decision_json(d: Decision, decided_at: str | None, rules: dict[tuple, tuple[str, str]] | None = None) -> str:
    """``json.dumps(decision_dict(d, zone))``, compact, from the texts the core serialised when it
    stamped and logged the decision (nested objects in canonical form: sorted keys). ``rules``
    keeps each rule's and plugin's fields serialised once across a run's decisions."""
    key = (d.rule_id, d.citation, d.plugin, d.plugin_version)
    rule = rules.get(key) if rules is not None else None
    if rule is None:
        rule = (f'"rule_id":{json_piece(d.rule_id)},"citation":{json_piece(str(d.citation))},'
                f'"citation_document":{json_piece(d.citation.document)},"citation_clause":{json_piece(d.citation.clause)}',
                f'"plugin":{json_piece(d.plugin)},"plugin_version":{json_piece(d.plugin_version)}')
        if rules is not None:
            rules[key] = rule
    inputs = "null" if d.inputs is None else d.canonical_text("inputs")
    return (f'{{"decision_id":{"null" if d.decision_id is None else int(d.decision_id)},"subject_kind":{json_piece(d.subject_kind)},'
            f'"subject_id":{json_piece(d.subject_id)},"outcome":{d.canonical_text("outcome")},{rule[0]},'
            f'"explanation":{json_piece(d.explanation)},{rule[1]},"parameters":{d.canonical_text("parameters")},"inputs":{inputs},'
            f'"fingerprint":{json_piece(d.fingerprint)},"decided_at":{"null" if decided_at is None else json_piece(decided_at)}}}')


def _json_lines(decisions: Iterable[Decision], zone: str | None) -> Iterator[str]:
    """Each decision's JSON text; a chunk's decisions share their decided_at, formatted once."""
    last: tuple[datetime | None, str | None] = (None, None)
    rules: dict[tuple, tuple[str, str]] = {}
    for d in decisions:
        if d.decided_at is not last[0]:
            last = (d.decided_at, local_time(d.decided_at, zone))
        yield decision_json(d, last[1], rules)


def decision_dict(d: Decision, zone: str | None) -> dict[str, Any]:
    data = d.to_dict()
    if d.decided_at is not None:
        data["decided_at"] = local_time(d.decided_at, zone)
    return data


def escape_cell(value: Any) -> Any:
    """Spreadsheet formula injection: a text cell starting with = + - @ (or a tab / CR) is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_decisions(decisions: Iterable[Decision], fmt: str, out: IO[str], zone: str | None = None,
                    path: str | None = None) -> int:
    """Write decisions as they stream (a table is laid out per chunk of 200 so widths fit the
    content without holding a whole run in memory). ``xlsx`` needs ``path``."""
    if fmt == "xlsx":
        if not path:
            raise ValueError("-f xlsx writes a workbook: give the file with -o FILE.xlsx")
        return write_xlsx(decisions, path, zone)
    count = 0
    if fmt == "jsonl":
        for line in _json_lines(decisions, zone):
            out.write(line + "\n")
            count += 1
    elif fmt == "json":
        out.write("[")
        for line in _json_lines(decisions, zone):
            out.write(("," if count else "") + "\n  " + line)
            count += 1
        out.write("\n]\n" if count else "]\n")
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for d in decisions:
            row = decision_dict(d, zone)
            writer.writerow(
                [escape_cell(json.dumps(row[c], ensure_ascii=False) if isinstance(row[c], (dict, list)) else ("" if row[c] is None else row[c])) for c in CSV_COLUMNS]
            )
            count += 1
    elif fmt == "cards":
        for d in decisions:
            ident = f"#{d.decision_id} " if d.decision_id is not None else ""
            out.write(f"{ident}{d.subject_kind} {d.subject_id}: {summarise_outcome(d.outcome)}\n")
            out.write(f"    {d.explanation}\n    —— {d.citation} [{d.rule_id}]\n")
            count += 1
    elif fmt == "table":
        count = _write_table(decisions, out)
    else:
        raise ValueError(f"unknown output format '{fmt}'")
    return count


def _table_cells(d: Decision) -> list[str]:
    return [
        "" if d.decision_id is None else str(d.decision_id),
        f"{d.subject_kind} {d.subject_id}",
        summarise_outcome(d.outcome),
        d.rule_id,
        d.citation.clause,
        d.explanation,
    ]


def _write_table(decisions: Iterable[Decision], out: IO[str], batch: int = 200) -> int:
    total_width = max(shutil.get_terminal_size((160, 24)).columns, 100)
    limits = [8, 28, 40, 34, 18]
    count = 0
    rows: list[list[str]] = []

    def flush(header: bool) -> None:
        if not rows:
            return
        cells = [[clip(c, limit) for c, limit in zip(row[:-1], limits)] + [row[-1]] for row in rows]
        headers = [label for _key, label in TABLE_COLUMNS]
        widths = [max([display_width(headers[i])] + [display_width(r[i]) for r in cells]) for i in range(len(headers) - 1)]
        last = max(20, total_width - sum(widths) - 2 * len(widths))
        if header:
            out.write("  ".join(pad(h, w) for h, w in zip(headers, widths + [0])).rstrip() + "\n")
            out.write("  ".join("-" * w for w in widths + [min(last, 40)]) + "\n")
        for r in cells:
            for n, line in enumerate(wrap(r[-1], last)):
                lead = r[:-1] if n == 0 else [""] * len(widths)
                out.write("  ".join(pad(c, w) for c, w in zip(lead, widths)) + "  " + line + "\n")
        rows.clear()

    first = True
    for d in decisions:
        rows.append(_table_cells(d))
        count += 1
        if len(rows) >= batch:
            flush(first)
            first = False
    flush(first)
    return count


def write_xlsx(decisions: Iterable[Decision], path: str, zone: str | None = None) -> int:
    """One sheet, Chinese headers, the header row frozen, widths fitted, every text cell escaped
    against formula injection; the outcome's plain values get a column each (amounts as numbers
    keeping their scale). Written in streaming mode: the outcome columns come from the first 500."""
    from itertools import chain, islice

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    stream = iter(decisions)
    head = list(islice(stream, 500))
    keys = list(dict.fromkeys(k for d in head for k, v in d.outcome.items() if not isinstance(v, (dict, list))))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("决策")
    ws.freeze_panes = "A2"
    labels = [label for _key, label in XLSX_COLUMNS] + keys
    widths = [10, 12, 16, 40, 30, 30, 16, 60, 12, 28] + [max(12, display_width(k) + 2) for k in keys]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    bold = Font(bold=True)
    header = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    count = 0
    for d in chain(head, stream):
        data = decision_dict(d, zone)
        row = [_xlsx_cell(ws, summarise_outcome(d.outcome) if key == "outcome" else data.get(key)) for key, _label in XLSX_COLUMNS]
        row += [_xlsx_cell(ws, _number(d.outcome.get(k))) for k in keys]
        ws.append(row)
        count += 1
    wb.save(path)
    return count


_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)


def _number(value: Any) -> Any:
    """Amounts logged as exact strings ("700.00") become Decimal cells; other values stay."""
    if isinstance(value, str) and _NUMBER.fullmatch(value) and len(value) <= 20:
        return Decimal(value)
    return value


def _xlsx_cell(ws: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool):
        return WriteOnlyCell(ws, value=value)
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(ws, value=value)
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        cell.number_format = "0" if places == 0 else "0." + "0" * places
        return cell
    if isinstance(value, (dict, list)):
        value = json.dumps(to_jsonable(value), ensure_ascii=False)
    return WriteOnlyCell(ws, value=escape_cell(value) if isinstance(value, str) else value)


def write_rows(rows: list[dict[str, Any]], fmt: str, out: IO[str], columns: list[str] | None = None,
               path: str | None = None) -> None:
    """Generic listing output (plugins, config, kinds) in the same formats."""
    columns = columns or (list(rows[0]) if rows else [])
    if fmt == "json":
        out.write(json.dumps(to_jsonable(rows), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(to_jsonable(row), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([escape_cell(_cell(row.get(c))) for c in columns])
    elif fmt == "xlsx":
        if not path:
            raise ValueError("-f xlsx writes a workbook: give the file with -o FILE.xlsx")
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(columns)
        ws.freeze_panes = "A2"
        for row in rows:
            ws.append([escape_cell(_cell(row.get(c))) for c in columns])
        wb.save(path)
    else:
        cells = [[clip(_cell(row.get(c)), 60) for c in columns] for row in rows]
        widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
        out.write("  ".join(pad(c, w) for c, w in zip(columns, widths)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for r in cells:
            out.write("  ".join(pad(c, w) for c, w in zip(r, widths)).rstrip() + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(to_jsonable(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(to_jsonable(value), ensure_ascii=False)
    return str(to_jsonable(value))
