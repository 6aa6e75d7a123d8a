"""`zhidu report PERIOD` and the ``report_sections`` hook: a third-party plugin (registered through a
real entry point) gets only its own committed decisions of runs decided as of a day in the period,
its sections go into the workbook and the page with every figure's decision ids, and a section
that breaks the contract is an error naming the plugin, with nothing written."""

import textwrap
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from zhidu.cli import cli
from zhidu.core.decisions import Citation, Decision
from zhidu.core.plugins import available_plugins
from zhidu.core.reportspec import Figure, PeriodDecisions, RunOf, parse_report_period

TEXTILE = '''
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from marshmallow import fields

from zhidu import hookimpl
from zhidu.core.commandspecs import DecisionCommand
from zhidu.core.decisions import Citation, Rule
from zhidu.core.fields import Code, LocalDate, RecordSchema, zh
from zhidu.core.kinds import RecordKind
from zhidu.core.reportspec import Chart, Figure, ReportSection, Row, Series, Table

__version__ = "0.3"

VISIT_DUE = Rule("textile.visit_due", Citation("某纺织厂客户维护制度", "第五条"), "重点客户每月至少回访一次")


@dataclass(slots=True)
class Contact:
    code: str
    customer_code: str
    contacted_on: date
    channel: str


class ContactSchema(RecordSchema):
    record_class = Contact
    code = fields.String(required=True, validate=Code, **zh("记录编号"))
    customer_code = fields.String(required=True, validate=Code, **zh("客户编码"))
    contacted_on = LocalDate(required=True, **zh("联系日期"))
    channel = fields.String(required=True, **zh("联系方式"))


def overdue(contacts, context):
    return [VISIT_DUE.decide("contact", c.code, {"overdue": (context.as_of - c.contacted_on).days > 30},
                             f"客户{c.customer_code}最近一次联系在{c.contacted_on:%m月%d日}。") for c in contacts]


@hookimpl
def rule_catalogue():
    return [VISIT_DUE]


@hookimpl
def record_kinds():
    return [RecordKind("contact", "客户联系记录", ContactSchema, ("code",), "code")]


@hookimpl
def decision_commands():
    return [DecisionCommand("revisit", "回访检查", "contact", decide=overdue, outcome_keys=("overdue",))]


@hookimpl
def report_sections(period, decisions, context):
    mode = os.environ.get("TEXTILE_REPORT", "ok")
    seen = Row((f"{period.code} {period.start} {period.end} as_of={context.as_of} n={len(decisions)}",
                "; ".join(f"{decisions.run_of(d).command}@{decisions.run_of(d).as_of}:{d.subject_id}" for d in decisions), Figure(0)))
    current = decisions.current("revisit")
    late = [d for d in current if d.outcome["overdue"]]
    rows = [seen] + [Row((d.subject_id, d.inputs["channel"], Figure.of([d]))) for d in current]
    if mode == "float":
        rows.append(Row(("bad", "", Figure(1.5, (current[0].decision_id,)))))
    if mode == "stray":
        rows.append(Row(("bad", "", Figure(1, (987654,)))))
    if mode == "bare":
        rows.append(Row(("bad", "", Figure(3))))
    if mode == "raise":
        raise ZeroDivisionError("division by zero")
    chart = Chart("line" if mode == "line" else "bar", ("超期", "按时"),
                  (Series("次数", (Figure.of(late), Figure.of([d for d in current if not d.outcome["overdue"]]))),), title="回访")
    return [ReportSection("回访检查", Table(("对象", "方式", "次数"), tuple(rows)), chart, "本期回访检查。",
                          (("超期", Figure.of(late)),))]
'''


