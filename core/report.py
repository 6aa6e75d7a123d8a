"""`zhidu report PERIOD`: one company's period report, as an Excel workbook and an HTML page.

The core reads the committed decisions whose run decided as of a day in the period, hands each
enabled plugin its own through the ``report_sections`` hook, checks the sections it returns (every
decision id one of that plugin's period decisions, a figure other than zero naming at least one)
and writes a summary plus the sections: ``report_xlsx`` (native Excel charts) and ``report_html``
(plotly charts, its JavaScript inlined so the page is self-contained).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from .decisions import Decision
from .plugins import PluginError
from .reportspec import (CHART_KINDS, Chart, Figure, PeriodDecisions, ReportPeriod, ReportSection, Row, RunOf, Series,
                         Table, parse_report_period)
from .workspace import Workspace, WorkspaceError

FORMATS = {".xlsx": "xlsx", ".html": "html", ".htm": "html"}


class ReportAnswerError(PluginError):
    """A plugin's ``report_sections`` answer breaks the contract (named plugin and section); shown
    to the user as is, like every PluginError, and nothing is written."""


@dataclass
class PluginPart:
    """One enabled plugin's share of the report: its period decisions and its checked sections."""

    plugin: str
    version: str
    decisions: PeriodDecisions
    sections: list[ReportSection] = field(default_factory=list)

    def commands(self) -> Counter[str]:
        return Counter(self.decisions.run_of(d).command for d in self.decisions)

    def runs(self) -> int:
        return len({self.decisions.run_of(d).run_id for d in self.decisions})


@dataclass
class Report:
    company: str
    period: ReportPeriod
    generated_at: datetime  # in the company's zone
    timezone: str
    parts: list[PluginPart]

    @property
    def title(self) -> str:
        return f"{self.company} {self.period.label_zh}客户管理报告"

    def sections(self) -> list[tuple[str, ReportSection]]:
        return [(part.plugin, s) for part in self.parts for s in part.sections]

    def referenced(self) -> list[tuple[Decision, RunOf]]:
        """Every decision some figure, row or headline of a section names, by id."""
        wanted: set[int] = set()
        for _plugin, section in self.sections():
            wanted.update(section_ids(section))
        found = []
        for part in self.parts:
            for d in part.decisions:
                if d.decision_id in wanted:
                    found.append((d, part.decisions.run_of(d)))
        return sorted(found, key=lambda item: item[0].decision_id or 0)


def section_ids(section: ReportSection) -> set[int]:
    ids: set[int] = set()
    for row in section.table.rows:
        ids.update(row.all_ids)
    for _label, fig in section.headline:
        ids.update(fig.decision_ids)
    if section.chart is not None:
        for series in section.chart.series:
            for value in series.values:
                if isinstance(value, Figure):
                    ids.update(value.decision_ids)
    return ids


# --- collecting ----------------------------------------------------------------------------------


def build_report(ws: Workspace, period: ReportPeriod) -> Report:
    from .decisionlog import committed_as_of
    from .history import DatabaseHistory

    db = ws.database()
    try:
        enabled = ws.plugins.names
        items: dict[str, list[tuple[Decision, RunOf]]] = {name: [] for name in enabled}
        for decision, command, run_id, as_of in committed_as_of(db, period.start, period.end):
            if decision.plugin in items:
                items[decision.plugin].append((decision, RunOf(command, run_id, as_of)))
        context = ws.context(as_of=period.end, period=period.code, command="report", history=DatabaseHistory(db, ws.kinds))
        impls = {impl.plugin_name: impl for impl in ws.plugins.pm.hook.report_sections.get_hookimpls()}
        parts = []
        for name in enabled:
            decisions = PeriodDecisions(items[name])
            part = PluginPart(name, ws.plugins.infos[name].version, decisions)
            impl = impls.get(name)
            if impl is not None:
                try:
                    answer = impl.function(period=period, decisions=decisions, context=context)
                except Exception as exc:  # the plugin's bug: name it
                    if os.environ.get("ZHIDU_TRACE") == "1":
                        raise
                    raise PluginError(f"plugin '{name}': report_sections raised {type(exc).__name__}: {exc}") from exc
                part.sections = check_sections(name, answer, decisions)
            parts.append(part)
    finally:
        db.dispose()
    return Report(ws.company, period, ws.now(), ws.timezone, parts)


def check_sections(plugin: str, answer: Any, decisions: PeriodDecisions) -> list[ReportSection]:
    """The engine's checks, for report sections: plain dataclasses of the right shape, numbers
    (never floats), and every decision id one of this plugin's decisions of the period."""
    if answer is None:
        return []
    known = {d.decision_id for d in decisions}
    sections = list(answer)
    for section in sections:
        if not isinstance(section, ReportSection):
            raise ReportAnswerError(f"plugin '{plugin}' (report_sections) returned {type(section).__name__}, expected a ReportSection")
        where = f"plugin '{plugin}' report section '{section.title}'"
        if not isinstance(section.title, str) or not section.title.strip():
            raise ReportAnswerError(f"plugin '{plugin}' returned a report section without a title")
        _check_table(where, section.table, known)
        for item in section.headline:
            if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], Figure)):
                raise ReportAnswerError(f"{where}: a headline is a (label, Figure) pair, got {item!r}")
            _check_figure(where, item[1], known)
        if section.chart is not None:
            _check_chart(where, section.chart, known)
    return sections


