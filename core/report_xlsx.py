"""The period report as an Excel workbook (openpyxl): a summary sheet, one sheet per section with
its table and a native Excel chart, the figures' decision ids beside them, a long ``依据`` sheet
(one row per figure and decision id) and the ``决策`` sheet listing every decision named. Every text
cell is escaped against formula injection (``core.output.escape_cell``)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .output import display_width, escape_cell, summarise_outcome
from .reportspec import Chart, Figure, ReportSection, figure_ids, figure_value

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.worksheet.worksheet import Worksheet

    from .report import Report

CELL_LIMIT = 32_000  # Excel holds 32,767 characters in a cell
ROW_LIMIT = 1_000_000  # and 1,048,576 rows in a sheet
IDS_HEADER = "决策编号"


def write_workbook(report: "Report", path: str) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "汇总"
    names = _sheet_names([s.title for _p, s in report.sections()])
    _summary_sheet(summary, report, names)
    for (plugin, section), name in zip(report.sections(), names):
        _section_sheet(wb.create_sheet(name), plugin, section)
    _provenance_sheet(wb.create_sheet("依据"), report, names)
    _decisions_sheet(wb.create_sheet("决策"), report)
    wb.save(path)


def _sheet_names(titles: list[str]) -> list[str]:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique, not a reserved one."""
    used = {"汇总", "依据", "决策"}
    names = []
    for n, title in enumerate(titles, 1):
        base = re.sub(r"[\[\]:*?/\\']", "_", title).strip() or f"第{n}节"
        name, k = base[:31], 2
        while name in used:
            suffix = f"({k})"
            name, k = base[: 31 - len(suffix)] + suffix, k + 1
        used.add(name)
        names.append(name)
    return names


def _put(ws: "Worksheet", row: int, col: int, value: Any, bold: bool = False) -> Any:
    from openpyxl.styles import Font

    cell = ws.cell(row=row, column=col)
    if isinstance(value, Figure):
        value = value.value
    if isinstance(value, Decimal):
        cell.value = value
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        cell.number_format = "#,##0" if places == 0 else "#,##0." + "0" * places
    elif isinstance(value, (int, date)) or value is None:
        cell.value = value
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = escape_cell(str(value))
    if bold:
        cell.font = Font(bold=True)
    return cell


def _ids_text(ids: tuple[int, ...] | list[int]) -> str:
    text = ", ".join(map(str, ids))
    if len(text) <= CELL_LIMIT:
        return text
    cut = text[:CELL_LIMIT].rsplit(", ", 1)[0]
    return f"{cut} …(共{len(ids)}条,全部见“依据”表)"


def _widths(ws: "Worksheet", widths: dict[int, int]) -> None:
    from openpyxl.utils import get_column_letter

    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)


def _summary_sheet(ws: "Worksheet", report: "Report", names: list[str]) -> None:
    from openpyxl.styles import Font

    p = report.period
    _put(ws, 1, 1, report.title).font = Font(bold=True, size=14)
    _put(ws, 2, 1, f"报告期:{p.label_zh}({p.start.isoformat()} 至 {p.end.isoformat()})")
    _put(ws, 3, 1, "统计口径:决策依据日期(as_of)在报告期内的已提交运行所作的决策;同一对象在本期被多次决策的,以本期最后一次运行为准。")
    _put(ws, 4, 1, f"生成时间:{report.generated_at.strftime('%Y-%m-%d %H:%M')}({report.timezone})")
    _put(ws, 5, 1, "任一数字的依据:在“决策编号”列或“依据”表中找到编号,运行 zhidu explain 编号 查看规则、条款、说明与输入。")
    row = 7
    for col, head in enumerate(("插件", "版本", "本期决策数", "运行次数", "各命令决策数"), 1):
        _put(ws, row, col, head, bold=True)
    for part in report.parts:
        row += 1
        by_command = "、".join(f"{c} {n}" for c, n in sorted(part.commands().items()))
        for col, value in enumerate((part.plugin, part.version, len(part.decisions), part.runs(), by_command or "本期无决策"), 1):
            _put(ws, row, col, value)
    row += 2
    for col, head in enumerate(("插件", "章节", "要点", "数值", IDS_HEADER), 1):
        _put(ws, row, col, head, bold=True)
    for (plugin, section), name in zip(report.sections(), names):
        items: list[tuple[str, Figure | None]] = list(section.headline) or [("行数", None)]
        for label, fig in items:
            row += 1
            _put(ws, row, 1, plugin)
            link = _put(ws, row, 2, section.title)
            link.hyperlink = f"#'{name}'!A1"
            link.style = "Hyperlink"
            _put(ws, row, 3, label)
            _put(ws, row, 4, fig if fig is not None else len(section.table.rows))
            _put(ws, row, 5, _ids_text(fig.decision_ids) if fig is not None else "")
    if not report.sections():
        _put(ws, row + 1, 1, "启用的插件本期没有报告章节。")
    _widths(ws, {1: 14, 2: 28, 3: 22, 4: 12, 5: 30})