@pytest.fixture
def textile(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "textile_report.py").write_text(textwrap.dedent(TEXTILE), encoding="utf-8")
    info = site / "textile_report-0.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: textile-report\nVersion: 0.3\n")
    (info / "entry_points.txt").write_text("[zhidu.plugins]\ntextile = textile_report\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.chdir(tmp_path)
    for name in ("ZHIDU_PROFILE", "ZHIDU_PLUGINS", "ZHIDU_TRACE", "TEXTILE_REPORT"):
        monkeypatch.delenv(name, raising=False)
    available_plugins.cache_clear()
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "mill", "--company", "华纺纺织厂", "--plugins", "textile", "--dir", str(tmp_path)]).exit_code == 0
    profile = str(tmp_path / "mill.toml")
    (tmp_path / "contacts.csv").write_text(
        "记录编号,客户编码,联系日期,联系方式\nK1,C01,2026-08-01,=HYPERLINK(\"http://x\")\nK2,C02,2026-10-15,<script>alert(1)</script>\n",
        encoding="utf-8")

    def zhidu(*args, ok=True):
        result = runner.invoke(cli, ["--profile", profile, *args], obj={})
        if ok:
            assert result.exit_code == 0, result.output
        return result

    zhidu("import", "contact", "contacts.csv")
    zhidu("revisit", "--as-of", "2026-09-30", "-f", "jsonl")   # Q3: K1 late, K2 on time
    zhidu("revisit", "--as-of", "2026-10-20", "-f", "jsonl")   # Q4
    zhidu("revisit", "--as-of", "2026-12-01", "-f", "jsonl")   # Q4 again: the latest counts
    yield tmp_path, zhidu
    available_plugins.cache_clear()


def _sheet_rows(path, sheet):
    return [list(r) for r in load_workbook(path)[sheet].iter_rows(values_only=True)]


def test_hook_report_sections_gets_its_period_decisions_and_fills_workbook_and_page(textile):
    folder, zhidu = textile
    out = zhidu("report", "2026Q4", "--dir", "out")
    xlsx, html = folder / "out" / "华纺纺织厂-2026Q4报告.xlsx", folder / "out" / "华纺纺织厂-2026Q4报告.html"
    assert xlsx.exists() and html.exists() and "out/华纺纺织厂-2026Q4报告.xlsx" in out.output
    book = load_workbook(xlsx)
    assert book.sheetnames == ["汇总", "回访检查", "依据", "决策"]
    rows = _sheet_rows(xlsx, "回访检查")
    header = rows.index(["对象", "方式", "次数", "决策编号"] + [None] * (len(rows[4]) - 4))
    seen = rows[header + 1]
    # Only the two Q4 runs (as of 10-20 and 12-01), not the Q3 one; the context is as of the last day.
    assert seen[0] == "2026Q4 2026-10-01 2026-12-31 as_of=2026-12-31 n=4"
    assert seen[1] == "revisit@2026-10-20:K1; revisit@2026-10-20:K2; revisit@2026-12-01:K1; revisit@2026-12-01:K2"
    k1, k2 = rows[header + 2], rows[header + 3]
    # current(): the 12-01 run's decisions (ids 5 and 6), each figure's ids beside it.
    assert (k1[0], k1[2], k1[3]) == ("K1", 1, "5") and (k2[0], k2[3]) == ("K2", "6")
    assert k1[1] == "'=HYPERLINK(\"http://x\")"  # formula injection escaped
    assert len(book["回访检查"]._charts) == 1
    summary = _sheet_rows(xlsx, "汇总")
    assert ["textile", "0.3", 4, 2, "revisit 4"] in summary
    assert ["textile", "回访检查", "超期", 2, "5, 6"] in summary
    provenance = _sheet_rows(xlsx, "依据")
    assert ["回访检查", "K1", "次数", 1, 5] in provenance
    listed = {r[0] for r in _sheet_rows(xlsx, "决策")[1:]}
    assert listed == {5, 6}
    page = html.read_text(encoding="utf-8")
    assert '<tr id="d5">' in page and 'href="#d5"' in page and 'data-chart-kind="bar"' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    explained = zhidu("explain", "5")
    assert "某纺织厂客户维护制度 第五条" in explained.output


def test_a_month_and_one_file_by_its_suffix(textile):
    folder, zhidu = textile
    zhidu("report", "2026-09", "-o", "sep.xlsx")
    assert (folder / "sep.xlsx").exists() and not list(folder.glob("*.html"))
    rows = _sheet_rows(folder / "sep.xlsx", "回访检查")
    assert any(r[0] == "2026-09 2026-09-01 2026-09-30 as_of=2026-09-30 n=2" for r in rows)
    zhidu("report", "2026", "-o", "year.html")
    assert 'data-chart-kind="bar"' in (folder / "year.html").read_text(encoding="utf-8")


