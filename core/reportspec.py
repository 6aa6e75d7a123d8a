"""What a plugin's ``report_sections`` hook receives and returns: the report period, the period's
committed decisions with the runs that took them, and plain dataclasses for a section (title, a
table whose figures carry the decision ids they come from, a chart spec).

A plugin never opens a database session and never draws: the core reads the decisions, checks the
sections and writes them as a workbook (native Excel charts) and an HTML page (plotly charts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable, Hashable, Iterator, overload

from .decisions import Decision

# --- the period ----------------------------------------------------------------------------------

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-?H([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_CN = "一二三四"


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """A month (``2026-08``), quarter (``2026Q3``), half-year (``2026H1``) or year (``2026``)."""

    code: str
    kind: str  # month | quarter | half | year
    start: date
    end: date  # the last day, inclusive
    label_zh: str

    @property
    def months(self) -> tuple[str, ...]:
        """The period's months as ``YYYY-MM``, in order."""
        found, day = [], self.start
        while day <= self.end:
            found.append(f"{day.year:04d}-{day.month:02d}")
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return tuple(found)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _span(year: int, first: int, last: int) -> tuple[date, date]:
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), end - timedelta(days=1)


def parse_report_period(text: str) -> ReportPeriod:
    """``2026-08``, ``2026Q3``, ``2026H1`` or ``2026``; a ValueError names the accepted forms."""
    code = text.strip().upper()
    if m := _QUARTER.match(code):
        year, q = int(m[1]), int(m[2])
        return ReportPeriod(f"{year}Q{q}", "quarter", *_span(year, 3 * q - 2, 3 * q), f"{year}年第{_CN[q - 1]}季度")
    if m := _HALF.match(code):
        year, h = int(m[1]), int(m[2])
        return ReportPeriod(f"{year}H{h}", "half", *_span(year, 6 * h - 5, 6 * h), f"{year}年{'上' if h == 1 else '下'}半年")
    if m := _YEAR.match(code):
        year = int(m[1])
        return ReportPeriod(str(year), "year", *_span(year, 1, 12), f"{year}年度")
    if (m := _MONTH.match(code)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return ReportPeriod(f"{year}-{month:02d}", "month", *_span(year, month, month), f"{year}年{month}月")
    raise ValueError(f"'{text}' is not a report period; use a month (2026-08), quarter (2026Q3), half-year (2026H1) or year (2026)")


# --- the decisions a section is made of ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunOf:
    """The committed run that took a decision: its command, id and the day it decided as of."""

    command: str
    run_id: str
    as_of: date


class PeriodDecisions(Sequence[Decision]):
    """One plugin's committed decisions of the period (runs whose ``as_of`` falls in it), oldest
    first, each with the run that took it. ``current()`` drops what a later run in the period
    decided again, so a re-run is not counted twice."""

    def __init__(self, items: Sequence[tuple[Decision, RunOf]] = ()) -> None:
        self._items = sorted(items, key=lambda item: item[0].decision_id or 0)
        self._runs = {id(d): run for d, run in self._items}

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Decision: ...

    @overload
    def __getitem__(self, index: slice) -> list[Decision]: ...

    def __getitem__(self, index: int | slice) -> Decision | list[Decision]:
        if isinstance(index, slice):
            return [d for d, _run in self._items[index]]
        return self._items[index][0]

    def __iter__(self) -> Iterator[Decision]:
        return (d for d, _run in self._items)

    def run_of(self, decision: Decision) -> RunOf:
        return self._runs[id(decision)]

    def of(self, command: str) -> list[Decision]:
        """Every decision of one command in the period, oldest first."""
        return [d for d, run in self._items if run.command == command]

    def current(self, command: str | None = None, key: Callable[[Decision], Hashable] | None = None) -> list[Decision]:
        """For each key (default: subject kind and id) and command, the decisions of the latest run
        in the period that decided it (all of them: a complaint routed in two steps keeps both),
        oldest first. Pass ``key`` when one subject is decided per something else, e.g. per
        reviewed month: ``key=lambda d: (d.subject_id, d.outcome.get("month"))``."""
        keyed = key or (lambda d: (d.subject_kind, d.subject_id))
        latest: dict[tuple[str, Hashable], str] = {}
        chosen = [(d, run) for d, run in self._items if command is None or run.command == command]
        for d, run in chosen:
            latest[(run.command, keyed(d))] = run.run_id
        return [d for d, run in chosen if latest[(run.command, keyed(d))] == run.run_id]


# --- what a section is -------------------------------------------------------------------------

Number = int | Decimal


@dataclass(frozen=True, slots=True)
class Figure:
    """A number in a report and the decisions it comes from (``zhidu explain ID`` answers for each).
    A figure other than zero must name at least one decision."""

    value: Number
    decision_ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, decisions: Sequence[Decision], value: Number | None = None) -> "Figure":
        """A count of ``decisions`` (or ``value``, e.g. their summed amount) with their ids."""
        ids = tuple(sorted({d.decision_id for d in decisions if d.decision_id is not None}))
        return cls(len(ids) if value is None else value, ids)


Cell = str | int | Decimal | date | Figure | None


@dataclass(frozen=True, slots=True)
class Row:
    """One table row. ``decision_ids`` are the decisions behind the row's text cells (the row's
    figures carry their own); the writers list the union."""

    cells: tuple[Cell, ...]
    decision_ids: tuple[int, ...] = ()

    @property
    def all_ids(self) -> tuple[int, ...]:
        ids = list(self.decision_ids)
        for cell in self.cells:
            if isinstance(cell, Figure):
                ids.extend(cell.decision_ids)
        return tuple(sorted(set(ids)))


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True, slots=True)
class Series:
    """One series of a chart: a name (the legend) and one value per label."""

    name: str
    values: tuple[Figure | Number, ...]


CHART_KINDS = ("bar", "pie", "line")


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart spec: ``bar`` (grouped when several series), ``pie`` (one series) or ``line``."""

    kind: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    title: str = ""
    y_title: str = ""


@dataclass(frozen=True, slots=True)
class ReportSection:
    """One section of a period report: a title, what it counts (one or two Chinese sentences), a
    table, an optional chart and headline figures for the summary sheet (``(label, Figure)``)."""

    title: str
    table: Table
    chart: Chart | None = None
    description: str = ""
    headline: tuple[tuple[str, Figure], ...] = field(default=())


def figure_value(value: Any) -> Any:
    """The plain number of a chart value or a cell (a Figure's value)."""
    return value.value if isinstance(value, Figure) else value


def figure_ids(value: Any) -> tuple[int, ...]:
    return value.decision_ids if isinstance(value, Figure) else ()
