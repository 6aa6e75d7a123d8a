"""Decision output as a table (default on a terminal), JSON, JSON lines or CSV."""

from __future__ import annotations

import csv
import json
import unicodedata
from datetime import datetime
from typing import IO, Any, Iterable

from .decisions import Decision, to_jsonable

FORMATS = ("table", "json", "jsonl", "csv")
CSV_COLUMNS = ("decision_id", "subject_kind", "subject_id", "outcome", "rule_id", "citation", "explanation", "plugin", "plugin_version", "parameters", "fingerprint", "decided_at")


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


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


def write_decisions(decisions: Iterable[Decision], fmt: str, out: IO[str], zone: str | None = None) -> int:
    count = 0
    if fmt == "jsonl":
        for d in decisions:
            out.write(json.dumps(decision_dict(d, zone), ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "json":
        out.write("[")
        for d in decisions:
            out.write(("," if count else "") + "\n  " + json.dumps(decision_dict(d, zone), ensure_ascii=False))
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
    elif fmt == "table":
        for d in decisions:
            ident = f"#{d.decision_id} " if d.decision_id is not None else ""
            out.write(f"{ident}{d.subject_kind} {d.subject_id}: {summarise_outcome(d.outcome)}\n")
            out.write(f"    {d.explanation}\n    —— {d.citation} [{d.rule_id}]\n")
            count += 1
    else:
        raise ValueError(f"unknown output format '{fmt}'")
    return count


def write_rows(rows: list[dict[str, Any]], fmt: str, out: IO[str], columns: list[str] | None = None) -> None:
    """Generic listing output (plugins, config) in the same four formats."""
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
    else:
        cells = [[_clip(_cell(row.get(c))) for c in columns] for row in rows]
        widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
        out.write("  ".join(pad(c, w) for c, w in zip(columns, widths)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for r in cells:
            out.write("  ".join(pad(c, w) for c, w in zip(r, widths)).rstrip() + "\n")


def _clip(text: str, limit: int = 60) -> str:
    """Tables stay readable; JSON and CSV carry the full values."""
    return text if display_width(text) <= limit else text[: limit - 3] + "..."


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(to_jsonable(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(to_jsonable(value), ensure_ascii=False)
    return str(to_jsonable(value))
