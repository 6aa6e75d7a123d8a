"""The plugin's own decision commands: allocate, visits, admit (CSV or JSON in, one JSON decision per
line out), run by the core like classify: checked, stamped, printed, and logged when a database exists."""

import json
import types

import click
import pytest
from click.testing import CliRunner

from zhidu import hookimpl
from petrochem_rows import ADMIT_CSV, FINDINGS_CSV
from zhidu.cli import cli
from zhidu.core.commandspecs import DecisionCommand
from zhidu.core.plugins import PluginError, PolicyPlugins


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No ./zhidu.db nor ZHIDU_* settings from the caller: file mode stays unlogged unless a test says so."""
    monkeypatch.chdir(tmp_path)
    for name in ("ZHIDU_PROFILE", "ZHIDU_PLUGINS", "ZHIDU_TRACE"):
        monkeypatch.delenv(name, raising=False)


def run(args, profile=None):
    """Through the real `zhidu` command line, with only this plugin enabled (or a profile's)."""
    prefix = ["--profile", profile] if profile else ["--plugins", "petrochem"]
    result = CliRunner().invoke(cli, prefix + args, obj={})
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result, lines


def requests_of(lines):
    return [row for row in lines if row["subject_kind"] == "allocation_request"]


def summary_of(lines):
    (summary,) = [row for row in lines if row["subject_kind"] == "allocation"]
    return summary


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig" if name.endswith(".csv") else "utf-8")
    return str(path)


ALLOC_CSV = """客户编码,客户名称,客户类别,申请量,提货完成率,周提货量,暂停业务
X1,丁经销,经销商,1000,80%,,
D1,甲厂,直销客户,500,95%,,否
E1,乙代理,独家代理商,800,0.9,200;200;200;200,
"""


def test_allocate_csv_with_chinese_headers(tmp_path):
    result, lines = run(["allocate", write(tmp_path, "req.csv", ALLOC_CSV), "--available", "1000", "--month", "2026-08"])
    assert result.exit_code == 0, result.output
    assert [(row["subject_id"], row["outcome"]["allocated"]) for row in requests_of(lines)] == [("D1", "500"), ("E1", "500"), ("X1", "0")]
    assert lines[0]["citation"].startswith("石油销售公司化工品客户管理办法 第三条")
    assert lines[0]["plugin"] == "petrochem" and lines[0]["fingerprint"]
    assert "甲厂" in lines[0]["explanation"]
    # The month's summary is a decision of its own (the last line), no longer a line on stderr.
    summary = summary_of(lines)
    assert lines[-1] == summary and summary["subject_id"] == "2026-08"
    assert summary["rule_id"] == "petrochem.resource_allocation" and summary["plugin"] == "petrochem" and summary["fingerprint"]
    assert summary["outcome"]["available"] == "1000" and summary["outcome"]["allocated"] == "1000"
    assert summary["outcome"]["unallocated"] == "0" and summary["outcome"]["requested"] == "2300"
    assert summary["outcome"]["by_class"] == {"direct": "500", "exclusive_agent": "500", "distributor": "0"}
    assert summary["explanation"].startswith("2026年8月可分配1000吨") and "未分配0吨" in summary["explanation"]
    assert summary["inputs"] == {"available": "1000", "month": "2026-08", "requested": "2300"}
    assert "可分配" not in result.stderr
    # Unlogged in file mode without a database.
    assert all(row["decision_id"] is None for row in lines)


def test_allocate_json_with_available_in_the_file(tmp_path):
    data = {"available": "300", "month": "2026-09", "records": [
        {"customer_code": "E1", "name": "乙代理", "segment": "exclusive_agent", "requested": 200},
        {"customer_code": "E2", "name": "丙代理", "segment": "exclusive_agent", "requested": 200},
    ]}
    result, lines = run(["petrochem", "allocate", write(tmp_path, "req.json", json.dumps(data)), "--mode", "pro_rata"])
    assert result.exit_code == 0, result.output
    assert [row["outcome"]["allocated"] for row in requests_of(lines)] == ["150.000", "150.000"]
    assert "本类申请合计400吨超过可分配的300吨,按申请量比例分配150吨" in lines[0]["explanation"]
    summary = summary_of(lines)
    assert summary["subject_id"] == "2026-09" and summary["outcome"]["available"] == "300"
    assert summary["outcome"]["mode"] == "pro_rata" and summary["explanation"].startswith("2026年9月可分配300吨")


def test_allocate_needs_the_available_tonnage(tmp_path):
    result, _ = run(["allocate", write(tmp_path, "req.csv", ALLOC_CSV)])
    assert result.exit_code != 0 and "--available" in result.output


@pytest.mark.parametrize(
    "args, words",
    [
        (["--available", "1000", "--month", "2026年13月"], "'2026年13月' is not a month"),
        (["--available", "1000", "--month", "2026Q3"], "'2026Q3' is not a month"),
        (["--available", "1000", "--month", "2026-13"], "'2026-13' is not a month"),
        (["--available", "一千"], "'一千' is not a tonnage"),
        (["--available", "-5"], "'-5' is not a tonnage"),
        (["--available", "10.0001"], "more than 3 decimal places"),
        (["--available", "100", "--mode", "fair"], "'fair' is not one of"),
    ],
)
def test_bad_option_values_are_a_clear_error(tmp_path, args, words):
    result, lines = run(["allocate", write(tmp_path, "req.csv", ALLOC_CSV), *args])
    assert result.exit_code == 2 and lines == []
    assert words in result.stderr and "Invalid value for '--" in result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"available": "三百"}, "'三百' is not a tonnage"),
        ({"available": "300", "month": "2026年19月"}, "'2026年19月' is not a month"),
        ({"available": "300", "mode": "fair"}, "'fair' is not one of priority, pro_rata"),
    ],
)
def test_bad_values_in_the_json_file_are_a_clear_error(tmp_path, settings, words):
    data = {**settings, "records": [{"customer_code": "E1", "name": "乙代理", "segment": "exclusive_agent", "requested": 200}]}
    result, lines = run(["allocate", write(tmp_path, "req.json", json.dumps(data, ensure_ascii=False))])
    assert result.exit_code == 1 and lines == []
    assert words in result.stderr and "req.json: whole file: column '" in result.stderr  # names the file and the key
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_invalid_rows_are_all_reported_and_nothing_is_decided(tmp_path):
    bad = "客户编码,客户名称,客户类别,申请量\nX1,丁经销,批发商,100\nX2,戊经销,经销商,-5\nX3,己经销,经销商,10\n"
    result, lines = run(["allocate", write(tmp_path, "bad.csv", bad), "--available", "100"])
    assert result.exit_code == 1 and lines == []
    assert "row 2: column '客户类别'" in result.stderr and "批发商" in result.stderr
    assert "row 3: column '申请量'" in result.stderr and "nothing was written" in result.stderr


