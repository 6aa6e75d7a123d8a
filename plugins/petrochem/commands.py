"""Plugin commands: ``zhidu petrochem allocate|visits|admit FILE`` (also ``zhidu allocate``,
``zhidu visits`` and ``zhidu admit`` when no other plugin took those names).

Each reads its file through the core (CSV, JSON, JSON lines or XLSX; English field names or the
Chinese headers of the plugin's schemas) and prints one JSON decision per line (rule id, citation,
Chinese explanation), stamped like the core's decisions. Invalid rows are all reported with file,
row, column and reason, and nothing is decided (exit status 1): an allocation decided on half the
requests would be wrong.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from ...core import plugin_api
from . import admission, allocation, visits
from .params import PLUGIN
from .periods import parse_period
from .schemas import AdmissionSchema, AllocationRequestSchema, VisitReportSchema
from .text import tonnes


def json_settings(path: str) -> dict[str, Any]:
    """A JSON file may be an object holding its rows under "records" beside settings such as
    ``available`` and ``month``; those settings (the core reads the rows)."""
    if Path(path).suffix.lower() != ".json":
        return {}
    data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    return {k: v for k, v in data.items() if k not in ("records", "rows")} if isinstance(data, dict) else {}


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
    params = plugin_api.parameters(PLUGIN, preset)
    if mode:
        params["allocation_mode"] = mode
    requests = plugin_api.read_records(file, AllocationRequestSchema, "allocation_request")
    meta = json_settings(file)
    raw = available if available is not None else meta.get("available")
    if raw is None:
        raise click.UsageError("give the month's available tonnage with --available or an 'available' key in the JSON file")
    total = _decimal(raw, "--available")
    decisions, summary = allocation.allocate(requests, total, params, month or meta.get("month"))
    plugin_api.emit(decisions, {r.customer_code: r for r in requests})
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
    params = plugin_api.parameters(PLUGIN, preset)
    try:
        chosen = parse_period(period) if period else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    reports = plugin_api.read_records(file, VisitReportSchema, "visit_report")
    scored, errors = [], []
    for number, report in enumerate(reports, start=1):
        try:
            scored.append(visits.score_report(report, params))
        except visits.UnknownRating as exc:
            # The rating scales are parameters, so this check runs after schema validation.
            errors.append(f"{file}: report {number} ({report.report_code or report.customer_code}): {exc}")
    if errors:
        click.echo("Error: " + "\n".join(errors) + "\nnothing was decided", err=True)
        sys.exit(1)
    by_subject = {r.subject_id: r for r in reports}
    if not averages_only:
        plugin_api.emit(scored, by_subject)
    per_customer: dict[str, dict[str, list]] = {}
    for report in reports:
        per_customer.setdefault(report.customer_code, {"reports": []})["reports"].append(report)
    plugin_api.emit(visits.average_by_customer(reports, params, chosen), per_customer)


@petrochem.command("admit")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def admit_command(file: str) -> None:
    """Check applicants against the admission conditions (第十条) and disqualification (第十七条)."""
    applications = plugin_api.read_records(file, AdmissionSchema, "admission_application")
    plugin_api.emit((admission.check_admission(a) for a in applications), {a.code: a for a in applications})


SHORTCUTS = {"allocate": allocate_command, "visits": visits_command, "admit": admit_command}


def register(cli: click.Group) -> None:
    cli.add_command(petrochem)
    for name, command in SHORTCUTS.items():
        if name not in cli.commands:
            cli.add_command(command, name)