def test_a_line_chart_is_drawn_natively_and_by_plotly(textile, monkeypatch):
    folder, zhidu = textile
    monkeypatch.setenv("TEXTILE_REPORT", "line")
    zhidu("report", "2026Q4", "-o", "q4.xlsx")
    zhidu("report", "2026Q4", "-o", "q4.html")
    chart = load_workbook(folder / "q4.xlsx")["回访检查"]._charts[0]
    assert type(chart).__name__ == "LineChart"
    assert '"type":"scatter"' in (folder / "q4.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("mode, message", [
    ("float", "a figure's value must be an int or Decimal"),
    ("stray", "987654 are not among the plugin's committed decisions of the period"),
    ("bare", "the figure 3 names no decision"),
    ("raise", "report_sections raised ZeroDivisionError"),
])
def test_a_section_breaking_the_contract_names_the_plugin_and_writes_nothing(textile, monkeypatch, mode, message):
    folder, zhidu = textile
    monkeypatch.setenv("TEXTILE_REPORT", mode)
    result = zhidu("report", "2026Q4", "--dir", "bad", ok=False)
    assert result.exit_code == 1
    assert "plugin 'textile'" in result.output and message in result.output
    assert not list((folder / "bad").glob("*.*")) and not list((folder / "bad").glob(".*"))


def test_bad_periods_and_targets_are_usage_errors(textile):
    _folder, zhidu = textile
    bad = zhidu("report", "2026Q5", ok=False)
    assert bad.exit_code == 2 and "2026Q3" in bad.output
    assert "workbook (.xlsx) or an HTML page (.html)" in zhidu("report", "2026", "-o", "r.pdf", ok=False).output
    assert "not both" in zhidu("report", "2026", "-o", "r.xlsx", "--dir", "x", ok=False).output


@pytest.mark.parametrize("text, code, start, end, label", [
    ("2026-08", "2026-08", date(2026, 8, 1), date(2026, 8, 31), "2026年8月"),
    ("2026-2", "2026-02", date(2026, 2, 1), date(2026, 2, 28), "2026年2月"),
    ("2026q3", "2026Q3", date(2026, 7, 1), date(2026, 9, 30), "2026年第三季度"),
    ("2026H1", "2026H1", date(2026, 1, 1), date(2026, 6, 30), "2026年上半年"),
    ("2026-H2", "2026H2", date(2026, 7, 1), date(2026, 12, 31), "2026年下半年"),
    ("2026", "2026", date(2026, 1, 1), date(2026, 12, 31), "2026年度"),
])
def test_report_periods(text, code, start, end, label):
    period = parse_report_period(text)
    assert (period.code, period.start, period.end, period.label_zh) == (code, start, end, label)
    assert period.months[0] == f"{start:%Y-%m}" and period.months[-1] == f"{end:%Y-%m}"


def _decision(i, subject, **outcome):
    return Decision("customer", subject, outcome, "p.rule", Citation("文件", "第一条"), "说明", decision_id=i)


def test_current_keeps_the_latest_run_per_subject_or_per_key():
    run1, run2 = RunOf("classify", "r1", date(2026, 7, 5)), RunOf("classify", "r2", date(2026, 8, 5))
    items = [(_decision(1, "A", month="2026-06"), run1), (_decision(2, "B", month="2026-06"), run1),
             (_decision(3, "A", month="2026-07"), run2), (_decision(4, "C", month="2026-07"), RunOf("route", "r3", date(2026, 8, 6)))]
    decisions = PeriodDecisions(list(reversed(items)))
    assert [d.decision_id for d in decisions] == [1, 2, 3, 4]
    assert [d.decision_id for d in decisions.current("classify")] == [2, 3]
    assert [d.decision_id for d in decisions.current("classify", key=lambda d: (d.subject_id, d.outcome["month"]))] == [1, 2, 3]
    assert [d.decision_id for d in decisions.current()] == [2, 3, 4]
    assert [d.decision_id for d in decisions.of("route")] == [4] and decisions.run_of(decisions[3]).run_id == "r3"
    assert Figure.of([decisions[2], decisions[0]]) == Figure(2, (1, 3))
    assert Figure.of([decisions[0]], Decimal("7.50")).value == Decimal("7.50")