def _check_table(where: str, table: Any, known: set[Any]) -> None:
    if not isinstance(table, Table) or not table.columns or not all(isinstance(c, str) for c in table.columns):
        raise ReportAnswerError(f"{where}: the table must be a Table with named columns")
    for n, row in enumerate(table.rows, 1):
        if not isinstance(row, Row) or len(row.cells) != len(table.columns):
            raise ReportAnswerError(f"{where}: row {n} must be a Row of {len(table.columns)} cell(s)")
        for cell in row.cells:
            if isinstance(cell, Figure):
                _check_figure(where, cell, known)
            elif isinstance(cell, (float, bool)) or not isinstance(cell, (str, int, Decimal, date, type(None))):
                raise ReportAnswerError(f"{where}: row {n} holds {type(cell).__name__} {cell!r}; use text, int, Decimal, date or a Figure")
        _check_ids(where, row.decision_ids, known)


def _check_figure(where: str, fig: Figure, known: set[Any]) -> None:
    if isinstance(fig.value, bool) or not isinstance(fig.value, (int, Decimal)):
        raise ReportAnswerError(f"{where}: a figure's value must be an int or Decimal, got {type(fig.value).__name__} {fig.value!r}")
    if fig.value != 0 and not fig.decision_ids:
        raise ReportAnswerError(f"{where}: the figure {fig.value} names no decision; every figure links back to the decisions it comes from")
    _check_ids(where, fig.decision_ids, known)


def _check_ids(where: str, ids: Iterable[Any], known: set[Any]) -> None:
    stray = [i for i in ids if i not in known]
    if stray:
        raise ReportAnswerError(f"{where}: decision id(s) {', '.join(map(str, stray[:10]))} are not among the plugin's committed decisions of the period")


def _check_chart(where: str, chart: Any, known: set[Any]) -> None:
    if not isinstance(chart, Chart) or chart.kind not in CHART_KINDS:
        raise ReportAnswerError(f"{where}: the chart must be a Chart of kind {', '.join(CHART_KINDS)}")
    if not chart.series or not all(isinstance(s, Series) and len(s.values) == len(chart.labels) for s in chart.series):
        raise ReportAnswerError(f"{where}: every chart series needs one value per label ({len(chart.labels)})")
    if chart.kind == "pie" and len(chart.series) != 1:
        raise ReportAnswerError(f"{where}: a pie chart has exactly one series")
    for series in chart.series:
        for value in series.values:
            if isinstance(value, Figure):
                _check_figure(where, value, known)
            elif isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                raise ReportAnswerError(f"{where}: chart value {value!r} must be an int, Decimal or Figure")


# --- writing -------------------------------------------------------------------------------------


def default_stem(company: str, period: ReportPeriod) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", company).strip("._") or "zhidu"
    if name.startswith("(") or name == "(no_profile)":
        name = "zhidu"
    return f"{name}-{period.code}报告"


def targets(period: ReportPeriod, company: str, output: str | None, directory: str | None) -> list[tuple[str, Path]]:
    """(format, path) pairs: ``-o FILE`` one file (its suffix picks the format); ``--dir DIR`` (or
    neither: the current directory) both, named after the company and the period."""
    if output and directory:
        raise WorkspaceError("give -o FILE (one file) or --dir DIR (both files), not both")
    if output:
        fmt = FORMATS.get(Path(output).suffix.lower())
        if fmt is None:
            raise WorkspaceError(f"-o {output}: the report is a workbook (.xlsx) or an HTML page (.html)")
        return [(fmt, Path(output))]
    folder = Path(directory or ".")
    folder.mkdir(parents=True, exist_ok=True)
    stem = default_stem(company, period)
    return [("xlsx", folder / f"{stem}.xlsx"), ("html", folder / f"{stem}.html")]


def write_atomically(path: Path, write: Callable[[str], None]) -> None:
    """Write beside ``path`` and move into place only when the writer finished."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    try:
        write(temp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes it private; the report is an ordinary file
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def run_report(ws: Workspace, period_text: str, output: str | None = None, directory: str | None = None) -> list[str]:
    from .report_html import write_html
    from .report_xlsx import write_workbook

    period = parse_report_period(period_text)
    planned = targets(period, ws.company, output, directory)
    report = build_report(ws, period)
    lines = []
    for fmt, path in planned:
        if fmt == "xlsx":
            write_atomically(path, lambda temp: write_workbook(report, temp))
        else:
            write_atomically(path, lambda temp: write_html(report, temp))
        lines.append(f"{path}")
    count = sum(len(part.decisions) for part in report.parts)
    sections = len(report.sections())
    lines.append(f"{report.title}: {sections} section(s) over {count} decision(s) of {period.start} to {period.end}; "
                 f"`zhidu explain ID` answers for any figure's decision ids")
    return lines


__all__ = ["Report", "PluginPart", "ReportAnswerError", "build_report", "check_sections", "run_report"]
