"""The period report as one self-contained HTML page: plotly charts (plotly.js inlined once, so the
page opens offline and can be forwarded as a single file), the sections' tables with each figure's
decision ids as links to the page's own decision list, and a CJK font stack named first so Chinese
renders with a real CJK font (Noto Sans CJK from Debian's fonts-noto-cjk, else the system's)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any

from .output import summarise_outcome
from .reportspec import Chart, Figure, ReportSection, figure_ids, figure_value

if TYPE_CHECKING:  # pragma: no cover
    from .report import Report

# The first family is the one Debian's fonts-noto-cjk installs (the browser test checks fc-list for it).
CJK_FONT = "Noto Sans CJK SC"
FONT_STACK = f'"{CJK_FONT}", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
INLINE_IDS = 12  # more ids than this fold into a <details> list
LINKED_IDS = 500  # a figure over more decisions links the first ones and names the workbook's 依据 sheet
LISTED_DECISIONS = 5000  # the page's decision list; the workbook's 决策 sheet has them all

CSS = """
body { font-family: %(font)s; margin: 24px auto; padding: 0 24px; max-width: 1180px; color: #1f2933; line-height: 1.5; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 36px; border-bottom: 2px solid #d9e2ec; }
.meta, .note { color: #52606d; font-size: 13px; margin: 2px 0; }
table { border-collapse: collapse; margin: 10px 0 18px; font-size: 14px; }
th, td { border: 1px solid #d9e2ec; padding: 4px 10px; vertical-align: top; text-align: left; }
th { background: #f0f4f8; } td.num { text-align: right; white-space: nowrap; }
.ids { font-size: 11px; color: #829ab1; white-space: normal; max-width: 260px; }
.ids a, a.sec { color: #2680c2; text-decoration: none; }
.chart { width: 100%%; max-width: 900px; height: 380px; }
table.decisions td:nth-child(6) { max-width: 520px; }
tr:target { background: #fff3c4; }
"""


def write_html(report: "Report", path: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(render_html(report))


def render_html(report: "Report") -> str:
    from plotly.offline import get_plotlyjs

    p = report.period
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{CSS % {'font': FONT_STACK}}</style>",
        f'<script type="text/javascript">{get_plotlyjs()}</script>',
        "</head><body>",
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="meta">报告期:{escape(p.label_zh)}({p.start.isoformat()} 至 {p.end.isoformat()});'
        f"生成时间:{escape(report.generated_at.strftime('%Y-%m-%d %H:%M'))}({escape(report.timezone)})</p>",
        '<p class="meta">统计口径:决策依据日期(as_of)在报告期内的已提交运行所作的决策;同一对象在本期被多次决策的,以本期最后一次运行为准。'
        "每个数字下方的编号链接到本页末尾的决策清单,也可运行 <code>zhidu explain 编号</code> 查看规则、条款、说明与输入。</p>",
        _summary(report),
    ]
    for n, (plugin, section) in enumerate(report.sections(), 1):
        parts.append(_section(n, plugin, section))
    parts.append(_decision_list(report))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _summary(report: "Report") -> str:
    rows = []
    for part in report.parts:
        by_command = "、".join(f"{escape(c)} {n}" for c, n in sorted(part.commands().items())) or "本期无决策"
        rows.append(f"<tr><td>{escape(part.plugin)}</td><td>{escape(part.version)}</td><td class=\"num\">{len(part.decisions)}</td>"
                    f"<td class=\"num\">{part.runs()}</td><td>{by_command}</td></tr>")
    html = ['<section id="summary"><h2>汇总</h2>',
            "<table><thead><tr><th>插件</th><th>版本</th><th>本期决策数</th><th>运行次数</th><th>各命令决策数</th></tr></thead>",
            f"<tbody>{''.join(rows)}</tbody></table>"]
    heads = []
    for n, (plugin, section) in enumerate(report.sections(), 1):
        items: list[tuple[str, Figure | None]] = list(section.headline) or [("行数", None)]
        for label, fig in items:
            value = _number(fig) if fig is not None else str(len(section.table.rows))
            ids = _ids(fig.decision_ids) if fig is not None else ""
            heads.append(f'<tr><td>{escape(plugin)}</td><td><a class="sec" href="#section-{n}">{escape(section.title)}</a></td>'
                         f'<td>{escape(label)}</td><td class="num">{value}{ids}</td></tr>')
    if heads:
        html.append("<table><thead><tr><th>插件</th><th>章节</th><th>要点</th><th>数值</th></tr></thead>"
                    f"<tbody>{''.join(heads)}</tbody></table>")
    else:
        html.append('<p class="note">启用的插件本期没有报告章节。</p>')
    html.append("</section>")
    return "\n".join(html)


def _section(n: int, plugin: str, section: ReportSection) -> str:
    html = [f'<section id="section-{n}" class="report-section" data-plugin="{escape(plugin)}">',
            f"<h2>{escape(section.title)}</h2>"]
    if section.description:
        html.append(f'<p class="note">{escape(section.description)}</p>')
    if section.chart is not None and section.chart.labels:
        html.append(_chart(f"chart-{n}", section.chart))
    table = section.table
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns) + "<th>决策编号</th>"
    body = []
    for row in table.rows:
        cells = "".join(_cell(c) for c in row.cells)
        body.append(f"<tr>{cells}<td>{_ids(row.all_ids, inline=True)}</td></tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(table.columns) + 1}">本期没有相关决策。</td></tr>')
    html.append(f'<table class="report-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')
    html.append("</section>")
    return "\n".join(html)


def _number(value: Any) -> str:
    value = figure_value(value)
    if isinstance(value, Decimal):
        return escape(f"{value:,}")
    return escape(str(value))


def _cell(cell: Any) -> str:
    if isinstance(cell, Figure):
        return f'<td class="num">{_number(cell)}{_ids(cell.decision_ids)}</td>'
    if isinstance(cell, (int, Decimal)):
        return f'<td class="num">{_number(cell)}</td>'
    if isinstance(cell, date):
        return f"<td>{cell.isoformat()}</td>"
    return f"<td>{escape('' if cell is None else str(cell))}</td>"


def _ids(ids: tuple[int, ...] | list[int], inline: bool = False) -> str:
    """Decision ids as links to the decision list below (a long list folds)."""
    if not ids:
        return ""
    links = " ".join(f'<a href="#d{i}">#{i}</a>' for i in ids[:LINKED_IDS])
    if len(ids) > LINKED_IDS:
        links += f" …(其余 {len(ids) - LINKED_IDS} 条见工作簿的“依据”表)"
    if len(ids) > INLINE_IDS:
        links = f"<details><summary>{len(ids)} 条决策</summary>{links}</details>"
    tag = "span" if inline else "div"
    return f'<{tag} class="ids">{links}</{tag}>'


def _chart(div_id: str, chart: Chart) -> str:
    import plotly.graph_objects as go
    import plotly.io as pio

    labels = [escape(label) for label in chart.labels]
    fig = go.Figure()
    for series in chart.series:
        values = [_plot_number(figure_value(v)) for v in series.values]
        ids = [", ".join(f"#{i}" for i in figure_ids(v)[:20]) + (" …" if len(figure_ids(v)) > 20 else "") for v in series.values]
        name = escape(series.name)
        if chart.kind == "pie":
            fig.add_trace(go.Pie(labels=labels, values=values, name=name, customdata=ids, sort=False,
                                 hovertemplate="%{label}: %{value}(%{percent})<br>决策 %{customdata}<extra></extra>"))
        elif chart.kind == "line":
            fig.add_trace(go.Scatter(x=labels, y=values, name=name, mode="lines+markers", customdata=ids,
                                     hovertemplate="%{x}: %{y}<br>决策 %{customdata}<extra>%{fullData.name}</extra>"))
        else:
            fig.add_trace(go.Bar(x=labels, y=values, name=name, customdata=ids, text=values, textposition="auto",
                                 hovertemplate="%{x}: %{y}<br>决策 %{customdata}<extra>%{fullData.name}</extra>"))
    fig.update_layout(
        title=escape(chart.title) if chart.title else None, template="plotly_white", height=380,
        font={"family": FONT_STACK, "size": 13}, margin={"l": 50, "r": 20, "t": 50 if chart.title else 20, "b": 50},
        barmode="group", showlegend=chart.kind == "pie" or len(chart.series) > 1,
    )
    if chart.kind != "pie":
        counts = [figure_value(v) for s in chart.series for v in s.values]
        if all(isinstance(v, int) for v in counts) and max(counts, default=0) <= 10:
            fig.update_yaxes(dtick=1, rangemode="tozero")  # counts: no 0.5 ticks
        if chart.y_title:
            fig.update_yaxes(title_text=escape(chart.y_title))
    graph = pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id, default_height="380px",
                        config={"displaylogo": False, "responsive": True})
    spec = json.dumps({"kind": chart.kind, "labels": list(chart.labels), "series": [s.name for s in chart.series]}, ensure_ascii=False)
    return f'<div class="chart" data-chart-kind="{chart.kind}" data-chart-spec="{escape(spec)}">{graph}</div>'


def _plot_number(value: Any) -> int | float:
    return value if isinstance(value, int) else float(value)  # a chart's scale only; tables keep exact Decimals


def _decision_list(report: "Report") -> str:
    rows = []
    referenced = report.referenced()
    for d, run in referenced[:LISTED_DECISIONS]:
        rows.append(
            f'<tr id="d{d.decision_id}"><td class="num">{d.decision_id}</td><td>{escape(run.command)}</td><td>{run.as_of.isoformat()}</td>'
            f"<td>{escape(d.subject_kind)} {escape(d.subject_id)}</td><td>{escape(d.rule_id)}<br>{escape(str(d.citation))}</td>"
            f"<td>{escape(d.explanation)}<div class=\"ids\">{escape(summarise_outcome(d.outcome))}</div></td></tr>"
        )
    if not rows:
        rows.append('<tr><td colspan="6">本报告没有引用决策。</td></tr>')
    if len(referenced) > LISTED_DECISIONS:
        rows.append(f'<tr><td colspan="6">……另有 {len(referenced) - LISTED_DECISIONS} 条决策未在此列出:见工作簿的“决策”表,'
                    "或运行 <code>zhidu explain 编号</code>。</td></tr>")
    return ('<section id="decisions"><h2>决策清单</h2>'
            '<p class="note">报告中每个数字所依据的决策;<code>zhidu explain 编号</code> 给出完整的输入、参数与指纹。</p>'
            '<table class="decisions"><thead><tr><th>编号</th><th>命令</th><th>依据日期</th><th>对象</th><th>规则与条款</th><th>说明</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></section>")
