"""realestate's report sections: receptions and ownership changes per salesperson from the latest
attribute replay of the period (events that occurred in it; ownership followed through earlier
events), and commission per party for the deals signed in it; over the sample company's database
on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from report_company import make_company
from zhidu.core.decisions import Citation, Decision
from zhidu.core.reportspec import Figure, PeriodDecisions, RunOf, parse_report_period
from zhidu.plugins.realestate.report import commission_by_party, floor_by_salesperson

CITE = Citation("万科房地产销售部客户管理制度", "§7.3")


def _d(i, kind, subject, when, rule="realestate.first_registration", inputs=None, **outcome):
    return Decision(kind, subject, outcome, rule, CITE, "说明", plugin="realestate", decision_id=i,
                    inputs=inputs if inputs is not None else {"occurred_at": when})


def _rows(section):
    return [tuple(c.value if isinstance(c, Figure) else c for c in row.cells) for row in section.table.rows]


def test_ownership_changes_in_the_period_follow_the_replay_from_before_it():
    march = parse_report_period("2026-03")
    old, new = RunOf("attribute", "r1", date(2026, 3, 1)), RunOf("attribute", "r2", date(2026, 3, 31))
    decisions = PeriodDecisions([
        # An earlier replay in the period: superseded by r2, so its decisions do not count.
        (_d(1, "floor_event", "E1", "2026-02-10T10:00:00", rule="realestate.rotation", receiver="张三", counted=True), old),
        (_d(2, "floor_event", "E1", "2026-02-10T10:00:00", rule="realestate.rotation", receiver="张三", counted=True), new),
        (_d(3, "customer", "C1@E2", "2026-02-10T10:05:00", customer="C1", owner="张三"), new),          # February: not counted
        (_d(4, "floor_event", "E3", "2026-03-05T10:00:00", rule="realestate.forgotten_new", receiver="王五", counted=True), new),
        (_d(5, "customer", "C1@E4", "2026-03-05T10:05:00", customer="C1", owner="王五", original="张三"), new),
        (_d(6, "customer", "C1@E5", "2026-03-06T10:00:00", customer="C1", owner="王五", registrant="李四", effective=False), new),
        (_d(7, "customer", "C2@E6", "2026-03-07T10:00:00", customer="C2", owners=["王五", "李四"]), new),
        (_d(8, "floor_event", "E7", "2026-03-08T10:00:00", rule="realestate.rotation", receiver="李四", counted=False), new),
    ])
    section = floor_by_salesperson(march, decisions)
    assert section.table.columns == ("置业顾问", "接待次数", "其中计入轮序", "取得归属", "失去归属")
    assert _rows(section) == [("李四", 1, 0, 1, 0), ("王五", 1, 1, 2, 0), ("张三", 0, 0, 0, 1), ("合计", 2, 1, 3, 1)]
    by_person = {row.cells[0]: row for row in section.table.rows}
    assert by_person["王五"].cells[3] == Figure(2, (5, 7)) and by_person["张三"].cells[4] == Figure(1, (5,))
    assert section.chart.labels == ("李四", "王五", "张三") and [s.name for s in section.chart.series] == ["接待", "取得归属", "失去归属"]


def test_commission_per_party_for_deals_signed_in_the_period():
    q1 = parse_report_period("2026Q1")
    run = RunOf("commission", "r1", date(2026, 4, 2))

    def deal(i, code, signed, commission, *shares):
        return _d(i, "deal", code, None, rule="realestate.owner_full", inputs={"deal": {"code": code, "signed_at": signed}},
                  commission=commission, shares=[{"party": p, "role": r, "share": "1", "amount": a} for p, r, a in shares])

    decisions = PeriodDecisions([
        (deal(1, "D1", "2026-03-28T15:00:00", "12000.00", ("张三", "original_salesperson", "6000.00"), ("王五", "new_salesperson", "6000.00")), run),
        (deal(2, "D2", "2026-02-01T10:00:00", "6000.00", ("pending", "escalated", "6000.00")), run),
        (deal(3, "D3", "2026-04-01T10:00:00", "9000.00", ("王五", "salesperson", "9000.00")), run),  # Q2
        (deal(4, "D4", "2026-01-15T10:00:00", "0.01", ("王五", "salesperson+referrer", "0.01")), run),
    ])
    section = commission_by_party(q1, decisions)
    assert _rows(section) == [("王五", "介绍人、售楼员、新售楼员", 2, Decimal("6000.01")), ("张三", "原售楼员", 1, Decimal("6000.00")),
                              ("暂挂(待裁定)", "待裁定", 1, Decimal("6000.00")), ("合计", "", 3, Decimal("18000.01"))]
    assert section.table.rows[0].cells[3] == Figure(Decimal("6000.01"), (1, 4))
    heads = dict(section.headline)
    assert heads["本期成交佣金(元)"] == Figure(Decimal("18000.01"), (1, 2, 4)) and heads["暂挂佣金(元)"] == Figure(Decimal("6000.00"), (2,))
    assert section.chart.kind == "pie" and section.chart.series[0].values[0] == Figure(Decimal("6000.01"), (1, 4))


def _table(path, sheet):
    rows = [list(r) for r in load_workbook(path)[sheet].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] in ("置业顾问", "分配对象")) + 1
    end = next((i for i in range(start, len(rows)) if rows[i][0] is None), len(rows))
    return {r[0]: r for r in rows[start:end]}


def test_the_sample_companys_report_over_the_database(tmp_path, db_url, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # The sample's floor events and deals are of March 2026; decided as of the end of March.
    zhidu = make_company(tmp_path, "realestate", company="万科示例", as_of=date(2026, 3, 31), database=db_url)
    zhidu("report", "2026Q1", "--dir", ".")
    book = tmp_path / "万科示例-2026Q1报告.xlsx"
    floor = _table(book, "接待与客户归属(按置业顾问)")
    # columns: person, receptions, ids, counted, ids, gained, ids, lost, ids, row ids
    assert {p: (r[1], r[5], r[7]) for p, r in floor.items()} == {
        "王五": (4, 5, 1), "赵六": (3, 3, 0), "张三": (2, 2, 1), "李四": (3, 3, 0), "合计": (12, 13, 2)}
    commission = _table(book, "佣金分配(按分配对象)")
    assert commission["王五"][4] == 13400 and commission["合计"][4] == 57000.01 and commission["公佣"][4] == 5000 and commission["暂挂(待裁定)"][2] == 1
    lost_by_wang = int(floor["王五"][8])
    assert "王五" in zhidu("explain", str(lost_by_wang)).output
    assert (tmp_path / "万科示例-2026Q1报告.html").exists()
    # February: nothing was decided as of a day in it.
    zhidu("report", "2026-02", "-o", "feb.xlsx")
    assert list(_table(tmp_path / "feb.xlsx", "接待与客户归属(按置业顾问)")) == ["本期没有相关决策。"]