def _section_sheet(ws: "Worksheet", plugin: str, section: ReportSection) -> None:
    from openpyxl.styles import Font

    _put(ws, 1, 1, section.title).font = Font(bold=True, size=13)
    _put(ws, 2, 1, section.description or "")
    _put(ws, 3, 1, f"插件:{plugin};每个数字右侧的“决策编号”可用 zhidu explain 编号 查看。")
    table = section.table
    figure_cols = [i for i in range(len(table.columns)) if any(isinstance(r.cells[i], Figure) for r in table.rows)]
    companions = set(figure_cols) if len(figure_cols) > 1 else set()
    header_row = 5
    layout: list[tuple[str, int | None, bool]] = []  # (header, table column or None for the row's ids, ids column?)
    for i, name in enumerate(table.columns):
        layout.append((name, i, False))
        if i in companions:
            layout.append((f"{name}·{IDS_HEADER}", i, True))
    layout.append((IDS_HEADER, None, True))
    widths: dict[int, int] = {}
    for col, (head, _i, _ids) in enumerate(layout, 1):
        _put(ws, header_row, col, head, bold=True)
        widths[col] = display_width(head)
    for r, row in enumerate(table.rows, header_row + 1):
        for col, (_head, source, ids) in enumerate(layout, 1):
            if source is None:
                value: Any = _ids_text(row.all_ids)
            elif ids:
                value = _ids_text(figure_ids(row.cells[source]))
            else:
                value = row.cells[source]
            cell = _put(ws, r, col, value)
            widths[col] = max(widths[col], min(display_width(str(cell.value if cell.value is not None else "")), 40))
    if not table.rows:
        _put(ws, header_row + 1, 1, "本期没有相关决策。")
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    _widths(ws, widths)
    if section.chart is not None and section.chart.labels:
        data_row = header_row + max(len(table.rows), 1) + 3
        _chart(ws, section.chart, data_row, anchor=f"{_letter(len(layout) + 2)}{header_row}")


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _chart(ws: "Worksheet", chart: Chart, top: int, anchor: str) -> None:
    """The chart's data as a small block below the table (labels, one column per series and the
    decision ids of its points), and a native Excel chart drawn from it."""
    from openpyxl.chart import BarChart, LineChart, PieChart, Reference
    from openpyxl.chart.label import DataLabelList

    _put(ws, top, 1, f"图表数据:{chart.title}" if chart.title else "图表数据", bold=True)
    head = top + 1
    _put(ws, head, 1, "项目", bold=True)
    for s, series in enumerate(chart.series):
        _put(ws, head, 2 + s, series.name, bold=True)
    ids_col = 2 + len(chart.series)
    _put(ws, head, ids_col, IDS_HEADER, bold=True)
    for n, label in enumerate(chart.labels):
        _put(ws, head + 1 + n, 1, label)
        ids: list[int] = []
        for s, series in enumerate(chart.series):
            value = series.values[n]
            _put(ws, head + 1 + n, 2 + s, figure_value(value))
            ids.extend(figure_ids(value))
        _put(ws, head + 1 + n, ids_col, _ids_text(list(dict.fromkeys(ids))))
    last = head + len(chart.labels)
    made: Any
    if chart.kind == "pie":
        made = PieChart()
        made.dataLabels = DataLabelList()
        made.dataLabels.showPercent = True
    elif chart.kind == "line":
        made = LineChart()
    else:
        made = BarChart()
        made.type = "col"
        made.grouping = "clustered"
    made.title = chart.title or None
    data = Reference(ws, min_col=2, max_col=1 + len(chart.series), min_row=head, max_row=last)
    made.add_data(data, titles_from_data=True)
    made.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
    if chart.kind != "pie":
        made.y_axis.title = chart.y_title or None
        made.y_axis.delete = False
        made.x_axis.delete = False
    made.width, made.height = 18, 9
    ws.add_chart(made, anchor)


def _provenance_sheet(ws: "Worksheet", report: "Report", names: list[str]) -> None:
    heads = ("章节", "行", "指标", "数值", IDS_HEADER)
    for col, head in enumerate(heads, 1):
        _put(ws, 1, col, head, bold=True)
    ws.freeze_panes = "A2"
    r = 1

    def emit(sheet: str, row_label: Any, column: str, value: Any, ids: tuple[int, ...]) -> bool:
        nonlocal r
        for i in ids:
            if r >= ROW_LIMIT:
                _put(ws, r + 1, 1, f"…超过{ROW_LIMIT}行,其余从略:请按章节缩小报告期。")
                return False
            r += 1
            for col, v in enumerate((sheet, row_label, column, value, i), 1):
                _put(ws, r, col, v)
        return True

    for (_plugin, section), name in zip(report.sections(), names):
        for label, fig in section.headline:
            if not emit(name, "要点", label, fig.value, fig.decision_ids):
                return
        for row in section.table.rows:
            label = next((c for c in row.cells if isinstance(c, str)), "")
            for column, cell in zip(section.table.columns, row.cells):
                if isinstance(cell, Figure) and not emit(name, label, column, cell.value, cell.decision_ids):
                    return
            if row.decision_ids and not emit(name, label, "(本行)", None, row.decision_ids):
                return
    _widths(ws, {1: 24, 2: 20, 3: 16, 4: 10, 5: 10})


def _decisions_sheet(ws: "Worksheet", report: "Report") -> None:
    heads = ("决策编号", "命令", "依据日期", "对象类型", "对象", "结论", "规则", "依据文件", "条款", "说明", "运行")
    for col, head in enumerate(heads, 1):
        _put(ws, 1, col, head, bold=True)
    ws.freeze_panes = "A2"
    for r, (d, run) in enumerate(report.referenced()[:ROW_LIMIT], 2):
        values = (d.decision_id, run.command, run.as_of, d.subject_kind, d.subject_id, summarise_outcome(d.outcome), d.rule_id,
                  d.citation.document, d.citation.clause, d.explanation, run.run_id)
        for col, value in enumerate(values, 1):
            _put(ws, r, col, value)
    _widths(ws, {1: 8, 2: 10, 3: 11, 4: 12, 5: 16, 6: 40, 7: 30, 8: 30, 9: 14, 10: 60, 11: 36})