def test_requested_tonnage_finer_than_a_kilogram_is_refused_not_rounded(tmp_path):
    bad = "客户编码,客户名称,客户类别,申请量\nX1,丁经销,经销商,100.0005\n"
    result, lines = run(["allocate", write(tmp_path, "bad.csv", bad), "--available", "100"])
    assert result.exit_code == 1 and lines == []
    assert "row 2: column '申请量'" in result.stderr and "more than 3 decimal places" in result.stderr


VISITS_CSV = """客户编码,客户单位名称,走访日期,报告单编号,质量,服务态度,产品的知名度
C1,华北塑料,2026-03-01,R1,优良,不好,知名
C1,华北塑料,2026-09-01,R2,一般,一般,知名度较高
"""


def test_visits_scores_and_averages(tmp_path):
    result, lines = run(["visits", write(tmp_path, "v.csv", VISITS_CSV)])
    assert result.exit_code == 0, result.output
    assert [row["rule_id"] for row in lines] == ["petrochem.visit_report_score"] * 2 + ["petrochem.visit_average"]
    assert lines[0]["outcome"]["score"] == "63.33"
    assert lines[2]["outcome"]["average_score"] == "71.67"
    assert lines[2]["inputs"]["reports"][0]["report_code"] == "R1"
    assert lines[0]["inputs"]["report_code"] == "R1" and lines[0]["plugin"] == "petrochem" and lines[0]["fingerprint"]


