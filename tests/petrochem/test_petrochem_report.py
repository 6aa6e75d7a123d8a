"""petrochem's report sections: the tier distribution (latest level per customer), level changes
(one per customer and reviewed month or period, re-runs counted once) and complaints received in
the period on time or late; over the sample company's database on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from report_company import make_company
from zhidu.core.decisions import Citation, Decision
from zhidu.core.reportspec import Figure, PeriodDecisions, RunOf, parse_report_period
from zhidu.plugins.petrochem.report import complaints, level_changes, tier_distribution

CITE = Citation("石油销售公司化工品客户管理办法", "第九条(二)")


def _d(i, kind, subject, **outcome):
    return Decision(kind, subject, outcome, "petrochem.polyolefin_tier", CITE, "说明", plugin="petrochem", decision_id=i)


def _rows(section):
    return [tuple(c.value if isinstance(c, Figure) else c for c in row.cells) for row in section.table.rows]


def _ids(section, label):
    row = next(r for r in section.table.rows if r.cells[0] == label)
    return row.all_ids


def test_the_tier_distribution_counts_each_customer_once_at_its_latest_level():
    r1, r2 = RunOf("classify", "r1", date(2026, 7, 31)), RunOf("classify", "r2", date(2026, 8, 31))
    decisions = PeriodDecisions([
        (_d(1, "customer", "A", level="star1"), r1), (_d(2, "customer", "B", level="star2"), r1),
        (_d(3, "customer", "A", level="star2"), r2), (_d(4, "customer", "C", level="auction"), r2),
        (_d(5, "customer", "A", level="star3"), RunOf("visits", "r3", date(2026, 9, 1))),  # another command: not a level
    ])
    section = tier_distribution(decisions)
    assert _rows(section) == [("二星客户", 2, Decimal("66.7")), ("网拍客户", 1, Decimal("33.3")), ("合计", 3, Decimal("100.0"))]
    assert _ids(section, "二星客户") == (2, 3) and _ids(section, "合计") == (2, 3, 4)
    assert section.chart.kind == "pie" and section.chart.labels == ("二星客户", "网拍客户")
    assert dict(section.headline)["评定级别的客户"] == Figure(3, (2, 3, 4))


def test_level_changes_count_every_reviewed_month_and_a_rerun_once():
    july = RunOf("classify", "r1", date(2026, 7, 31))
    aug, aug_again = RunOf("classify", "r2", date(2026, 8, 31)), RunOf("classify", "r3", date(2026, 9, 1))
    decisions = PeriodDecisions([
        (_d(1, "customer", "A", level="star2", previous_level="star1", change="up", month="2026-07"), july),
        (_d(2, "customer", "A", level="star1", previous_level="star2", change="down", month="2026-08"), aug),
        (_d(3, "customer", "A", level="star1", previous_level="star2", change="down", month="2026-08"), aug_again),
        (_d(4, "customer", "B", level="ordinary", previous_level=None, changed=False), july),
        (_d(5, "customer", "C", level="star2", previous_level="star2", change="same", held_back=True, period="2026Q3"), aug),
    ])
    section = level_changes(decisions)
    assert _rows(section) == [("升级", "一星客户", "二星客户", 1), ("降级", "二星客户", "一星客户", 1),
                              ("维持", "二星客户", "二星客户", 1), ("首次定级", "—", "普通客户", 1)]
    assert [r.all_ids for r in section.table.rows] == [(1,), (3,), (5,), (4,)]
    heads = dict(section.headline)
    assert heads["升级"] == Figure(1, (1,)) and heads["降级"] == Figure(1, (3,)) and heads["因提货完成率暂缓升级"] == Figure(1, (5,))


def test_complaints_received_in_the_period_by_their_latest_routing():
    q3 = parse_report_period("2026Q3")
    r1, r2 = RunOf("route", "r1", date(2026, 8, 10)), RunOf("route", "r2", date(2026, 9, 30))
    decisions = PeriodDecisions([
        (_d(1, "complaint", "T1", severity="general", status="open", received_at="2026-08-03T09:00:00"), r1),
        (_d(2, "complaint", "T1", severity="general", status="resolved_late", received_at="2026-08-03T09:00:00"), r2),
        (_d(3, "complaint", "T2", severity="major", status="resolved_on_time", received_at="2026-09-12T10:00:00"), r2),
        (_d(4, "complaint", "T3", severity="serious", status="open_overdue", received_at="2026-09-20T10:00:00"), r2),
        (_d(5, "complaint", "T0", severity="general", status="resolved_on_time", received_at="2026-06-30T16:00:00"), r2),  # Q2
    ])
    section = complaints(q3, decisions)
    assert section.table.columns == ("投诉级别", "投诉数", "按时办结", "超期办结", "超期未办结", "办理中(未超期)")
    assert _rows(section) == [("一般", 1, 0, 1, 0, 0), ("较大", 1, 1, 0, 0, 0), ("严重", 1, 0, 0, 1, 0), ("合计", 3, 1, 1, 1, 0)]
    assert _ids(section, "一般") == (2,) and _ids(section, "合计") == (2, 3, 4)
    chart = section.chart
    assert chart.labels == ("7月", "8月", "9月") and [s.name for s in chart.series] == ["按时办结", "超期(办结或未办结)", "办理中(未超期)"]
    assert [v.value for v in chart.series[1].values] == [0, 1, 1]
    heads = dict(section.headline)
    assert heads["本期受理投诉"].value == 3 and heads["超期"] == Figure(2, (2, 4))


def _section_rows(path, sheet):
    """The section table's rows: from below its header to the first empty row."""
    rows = [list(r) for r in load_workbook(path)[sheet].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] in ("客户级别", "投诉级别", "变动")) + 1
    end = next((i for i in range(start, len(rows)) if rows[i][0] is None), len(rows))
    return rows[start:end]


def test_the_sample_companys_report_over_the_database(tmp_path, db_url, monkeypatch):
    monkeypatch.chdir(tmp_path)
    zhidu = make_company(tmp_path, "petrochem", company="华北化工", database=db_url)
    zhidu("report", "2026", "-o", "year.xlsx")
    tiers = {r[0]: r[1] for r in _section_rows(tmp_path / "year.xlsx", "客户级别分布")}
    assert tiers == {"二星客户": 2, "一星客户": 2, "普通客户": 1, "网拍客户": 1, "独家代理商": 1, "直销客户": 1, "合计": 8}
    year = {r[0]: r[1:6] for r in _section_rows(tmp_path / "year.xlsx", "投诉处理时效")}
    assert year["合计"][0] == 4 and year["一般"] == [2, "9, 12", 1, "9", 0]
    # The fourth quarter (the runs decided as of 2026-11-20): only the complaints received in it.
    zhidu("report", "2026Q4", "-o", "q4.xlsx")
    q4 = {r[0]: r[1] for r in _section_rows(tmp_path / "q4.xlsx", "投诉处理时效")}
    assert q4["合计"] == 2
    explained = zhidu("explain", "12")
    assert "TS2026-004" in explained.output
    # Nothing was decided as of a day in the third quarter: empty sections, said so.
    zhidu("report", "2026Q3", "-o", "q3.html")
    page = (tmp_path / "q3.html").read_text(encoding="utf-8")
    assert page.count("本期没有相关决策。") == 3 and "petrochem</td><td>0.1.0</td><td class=\"num\">0</td>" in page
