"""Golden cases: a CSV table of inputs and the decisions they must give, run in-process.

One row per input record; rows with the same ``case`` form one case. Columns:

- ``case``: the case's name; ``command``: the decision command (on any row of the case);
- ``preset``, ``as_of`` (``2026-11-20``), ``option.NAME`` (a command option, as on the command line),
  ``param.NAME`` (a parameter override of the command's plugin): on any row of the case;
- ``expect.rule``: the rule id of the decision about this row's subject, ``expect.KEY``: outcome
  values it must have (``true``, ``3``, ``star1``; numbers compare as decimals), ``expect.subject``:
  the subject, when it is not the row's own (a summary decision); empty cells expect nothing;
- every other column: the record's columns (field names or Chinese headers), validated exactly as
  an import validates them. A row whose record columns are all empty only states expectations.

A case passes when, for every row with expectations, one decision about its subject has that rule
and those outcome values. Commands that replay another command first (``replay=``) are not run here.
"""

from __future__ import annotations

import csv
import json
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Sequence

META = ("case", "command", "preset", "as_of")


@dataclass
class Expectation:
    line: int
    subject: str | None
    rule: str | None
    outcome: dict[str, str]


@dataclass
class GoldenCase:
    name: str
    path: str
    plugins: list[str]
    command: str = ""
    preset: str | None = None
    as_of: date | None = None
    options: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, str]] = field(default_factory=list)
    expectations: list[tuple[Expectation, int | None]] = field(default_factory=list)  # (what, index of its row)

    def __str__(self) -> str:
        return self.name


def load_cases(path: str | Path, plugins: Sequence[str]) -> list[GoldenCase]:
    """The cases of a golden CSV (UTF-8, with or without BOM), in file order."""
    cases: dict[str, GoldenCase] = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            name = row.get("case", "")
            if not name:
                raise ValueError(f"{path}: line {line}: the 'case' column is empty")
            case = cases.setdefault(name, GoldenCase(name, str(path), list(plugins)))
            case.command = row.get("command") or case.command
            case.preset = row.get("preset") or case.preset
            if row.get("as_of"):
                case.as_of = date.fromisoformat(row["as_of"])
            record: dict[str, str] = {}
            expect: dict[str, str] = {}
            for key, value in row.items():
                if key in META or not value and not key.startswith("expect."):
                    continue
                if key.startswith("option."):
                    case.options[key[7:]] = value
                elif key.startswith("param."):
                    case.parameters[key[6:]] = _value(value)
                elif key.startswith("expect."):
                    if value:
                        expect[key[7:]] = value
                else:
                    record[key] = value
            index = None
            if record:
                case.rows.append(record)
                index = len(case.rows) - 1
            if expect:
                subject = expect.pop("subject", None)
                if subject is None and index is None:
                    raise ValueError(f"{path}: line {line}: expectations without a record need expect.subject")
                case.expectations.append((Expectation(line, subject, expect.pop("rule", None), expect), index))
    for case in cases.values():
        if not case.command:
            raise ValueError(f"{path}: case '{case.name}' names no command")
    return list(cases.values())


def run_case(case: GoldenCase, as_of: date) -> list[Any]:
    """Decide the case's records as its command would (checked, stamped, not logged); check the
    expectations; the decisions. Raises AssertionError naming the line that is not met."""
    from ..demo import write_sample_file
    from ..engine import decide_chunk
    from ..importer import iter_file_records
    from ..plugins import PolicyPlugins
    from ...testing import make_context

    plugins = PolicyPlugins(case.plugins)
    plan = plugins.commands.get(case.command)
    if plan is None:
        raise AssertionError(f"{case.path}: case '{case.name}': no enabled plugin declares the command '{case.command}'")
    if plan.replay:
        raise AssertionError(f"{case.path}: case '{case.name}': {plan.name} replays {plan.replay} first; test it with a company instead")
    kind = plugins.kinds.get(plan.input_kind)
    with tempfile.TemporaryDirectory() as folder:
        path = write_sample_file(Path(folder), kind.name, case.rows) if case.rows else None
        records = list(iter_file_records(path, kind)) if path else []
    options = {name: _option(plan, name, value) for name, value in case.options.items()}
    owner = plan.own_plugin or plan.declared_by[0]
    context = make_context(case.plugins, preset=case.preset, as_of=case.as_of or as_of, overrides={owner: case.parameters},
                           options=options, period=options.get(plan.period_option) if plan.period_option else None,
                           command=plan.name)
    decisions = decide_chunk(plugins, plan, kind, records, context)
    for expected, index in case.expectations:
        subject = expected.subject or (kind.subject_of(records[index]) if index is not None else None)
        about = [d for d in decisions if d.subject_id == subject]
        if not any(_meets(d, expected) for d in about):
            shown = "; ".join(f"{d.rule_id} {json.dumps(d.to_dict()['outcome'], ensure_ascii=False)}" for d in about) or "no decision"
            wanted = ", ".join([f"rule={expected.rule}"] * bool(expected.rule) + [f"{k}={v}" for k, v in expected.outcome.items()])
            raise AssertionError(f"{case.path}: line {expected.line}: case '{case.name}': {subject} should have {wanted}; got {shown}")
    return decisions


def _meets(decision: Any, expected: Expectation) -> bool:
    from ..decisions import to_jsonable

    if expected.rule and decision.rule_id != expected.rule:
        return False
    outcome = to_jsonable(decision.outcome)
    return all(key in outcome and same(text, outcome[key]) for key, text in expected.outcome.items())


def same(text: str, actual: Any) -> bool:
    """A cell's text against an outcome value (JSON-ready): JSON literals, decimals numerically, else text."""
    parsed = _value(text)
    if parsed == actual and type(parsed) is type(actual):
        return True
    if isinstance(actual, bool) or isinstance(parsed, bool):
        return False
    try:
        return Decimal(str(text)) == Decimal(str(actual))
    except (InvalidOperation, ValueError):
        pass
    shown = actual if isinstance(actual, str) else json.dumps(actual, ensure_ascii=False, sort_keys=True)
    return text == shown


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _option(plan: Any, name: str, value: str) -> Any:
    option = plan.option(name)
    if option is None:
        raise AssertionError(f"command {plan.name} has no option '{name}'")
    if option.flag:
        return value.lower() in ("true", "1", "yes", "是", "y")
    return option.parse(value) if option.parse else value
