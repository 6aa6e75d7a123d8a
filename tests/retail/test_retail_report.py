"""retail's sections of `zhidu report PERIOD`, read back from the generated workbook: incidents by
category and person, sanctions issued and awaiting the company, uniform compensation due, VIP
classes, complaints by step and state; every figure's decision ids answer `zhidu explain`."""

import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from report_company import make_company, sheet_table

SANCTIONS = '''
[plugin.retail.parameters.track_sanctions.rewards_penalties]
code = "fine"
label = "罚款"
fine = "50.00"
reference = "奖惩条例第12条"
'''


def ids(cell):
    return [int(x) for x in str(cell).split(", ")] if cell else []


@pytest.fixture
def report(tmp_path):
    zhidu = make_company(tmp_path, "retail")
    # The company sets its 奖惩条例 fine and tries the example VIP thresholds: later runs in the
    # period, so the report counts them and not the first ones.
    profile = tmp_path / "co.toml"
    profile.write_text(profile.read_text(encoding="utf-8") + SANCTIONS, encoding="utf-8")
    conduct = [json.loads(line) for line in zhidu("conduct", "--as-of", "2026-11-20", "-f", "jsonl").stdout.splitlines()]
    zhidu("classify", "--preset", "example", "--as-of", "2026-11-20")
    zhidu("report", "2026-11", "-o", str(tmp_path / "报告.xlsx"))
    return zhidu, load_workbook(tmp_path / "报告.xlsx"), conduct


def test_the_sheets_and_the_incidents_by_category_and_person(report):
    zhidu, wb, conduct = report
    assert {"违纪事件(按类别)", "违纪事件(按人员)", "违纪处罚", "工服赔偿", "VIP顾客分类", "投诉处理环节"} <= set(wb.sheetnames)
    categories = {r["类别"]: r for r in sheet_table(wb["违纪事件(按类别)"], "类别")}
    assert sum(r["合计"] for r in categories.values()) == len(conduct) == 9
    # Only the latest conduct run counts: its decision ids, not the first run's.
    latest = {d["decision_id"] for d in conduct}
    assert {i for r in categories.values() for i in ids(r["合计·决策编号"])} == latest
    assert categories["工服工牌"]["合计"] == 3 and categories["工服工牌"]["已定处罚"] == 2
    assert categories["未对应到条款"]["未对应条款"] == 1  # 大声喧哗并吃零食: two rules, not guessed
    people = {r["工号"]: r for r in sheet_table(wb["违纪事件(按人员)"], "门店")}
    assert people["S003"]["姓名"] == "张伟" and people["S003"]["事件数"] == 3
    assert people["S003"]["已定处罚"] == "口头警告1、罚款1" and people["S003"]["罚款(元)"] == 50
    assert "S004" not in people  # no incident of hers in the month


def test_sanctions_issued_and_those_awaiting_the_companys_rulebook(report):
    zhidu, wb, _conduct = report
    rows = sheet_table(wb["违纪处罚"], "处罚")
    issued = {(r["处罚"], r["依据"]): r for r in rows if r["处罚"] != "尚未配置"}
    assert {k: v["次数"] for k, v in issued.items()} == {("罚款", "企业设定"): 2, ("口头警告", "原文规定"): 1, ("书面警告", "原文规定"): 1}
    assert issued[("罚款", "企业设定")]["罚款(元)"] == 100  # two 奖惩条例 fines of 50.00
    awaiting = {r["依据"]: r["次数"] for r in rows if r["处罚"] == "尚未配置"}
    assert awaiting == {"按行政管理制度": 1, "按有关规定": 1, "严厉处罚(原文未定具体处罚)": 1, "视情节严重给予处罚(原文未定具体处罚)": 1}
    [fine_id, *_] = ids(issued[("罚款", "企业设定")]["次数·决策编号"])
    explained = zhidu("explain", str(fine_id)).output
    assert "罚款50.00元" in explained and "奖惩条例" in explained


def test_uniform_compensation_due_and_what_awaits_a_rate(report):
    _zhidu, wb, _conduct = report
    rows = {r["工号"]: r for r in sheet_table(wb["工服赔偿"], "门店")}
    assert rows["S004"]["应赔金额(元)"] == pytest.approx(239.99) and rows["S004"]["结论"] == "应赔偿"
    assert Decimal(str(rows["S004"]["应赔金额(元)"])) == Decimal("239.99")
    # Damaged through poor care: the rate is the company's and not set, so no amount (not 0).
    assert rows["S102"]["结论"] == "赔偿比例未配置" and rows["S102"]["应赔金额(元)"] is None
    assert "S003" not in rows  # still in use: nothing due


def test_vip_classes_and_complaints_by_step(report):
    zhidu, wb, _conduct = report
    classes = {r["类别"]: r["顾客数"] for r in sheet_table(wb["VIP顾客分类"], "类别")}
    assert sum(classes.values()) == 4 and "分类标准未配置" not in classes  # the example thresholds' run is the latest
    steps = {r["环节"]: r for r in sheet_table(wb["投诉处理环节"], "环节")}
    assert list(steps) == ["听清楚", "问清楚", "跟清楚", "复清楚", "记清楚", "报告"]
    assert all(r["合计"] == 5 for r in steps.values())
    assert steps["报告"]["报告迟延"] == 1 and steps["报告"]["无须报告"] == 4  # C003 reported after the follow-up began
    [late_report] = ids(steps["报告"]["报告迟延·决策编号"])
    assert "C003" in zhidu("explain", str(late_report)).output
    [overdue] = [r for r in wb["汇总"].iter_rows(values_only=True) if r[:3] == ("retail", "投诉处理环节", "超过约定回复时间")]
    assert overdue[3] == 1  # C005: promised 11月16日, no reply
    assert "C005" in zhidu("explain", overdue[4]).output