def test_visits_averages_only_for_a_period(tmp_path):
    result, lines = run(["visits", write(tmp_path, "v.csv", VISITS_CSV), "--period", "2026H2", "--averages-only"])
    assert result.exit_code == 0, result.output
    assert len(lines) == 1 and lines[0]["outcome"]["average_score"] == "80.00"


def test_visits_refuses_an_unknown_answer(tmp_path):
    bad = VISITS_CSV.replace("不好", "还行")
    result, lines = run(["visits", write(tmp_path, "v.csv", bad)])
    assert result.exit_code == 1 and lines == [] and "还行" in result.stderr
    # Refused by the schema against the form's options: the file, row and column are named.
    assert "v.csv: row 2: column '服务态度': '还行' is not an option of the form's 服务态度 row" in result.stderr


def test_visits_bad_period(tmp_path):
    result, _ = run(["visits", write(tmp_path, "v.csv", VISITS_CSV), "--period", "2026Q9"])
    assert result.exit_code == 2 and "2026Q9" in result.output and "Traceback" not in result.output


def test_admit(tmp_path):
    result, lines = run(["admit", write(tmp_path, "a.csv", ADMIT_CSV), "--findings", write(tmp_path, "f.csv", FINDINGS_CSV), "--as-of", "2026-11-20"])
    assert result.exit_code == 0, result.output
    assert [row["outcome"]["admitted"] for row in lines] == [True, False, False]
    assert lines[2]["rule_id"] == "petrochem.disqualification" and lines[2]["outcome"]["findings"][0]["code"] == "RD1"
    assert lines[2]["explanation"] == "西部管业(N3)2026年3月2日经“销售部资质核查记录”认定其提供虚假信息,有欺诈、严重失信等行为(RD1),按第十七条(一)取消其客户资格,不予准入。"
    assert lines[1]["outcome"]["unmet"][0]["condition"] == "production_scale"
    # Without the findings nothing disqualifies: a row cannot tick 第十七条 for itself.
    _, bare = run(["admit", write(tmp_path, "a.csv", ADMIT_CSV), "--as-of", "2026-11-20"])
    assert [row["outcome"]["admitted"] for row in bare] == [True, False, True]
    # Decided as on a day before the finding was made, it does not count yet.
    _, before = run(["admit", str(tmp_path / "a.csv"), "--findings", str(tmp_path / "f.csv"), "--as-of", "2026-03-01"])
    assert before[2]["outcome"]["admitted"] is True


def test_a_bad_finding_is_refused_by_row_and_column(tmp_path):
    bad = FINDINGS_CSV.replace("提供虚假信息或欺诈失信", "态度不好")
    result, lines = run(["admit", write(tmp_path, "a.csv", ADMIT_CSV), "--findings", write(tmp_path, "f.csv", bad)])
    assert result.exit_code == 1 and lines == [] and "f.csv: row 2: column '认定事项'" in result.stderr
    no_source = FINDINGS_CSV.replace("销售部资质核查记录", "")
    result, lines = run(["admit", str(tmp_path / "a.csv"), "--findings", write(tmp_path, "g.csv", no_source)])
    assert result.exit_code == 1 and lines == [] and "g.csv: row 2: column '认定依据'" in result.stderr


def test_the_plugin_group_and_the_shortcuts_run_the_same_command(tmp_path):
    path = write(tmp_path, "a.csv", ADMIT_CSV)
    _, short = run(["admit", path])
    _, grouped = run(["petrochem", "admit", path])
    assert short == grouped and len(short) == 3


