"""petrochem's sections of `zhidu report PERIOD`: the tier distribution and the level changes
(第九条(二), 第十六条), and complaints handled on time or late (第十四条).

Built from the period's committed decisions only (``PeriodDecisions``); every figure carries the
ids of the decisions it counts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ...core.decisions import Decision
from ...core.reportspec import Chart, Figure, PeriodDecisions, ReportPeriod, ReportSection, Row, Series, Table
from .vocabulary import LEVEL_LABELS, LEVELS, SEGMENTS, SEVERITY_LABELS

_RANK = {level: n for n, level in enumerate(LEVELS)}
_ORDER = tuple(reversed(LEVELS)) + tuple(SEGMENTS)  # 三星 first, other product lines' classes last
CHANGES = (("up", "升级"), ("down", "降级"), ("same", "维持"), ("initial", "首次定级"))
STATUSES = (("resolved_on_time", "按时办结"), ("resolved_late", "超期办结"), ("open_overdue", "超期未办结"), ("open", "办理中(未超期)"))


def sections(period: ReportPeriod, decisions: PeriodDecisions) -> list[ReportSection]:
    return [tier_distribution(decisions), level_changes(decisions), complaints(period, decisions)]


def _label(level: Any) -> str:
    if not level:
        return "未定级"
    return LEVEL_LABELS.get(level) or SEGMENTS.get(level) or str(level)


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP) if whole else Decimal("0.0")


def tier_distribution(decisions: PeriodDecisions) -> ReportSection:
    """How many customers stand at each level, by the latest classify run of the period."""
    current = decisions.current("classify")
    latest: dict[str, Decision] = {}
    for d in current:
        latest[d.subject_id] = d
    groups: dict[Any, list[Decision]] = defaultdict(list)
    for d in latest.values():
        groups[d.outcome.get("level")].append(d)
    order = [lvl for lvl in _ORDER if lvl in groups] + sorted((k for k in groups if k not in _ORDER and k), key=str)
    if None in groups:
        order.append(None)
    total = len(latest)
    rows, labels, counts = [], [], []
    for level in order:
        fig = Figure.of(groups[level])
        share = Figure(_percent(fig.value, total), fig.decision_ids)  # type: ignore[arg-type]
        rows.append(Row((_label(level), fig, share)))
        labels.append(_label(level))
        counts.append(fig)
    everyone = Figure.of(list(latest.values()))
    if rows:
        rows.append(Row(("合计", everyone, Figure(Decimal("100.0") if total else Decimal("0.0"), everyone.decision_ids))))
    top = [f for lvl, f in zip(order, counts) if lvl == "star3"]
    return ReportSection(
        title="客户级别分布",
        description="本期最后一次 classify 运行评定的每位客户的级别(第九条(二)分级,第十六条评审);一位客户计一次。",
        table=Table(("客户级别", "客户数", "占比(%)"), tuple(rows)),
        chart=Chart("pie", tuple(labels), (Series("客户数", tuple(counts)),), title="客户级别分布") if rows else None,
        headline=(("评定级别的客户", everyone), ("三星客户", top[0] if top else Figure(0))),
    )


def _change(outcome: dict[str, Any]) -> str:
    change = outcome.get("change")
    if change in ("up", "down", "same", "initial"):
        return change
    before, after = outcome.get("previous_level"), outcome.get("level")
    if not before:
        return "initial"
    if before == after:
        return "same"
    if before in _RANK and after in _RANK:
        return "up" if _RANK[after] > _RANK[before] else "down"
    return "up" if outcome.get("changed") else "same"


def _reviewed(d: Decision) -> Any:
    """What one classify decision reviews: the period (2026Q3) or the month of a plain run."""
    return d.outcome.get("period") or d.outcome.get("month")


def level_changes(decisions: PeriodDecisions) -> ReportSection:
    """Level moves of the period's classify runs, one per customer and reviewed month or period
    (a re-run of the same review counts once: its latest run)."""
    current = [d for d in decisions.current("classify", key=lambda d: (d.subject_id, _reviewed(d))) if d.outcome.get("level")]
    by_change: dict[str, list[Decision]] = defaultdict(list)
    moves: dict[tuple[str, Any, Any], list[Decision]] = defaultdict(list)
    for d in current:
        change = _change(d.outcome)
        by_change[change].append(d)
        moves[(change, d.outcome.get("previous_level"), d.outcome.get("level"))].append(d)
    names = dict(CHANGES)
    order = {c: n for n, (c, _name) in enumerate(CHANGES)}
    rows = []
    for (change, before, after), items in sorted(moves.items(), key=lambda kv: (order[kv[0][0]], -len(kv[1]), _label(kv[0][1]), _label(kv[0][2]))):
        rows.append(Row((names[change], _label(before) if before else "—", _label(after), Figure.of(items))))
    held = [d for d in current if d.outcome.get("held_back")]
    figures = {c: Figure.of(by_change.get(c, [])) for c, _name in CHANGES}
    return ReportSection(
        title="客户级别变动",
        description="本期 classify 运行的升降级(第九条(二)“依次升降”):每位客户每个评审期(或月份)计一次,同一评审重跑以最后一次为准;"
                    "“首次定级”为此前没有级别可比。",
        table=Table(("变动", "原级别", "新级别", "客户数"), tuple(rows)),
        chart=Chart("bar", tuple(name for _c, name in CHANGES), (Series("客户数", tuple(figures[c] for c, _n in CHANGES)),),
                    title="级别变动", y_title="客户数") if rows else None,
        headline=(("升级", figures["up"]), ("降级", figures["down"]), ("因提货完成率暂缓升级", Figure.of(held))),
    )


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def complaints(period: ReportPeriod, decisions: PeriodDecisions) -> ReportSection:
    """Complaints received in the period, on time or late, by the latest route run of the period."""
    latest: dict[str, Decision] = {}
    for d in decisions.current("route"):
        received = _day(d.outcome.get("received_at"))
        if received is None or period.contains(received):
            latest[d.subject_id] = d  # a complaint routed in steps: its last step tells its state
    by_severity: dict[str, dict[str, list[Decision]]] = defaultdict(lambda: defaultdict(list))
    by_month: dict[str, dict[str, list[Decision]]] = defaultdict(lambda: defaultdict(list))
    for d in latest.values():
        status = str(d.outcome.get("status") or "open")
        by_severity[str(d.outcome.get("severity") or "")][status].append(d)
        received = _day(d.outcome.get("received_at"))
        month = f"{received.year:04d}-{received.month:02d}" if received else ""
        by_month[month]["late" if status in ("resolved_late", "open_overdue") else status].append(d)
    rows = []
    severities = [s for s in SEVERITY_LABELS if s in by_severity] + sorted(s for s in by_severity if s not in SEVERITY_LABELS)
    for severity in severities + (["__all__"] if by_severity else []):
        groups = {s: [d for sev in (severities if severity == "__all__" else [severity]) for d in by_severity[sev].get(s, [])]
                  for s, _name in STATUSES}
        every = [d for items in groups.values() for d in items]
        name = "合计" if severity == "__all__" else SEVERITY_LABELS.get(severity, severity or "未注明")
        rows.append(Row((name, Figure.of(every), *(Figure.of(groups[s]) for s, _n in STATUSES))))
    months = list(period.months)
    labels = tuple(f"{int(m[5:])}月" if period.kind != "month" else f"{m[:4]}年{int(m[5:])}月" for m in months)
    chart = Chart("bar", labels, (
        Series("按时办结", tuple(Figure.of(by_month[m].get("resolved_on_time", [])) for m in months)),
        Series("超期(办结或未办结)", tuple(Figure.of(by_month[m].get("late", [])) for m in months)),
        Series("办理中(未超期)", tuple(Figure.of(by_month[m].get("open", [])) for m in months)),
    ), title="按受理月份的投诉时效", y_title="投诉数") if latest else None
    everyone = list(latest.values())
    on_time = [d for d in everyone if d.outcome.get("status") == "resolved_on_time"]
    late = [d for d in everyone if d.outcome.get("status") in ("resolved_late", "open_overdue")]
    return ReportSection(
        title="投诉处理时效",
        description="本期受理(按投诉时间)的投诉,按本期最后一次 route 运行判定的状态:是否在第十四条的工作日时限内处理完毕;"
                    "未处理完毕的,以该次运行的依据日期判断是否已超期。",
        table=Table(("投诉级别", "投诉数", *(name for _s, name in STATUSES)), tuple(rows)),
        chart=chart,
        headline=(("本期受理投诉", Figure.of(everyone)), ("按时办结", Figure.of(on_time)), ("超期", Figure.of(late))),
    )
