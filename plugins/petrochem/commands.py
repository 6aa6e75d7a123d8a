"""Plugin commands: ``zhidu petrochem allocate|visits|admit FILE`` (also ``zhidu allocate``,
``zhidu visits`` and ``zhidu admit`` when no other plugin took those names).

Each reads a CSV (UTF-8, with or without BOM) or JSON file whose columns are the English field
names or the Chinese headers of the plugin's schemas, and prints one JSON decision per line
(rule id, citation, Chinese explanation). Invalid rows are all reported, with their row number, and
nothing is decided (exit status 2): an allocation decided on half the requests would be wrong.
"""

from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable

import click
from marshmallow import Schema, ValidationError

from ...core.decisions import Decision, fingerprint, to_jsonable
from ...core.params import ParameterError, format_messages
from ...core.plugins import available_plugins
from ...core.workspace import WorkspaceError
from . import admission, allocation, visits
from .params import PLUGIN, SPEC
from .periods import parse_period
from .schemas import AdmissionSchema, AllocationRequestSchema, VisitReportSchema
from .text import tonnes


def read_rows(path: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows of a CSV or JSON file, and (for a JSON object) its other top-level keys.

    A JSON file is either a list of rows or an object whose ``rows`` (or ``requests``,
    ``reports``, ``customers``) key holds the list, beside settings such as ``available``.
    """
    file = Path(path)
    if file.suffix.lower() == ".json":
        data = json.loads(file.read_text(encoding="utf-8-sig"))
        if isinstance(data, list):
            return data, {}
        for key in ("rows", "requests", "reports", "customers"):
            if isinstance(data.get(key), list):
                return data[key], {k: v for k, v in data.items() if k != key}
        raise click.ClickException(f"{path}: a JSON file must be a list of rows or an object with a 'rows' list")
    with file.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle)), {}


def load_rows(rows: Iterable[dict[str, Any]], schema: Schema) -> tuple[list[Any], list[str]]:
    """Records and error lines; headers may be field names or the schema's Chinese labels."""
    headers: dict[str, str] = {}
    for name, fld in schema.fields.items():
        headers[name] = name
        if fld.metadata.get("zh"):
            headers[fld.metadata["zh"]] = name
    records, errors = [], []
    for number, row in enumerate(rows, start=1):
        data = {headers.get(str(k).strip(), str(k).strip()): v for k, v in row.items() if k is not None and v not in ("", None)}
        try:
            records.append(schema.load(data))
        except ValidationError as exc:
            errors.append(f"row {number}: {format_messages(exc.messages)}")
    return records, errors


def _params(preset: str | None) -> dict[str, Any]:
    """The parameters in force: the profile's (through the core's workspace in ``ctx.obj``, or a
    DecisionContext put there by a caller), with ``--preset`` replacing the profile's preset."""
    obj = click.get_current_context().find_root().obj
    workspace = obj.get("workspace") if isinstance(obj, dict) else None
    try:
        if workspace is not None:
            if preset is None:
                return dict(workspace.resolved[0][PLUGIN])
            overrides = workspace.profile.overrides_for(PLUGIN) if workspace.profile else {}
            return SPEC.resolve(preset, overrides)
        if preset is None and callable(getattr(obj, "parameters", None)) and obj.parameters(PLUGIN):
            return dict(obj.parameters(PLUGIN))
        return SPEC.resolve(preset)
    except (ParameterError, WorkspaceError) as exc:
        raise click.ClickException(str(exc)) from None


def _emit(decisions: Iterable[Decision], inputs: dict[str, Any]) -> None:
    """Print decisions as JSON lines, stamped as the core stamps hook decisions."""
    info = available_plugins().get(PLUGIN)
    version = info[1].version if info else "unknown"
    for decision in decisions:
        decision.plugin, decision.plugin_version = PLUGIN, version
        if decision.inputs is None:
            decision.inputs = to_jsonable(inputs.get(decision.subject_id, {}))
        decision.fingerprint = fingerprint(decision.inputs)
        click.echo(json.dumps(decision.to_dict(), ensure_ascii=False))


def _load_or_fail(path: str, schema: Schema) -> tuple[list[Any], dict[str, Any]]:
    rows, meta = read_rows(path)
    records, errors = load_rows(rows, schema)
    if errors:
        for line in errors:
            click.echo(f"{path}: {line}", err=True)
        sys.exit(2)
    return records, meta


def _decimal(value: Any, what: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise click.BadParameter(f"'{value}' is not a tonnage", param_hint=what) from None
    if result < 0:
        raise click.BadParameter("must not be negative", param_hint=what)
    return result


preset_option = click.option("--preset", default=None, help="Parameter preset (hb, youpin); default: the profile's.")


@click.group("petrochem")
def petrochem() -> None:
    """石油销售公司化工品客户管理办法: resource allocation, visit reports, admission checks."""


@petrochem.command("allocate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--available", default=None, help="Tonnes available this month (or 'available' in the JSON file).")
@click.option("--month", default=None, help="The month allocated, e.g. 2026-08 (for the explanations).")
@click.option("--mode", type=click.Choice(["priority", "pro_rata"]), default=None, help="Override allocation_mode.")
@preset_option
def allocate_command(file: str, available: str | None, month: str | None, mode: str | None, preset: str | None) -> None:
    """Allocate a month's tonnage: direct sales first, then exclusive agents, then distributors (第三条、第十条)."""
    params = _params(preset)
    if mode:
        params["allocation_mode"] = mode
    requests, meta = _load_or_fail(file, AllocationRequestSchema())
    raw = available if available is not None else meta.get("available")
    if raw is None:
        raise click.UsageError("give the month's available tonnage with --available or an 'available' key in the JSON file")
    total = _decimal(raw, "--available")
    decisions, summary = allocation.allocate(requests, total, params, month or meta.get("month"))
    _emit(decisions, {r.customer_code: r for r in requests})
    click.echo(
        f"可分配{tonnes(summary['available'])}吨,申请{tonnes(summary['requested'])}吨,"
        f"已分配{tonnes(summary['allocated'])}吨,未分配{tonnes(summary['unallocated'])}吨。",
        err=True,
    )


@petrochem.command("visits")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--period", default=None, help="Average over 2026, 2026H1, 2026Q3 or 2026-07 (default: each calendar year).")
@click.option("--averages-only", is_flag=True, help="Print only the per-customer averages.")
@preset_option
def visits_command(file: str, period: str | None, averages_only: bool, preset: str | None) -> None:
    """Score visit reports (油品调运 附件1) and average them per customer per period (第十四条)."""
    params = _params(preset)
    try:
        chosen = parse_period(period) if period else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    reports, _ = _load_or_fail(file, VisitReportSchema())
    scored, errors = [], []
    for number, report in enumerate(reports, start=1):
        try:
            scored.append(visits.score_report(report, params))
        except visits.UnknownRating as exc:
            errors.append(f"{file}: row {number}: {exc}")
    if errors:
        click.echo("\n".join(errors), err=True)
        sys.exit(2)
    by_subject = {r.subject_id: r for r in reports}
    if not averages_only:
        _emit(scored, by_subject)
    per_customer: dict[str, dict[str, list]] = {}
    for report in reports:
        per_customer.setdefault(report.customer_code, {"reports": []})["reports"].append(report)
    _emit(visits.average_by_customer(reports, params, chosen), per_customer)


@petrochem.command("admit")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def admit_command(file: str) -> None:
    """Check applicants against the admission conditions (第十条) and disqualification (第十七条)."""
    applications, _ = _load_or_fail(file, AdmissionSchema())
    _emit((admission.check_admission(a) for a in applications), {a.code: a for a in applications})


SHORTCUTS = {"allocate": allocate_command, "visits": visits_command, "admit": admit_command}


def register(cli: click.Group) -> None:
    cli.add_command(petrochem)
    for name, command in SHORTCUTS.items():
        if name not in cli.commands:
            cli.add_command(command, name)