def _other_plugin(**hooks):
    module = types.ModuleType("otherplug")
    module.__version__ = "0.1"
    for name, function in hooks.items():
        setattr(module, name, hookimpl(function))
    return module


def test_another_plugins_own_command_of_the_same_name_is_a_clear_error():
    def decision_commands():
        return (DecisionCommand("visits", "走访", "visit_report", decide=lambda records, context: []),)

    plugins = PolicyPlugins(["petrochem"], extra_modules=[("otherplug", _other_plugin(decision_commands=decision_commands))])
    with pytest.raises(PluginError, match=r"command 'visits' \(plugins petrochem and otherplug\).*one owner"):
        plugins.commands


def test_shortcuts_do_not_give_way_to_commands_another_plugin_registered(tmp_path, monkeypatch):
    """A plugin's extra click command named like a decision command does not replace it, and no
    plugin command replaces a core command."""

    def register_commands(cli):
        cli.add_command(click.Command("visits", callback=lambda: click.echo("other")))
        cli.add_command(click.Command("import", callback=lambda: click.echo("other")))
        cli.add_command(click.Command("hello", callback=lambda: click.echo("other")))

    other = _other_plugin(register_commands=register_commands)
    monkeypatch.setattr("zhidu.core.workspace.PolicyPlugins", lambda names: PolicyPlugins(names, extra_modules=[("otherplug", other)]))
    result, lines = run(["visits", write(tmp_path, "v.csv", VISITS_CSV)])
    assert result.exit_code == 0, result.output
    assert "other" not in result.stdout and len(lines) == 3
    assert run(["hello"])[0].stdout.strip() == "other"
    imported = run(["import", "--help"])[0]
    assert imported.exit_code == 0 and "Validate FILE and store its KIND records" in imported.stdout


def test_profile_parameters_apply_and_preset_replaces_them(tmp_path):
    profile = tmp_path / "p.toml"
    profile.write_text('company = "t"\nplugins = ["petrochem"]\n[plugin.petrochem.parameters]\nallocation_mode = "pro_rata"\n', encoding="utf-8")
    data = {"available": "100", "records": [
        {"customer_code": "X1", "name": "a", "segment": "distributor", "requested": 100},
        {"customer_code": "X2", "name": "b", "segment": "distributor", "requested": 100},
    ]}
    path = write(tmp_path, "r.json", json.dumps(data))
    _, lines = run(["allocate", path], profile=str(profile))
    assert [row["outcome"]["allocated"] for row in requests_of(lines)] == ["50.000", "50.000"]
    assert lines[0]["plugin"] == "petrochem" and len(lines[0]["fingerprint"]) == 64
    assert summary_of(lines)["subject_id"] == "本月" and summary_of(lines)["explanation"].startswith("本月可分配100吨")
    _, lines = run(["allocate", path, "--mode", "priority"], profile=str(profile))
    assert [row["outcome"]["allocated"] for row in requests_of(lines)] == ["100", "0"]


def test_unknown_preset_is_a_clean_error(tmp_path):
    result, _ = run(["allocate", write(tmp_path, "req.csv", ALLOC_CSV), "--available", "10", "--preset", "zz"])
    assert result.exit_code == 1 and "unknown preset" in result.stderr


def test_decision_commands_hook_is_wired():
    plans = PolicyPlugins(["petrochem"]).commands
    expected = {"allocate": "allocation_request", "visits": "visit_report", "admit": "admission_application"}
    for name, kind in expected.items():
        assert plans[name].own_plugin == "petrochem" and plans[name].input_kind == kind
    assert plans["allocate"].example_options == {"available": "5000", "month": "2026-08"}
    assert {p.name for p in plans.values() if p.hook} == {"classify", "route", "audit"}
    listing = run(["--help"])[0].stdout
    assert all(name in listing for name in ("petrochem", "allocate", "visits", "admit"))
    group = run(["petrochem", "--help"])[0]
    assert group.exit_code == 0 and all(name in group.stdout for name in ("allocate", "visits", "admit"))


WEEKLY_CSV = """客户编码,周起始日,提货量
X1,2026-06-29,999
X1,2026-07-06,100
X1,2026-07-13,300
X1,2026-08-03,999
X2,2026-07-06,200
X2,2026-07-13,200
"""
BALANCE_CSV = """客户编码,客户名称,客户类别,申请量,提货完成率,周提货量,配合度
X1,丁经销,经销商,500,90%,,
X2,戊经销,经销商,500,90%,,
X3,己经销,经销商,500,90%,50;50,
E1,乙代理,独家代理商,100,90%,,88.5
"""


def test_allocate_reads_the_weekly_pickup_records_of_the_month_before(tmp_path):
    args = ["allocate", write(tmp_path, "r.csv", BALANCE_CSV), "--pickups", write(tmp_path, "w.csv", WEEKLY_CSV),
            "--available", "600", "--month", "2026-08"]
    result, lines = run(args)
    assert result.exit_code == 0, result.output
    by_id = {row["subject_id"]: row["outcome"] for row in requests_of(lines)}
    # Weeks beginning in July only (not 6月29日 nor 8月3日); a request's own 周提货量 wins.
    assert by_id["X1"]["weekly_pickups"] == ["100", "300"] and by_id["X1"]["weekly_variation"] == "0.5000"
    assert by_id["X2"]["weekly_pickups"] == ["200", "200"] and by_id["X3"]["weekly_pickups"] == ["50", "50"]
    assert by_id["E1"]["cooperation"] == "88.5"
    # X2 and X3 are even (0), X1 is not: X1 is last and gets nothing.
    assert [(row["subject_id"], row["outcome"]["allocated"]) for row in requests_of(lines)] == [("E1", "100"), ("X2", "500"), ("X3", "0"), ("X1", "0")]
    # Without the records X1 and X2 have no weekly figures: they rank after X3, whose balance is known.
    _, bare = run(args[:2] + args[4:])
    assert [row["subject_id"] for row in requests_of(bare)] == ["E1", "X3", "X1", "X2"]
    assert "周提货量不足以判断均衡度" in requests_of(bare)[2]["explanation"]


def test_allocate_with_no_month_reads_the_weeks_before_the_as_of_month(tmp_path):
    result, lines = run(["allocate", write(tmp_path, "r.csv", BALANCE_CSV), "--pickups", write(tmp_path, "w.csv", WEEKLY_CSV),
                         "--available", "600", "--as-of", "2026-08-05"])
    assert result.exit_code == 0, result.output
    assert {row["subject_id"]: row["outcome"]["weekly_pickups"] for row in requests_of(lines)}["X1"] == ["100", "300"]


@pytest.mark.parametrize("value", ["101", "-1", "高"])
def test_a_cooperation_score_off_the_0_to_100_scale_is_refused_by_the_cell(tmp_path, value):
    bad = BALANCE_CSV.replace("88.5", value)
    result, lines = run(["allocate", write(tmp_path, "r.csv", bad), "--available", "600"])
    assert result.exit_code == 1 and lines == [] and "r.csv: row 5: column '配合度'" in result.stderr


def test_allocate_reads_the_findings_standing_on_the_as_of_day(tmp_path):
    findings = "认定编号,客户编码,认定事项,认定日期,认定依据\nRD1,X1,立案查处,2026-08-10,区市场监督管理局立案告知书\n"
    args = ["allocate", write(tmp_path, "r.csv", BALANCE_CSV), "--findings", write(tmp_path, "f.csv", findings), "--available", "600", "--month", "2026-09"]
    _, lines = run(args + ["--as-of", "2026-08-20"])
    x1 = next(row for row in requests_of(lines) if row["subject_id"] == "X1")
    assert x1["rule_id"] == "petrochem.allocation_disqualified" and x1["outcome"]["allocated"] == "0"
    _, earlier = run(args + ["--as-of", "2026-08-09"])  # before the finding: an ordinary request
    assert next(row for row in requests_of(earlier) if row["subject_id"] == "X1")["rule_id"] == "petrochem.resource_allocation"
