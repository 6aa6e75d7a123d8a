"""End to end through the installed `zhidu` command: profiles, import, decisions, the log, output formats."""

import csv
import io
import json
from pathlib import Path

import pytest

from zhidu.testing import run_cli

CUSTOMERS = "客户编码,客户名称,客户类别,销售形式,当前级别,月份,月提货量\nC1,甲化工,经销商,计划,普通客户,2026-10,1500\nC2,乙塑料,直销客户,计划,,2026-10,200\n"


@pytest.fixture
def company(tmp_path):
    result = run_cli("init", "hb", "--company", "华北化工", "--plugins", "petrochem", "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    return tmp_path, str(tmp_path / "hb.toml")


def test_init_writes_a_profile_and_creates_its_database(company):
    folder, profile = company
    text = Path(profile).read_text(encoding="utf-8")
    assert 'company = "华北化工"' in text and 'plugins = ["petrochem"]' in text
    assert (folder / "hb.db").exists()
    assert run_cli("--profile", profile, "db", "current").stdout.strip() == "0005"


def test_import_classify_explain_round_trip(company):
    folder, profile = company
    imported = run_cli("--profile", profile, "import", "customer", "customers.csv", cwd=folder)
    assert imported.returncode == 0, imported.stderr
    assert "2 new" in imported.stdout
    again = run_cli("--profile", profile, "import", "customer", "customers.csv", cwd=folder)
    assert "0 new, 0 changed, 2 unchanged" in again.stdout

    run = run_cli("--profile", profile, "classify", "--as-of", "2026-11-01", "-f", "jsonl")
    assert run.returncode == 0, run.stderr
    decisions = [json.loads(line) for line in run.stdout.splitlines()]
    assert {d["subject_id"] for d in decisions} == {"C1", "C2"}
    c1 = next(d for d in decisions if d["subject_id"] == "C1")
    assert c1["outcome"]["level"] == "star1" and c1["decision_id"] is not None
    assert c1["citation"].startswith("石油销售公司化工品客户管理办法")

    explained = run_cli("--profile", profile, "explain", str(c1["decision_id"]), "-f", "table")
    assert explained.returncode == 0, explained.stderr
    assert "石油销售公司化工品客户管理办法" in explained.stdout and "甲化工" in explained.stdout
    assert c1["fingerprint"] in explained.stdout

    logged = run_cli("--profile", profile, "decisions", "--subject", "C1", "-f", "json")
    assert [d["decision_id"] for d in json.loads(logged.stdout)] == [c1["decision_id"]]


def test_bad_row_exits_non_zero_and_writes_nothing(company):
    folder, profile = company
    (folder / "bad.csv").write_text(CUSTOMERS + "C3,丙,经销商,计划,,2026-10,很多\n", encoding="utf-8")
    result = run_cli("--profile", profile, "import", "customer", "bad.csv", cwd=folder)
    assert result.returncode == 1
    assert "bad.csv: row 4: column '月提货量': Not a valid number." in result.stderr
    listing = run_cli("--profile", profile, "classify", "-f", "jsonl")
    assert listing.stdout == ""


def test_file_mode_needs_no_database_and_each_output_format_works(tmp_path):
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    outputs = {}
    for fmt in ("json", "jsonl", "csv", "table", "cards"):
        result = run_cli("--plugins", "petrochem", "classify", "customers.csv", "-f", fmt, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        outputs[fmt] = result.stdout
    assert not (tmp_path / "zhidu.db").exists()
    assert [d["subject_id"] for d in json.loads(outputs["json"])] == ["C1", "C2"]
    assert len(outputs["jsonl"].splitlines()) == 2
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert rows[0]["rule_id"].startswith("petrochem.") and json.loads(rows[0]["outcome"])["level"] == "star1"
    header = outputs["table"].splitlines()[0].split()
    assert header == ["编号", "对象", "结论", "规则", "条款", "说明"]
    assert "甲化工" in outputs["table"] and "第九条(二)" in outputs["table"]
    assert "甲化工" in outputs["cards"] and "石油销售公司化工品客户管理办法" in outputs["cards"]


def test_profile_error_names_the_toml_key(tmp_path):
    (tmp_path / "p.toml").write_text('company = "x"\nplugins = ["petrochem"]\n[calendar]\nextra_holidays = ["2026-02-30"]\n')
    result = run_cli("--profile", str(tmp_path / "p.toml"), "config", "show")
    assert result.returncode == 1 and "calendar.extra_holidays.0" in result.stderr


def test_bad_plugin_parameter_in_profile_names_plugin_and_key(tmp_path):
    (tmp_path / "p.toml").write_text('company = "x"\nplugins = ["petrochem"]\n[plugin.petrochem.parameters]\nmax_level_step = "many"\n')
    result = run_cli("--profile", str(tmp_path / "p.toml"), "config", "show")
    assert result.returncode == 1
    assert "plugin.petrochem.parameters" in result.stderr and "max_level_step" in result.stderr


def test_profile_overrides_and_cli_plugins_precedence(tmp_path):
    (tmp_path / "p.toml").write_text('company = "x"\nplugins = ["petrochem"]\n[plugin.petrochem.parameters]\nmax_level_step = 2\n')
    shown = run_cli("--profile", str(tmp_path / "p.toml"), "config", "show", "-f", "json")
    values = {r["parameter"]: r for r in json.loads(shown.stdout)}
    assert values["max_level_step"]["value"] == 2 and values["max_level_step"]["default"] == 1
    plugins = run_cli("--profile", str(tmp_path / "p.toml"), "plugins", "-f", "json", env={"ZHIDU_PLUGINS": "realestate"})
    enabled = {r["name"] for r in json.loads(plugins.stdout) if r["enabled"]}
    assert enabled == {"realestate"}
    flag = run_cli("--profile", str(tmp_path / "p.toml"), "--plugins", "petrochem", "plugins", "-f", "json", env={"ZHIDU_PLUGINS": "realestate"})
    assert {r["name"] for r in json.loads(flag.stdout) if r["enabled"]} == {"petrochem"}


def test_two_companies_side_by_side_keep_separate_databases(tmp_path):
    for name in ("a", "b"):
        assert run_cli("init", name, "--plugins", "petrochem", "--dir", str(tmp_path)).returncode == 0
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    run_cli("--profile", str(tmp_path / "a.toml"), "import", "customer", "customers.csv", cwd=tmp_path)
    a = run_cli("--profile", str(tmp_path / "a.toml"), "classify", "-f", "jsonl")
    b = run_cli("--profile", str(tmp_path / "b.toml"), "classify", "-f", "jsonl")
    assert len(a.stdout.splitlines()) == 2 and b.stdout == ""


def test_database_without_schema_is_a_clear_error(tmp_path):
    result = run_cli("--db", str(tmp_path / "empty.db"), "--plugins", "petrochem", "classify")
    assert result.returncode == 1 and "zhidu db upgrade" in result.stderr


def test_help_lists_commands_without_importing_plugins():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("classify", "route", "attribute", "commission", "audit", "conduct", "import", "explain", "decisions", "demo"):
        assert command in result.stdout


def test_route_overdue_over_the_database_lists_only_late_complaints(tmp_path):
    assert run_cli("init", "hb", "--plugins", "petrochem", "--dir", str(tmp_path)).returncode == 0
    (tmp_path / "complaints.csv").write_text(
        "投诉编号,投诉客户,投诉时间,投诉级别,处理完成时间\n"
        "T1,C1,2026-09-30 16:00,一般,2026-10-08 09:00\n"   # due 10-08 (National Day): on time
        "T2,C1,2026-09-30 16:00,一般,2026-10-09 09:00\n"   # a day late
        "T3,C2,2026-11-19 14:00,一般,\n",                   # open, due 11-20: not yet late on 11-20
        encoding="utf-8",
    )
    profile = str(tmp_path / "hb.toml")
    assert run_cli("--profile", profile, "import", "complaint", "complaints.csv", cwd=tmp_path).returncode == 0
    result = run_cli("--profile", profile, "route", "--overdue", "--as-of", "2026-11-20", "-f", "jsonl")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["subject_id"] for line in result.stdout.splitlines()] == ["T2"]


def test_preset_after_the_command_name_chooses_the_document(tmp_path):
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"event_id": "E1", "occurred_at": "2026-03-02T10:05:00", "event_type": "registration", "staff_code": "张三", "customer_code": "C1"}\n',
        encoding="utf-8",
    )
    windows = {}
    for preset in ("vanke", "xize"):
        result = run_cli("--plugins", "realestate", "attribute", str(events), "--preset", preset, "-f", "jsonl")
        assert result.returncode == 0, result.stderr
        (decision,) = [json.loads(line) for line in result.stdout.splitlines()]
        windows[preset] = decision["outcome"]["valid_until"]
    # 一个月 / 两个月 counted as 民法典 第二百零一、二百零二条 count periods: the start day not counted,
    # ending on the corresponding day of the last month.
    assert windows == {"vanke": "2026-04-02", "xize": "2026-05-02"}


def test_review_over_the_database_uses_the_periods_monthly_volumes(company):
    folder, profile = company
    (folder / "volumes.csv").write_text(
        "客户编码,月份,提货量\nC1,2026-07,2500\nC1,2026-08,2600\nC1,2026-09,2400\nC1,2026-10,10\n", encoding="utf-8"
    )
    for kind, name in (("customer", "customers.csv"), ("monthly_volume", "volumes.csv")):
        assert run_cli("--profile", profile, "import", kind, name, cwd=folder).returncode == 0
    result = run_cli("--profile", profile, "classify", "--review", "2026Q3", "--id", "C1", "--as-of", "2026-10-08", "-f", "jsonl")
    assert result.returncode == 0, result.stderr
    (decision,) = [json.loads(line) for line in result.stdout.splitlines()]
    # Every month of the quarter reached 二星 tonnage; from 普通 the customer rises one level only.
    assert set(decision["outcome"]["months"]) == {"2026-07", "2026-08", "2026-09"}
    assert decision["outcome"]["earned_level"] == "star2" and decision["outcome"]["level"] == "star1"
    bad = run_cli("--profile", profile, "classify", "--review", "2026Q5")
    assert bad.returncode == 2 and "Invalid value for '--review': '2026Q5'" in bad.stderr


def test_the_cli_offers_every_output_format_the_writer_knows():
    from zhidu import cli as cli_module
    from zhidu.core.output import FORMATS

    assert cli_module.OUTPUT_FORMATS == FORMATS


def test_table_columns_align_with_chinese_text(tmp_path):
    from zhidu.core.decisions import Citation, Rule
    from zhidu.core.output import display_width, write_decisions

    rule = Rule("p.r", Citation("某制度", "第一条"))
    decisions = [rule.decide("customer", code, {"level": level}, "说明。") for code, level in (("甲公司", "一星"), ("C2", "ordinary"))]
    out = io.StringIO()
    write_decisions(decisions, "table", out)
    lines = out.getvalue().splitlines()
    starts = [display_width(line[: line.index("p.r")]) for line in lines[2:]]
    assert len(set(starts)) == 1  # the rule column starts at the same display column on every row


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_json_output_holds_exactly_what_the_decision_holds(fmt):
    # The lines are built from the texts serialised once for the log: they must say what
    # decision_dict says, whether or not the decision was stamped and logged.
    from datetime import datetime, timezone
    from decimal import Decimal

    from zhidu.core.decisions import Citation, Rule
    from zhidu.core.engine import stamp
    from zhidu.core.output import decision_dict, write_decisions

    rule = Rule("p.r", Citation("某制度 \"甲\"", "第一条(二)"))
    logged = rule.decide("customer", "C\u20281", {"fine": Decimal("50.00"), "z": [1, None], "a": {"b": "\\"}}, "说明\n二",
                         parameters={"bands": [{"min": Decimal("0")}]}, inputs={"when": datetime(2026, 1, 2, 3, 4)})
    stamp(logged, "p", "1.0", None)
    logged.decision_id, logged.decided_at = 7, datetime(2026, 11, 20, 1, 2, 3, 456, tzinfo=timezone.utc)
    fresh = rule.decide("customer", "C2", {"level": "一星"}, "说明。")  # never stamped: no texts kept, no inputs
    out = io.StringIO()
    assert write_decisions([logged, fresh], fmt, out, zone="Asia/Shanghai") == 2
    text = out.getvalue()
    parsed = json.loads(text) if fmt == "json" else [json.loads(line) for line in text.split("\n")[:-1]]  # not splitlines: U+2028 is no line end
    assert parsed == [decision_dict(logged, "Asia/Shanghai"), decision_dict(fresh, "Asia/Shanghai")]
    assert parsed[0]["decided_at"] == "2026-11-20T09:02:03.000456+08:00" and parsed[1]["inputs"] is None


def test_xlsx_output_has_chinese_headers_numbers_and_no_formulas(tmp_path):
    from decimal import Decimal

    from openpyxl import load_workbook

    from zhidu.core.decisions import Citation, Rule
    from zhidu.core.output import write_decisions

    rule = Rule("p.r", Citation("某制度", "第一条"))
    decisions = [rule.decide("customer", "=1+1", {"fine": Decimal("50.00"), "level": "一星"}, "@SUM(A1)说明")]
    path = tmp_path / "d.xlsx"
    assert write_decisions(decisions, "xlsx", io.StringIO(), path=str(path)) == 1
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["决策编号", "对象类型", "对象"] and "fine" in header and ws.freeze_panes == "A2"
    row = {h: c for h, c in zip(header, ws[2])}
    assert row["对象"].value == "'=1+1" and row["说明"].value.startswith("'@")  # escaped, never a formula
    assert row["fine"].value == Decimal("50") and row["fine"].number_format == "0.00"


def test_decisions_to_an_xlsx_file(tmp_path):
    from openpyxl import load_workbook

    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    result = run_cli("--plugins", "petrochem", "classify", "customers.csv", "-o", "out.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ws = load_workbook(tmp_path / "out.xlsx").active
    assert ws.max_row == 3 and ws["C2"].value == "C1"
    missing = run_cli("--plugins", "petrochem", "classify", "customers.csv", "-f", "xlsx", cwd=tmp_path)
    assert missing.returncode == 1 and "-o FILE.xlsx" in missing.stderr


def _complete(words: str) -> list[str]:
    """What the shell would be offered for the last word (click's bash completion protocol)."""
    env = {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1), "_ZHIDU_COMPLETE": "bash_complete"}
    result = run_cli(env=env)
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if "," in line]


def test_shell_completion_offers_plugins_kinds_presets_and_periods():
    assert "petrochem" in _complete("zhidu --plugins pe")
    assert _complete("zhidu --plugins petrochem import mon") == ["monthly_volume"]
    assert _complete("zhidu --plugins petrochem --preset h") == ["hb"]
    assert "2026Q3" in _complete("zhidu --plugins petrochem classify --review 2026Q")


def test_progress_counts_without_a_terminal_and_draws_only_on_one():
    from zhidu.core.progress import Progress

    quiet = Progress("import", enabled=False)
    quiet(5)
    quiet(7)
    quiet.close()
    assert quiet.done == 12 and quiet._bar is None


def test_init_writes_the_profile_with_comments_that_load_back(tmp_path):
    import tomllib

    from zhidu.core.profile import load_profile, render_profile

    text = render_profile("华北化工", ["petrochem"], "hb.db", {"petrochem": "hb"})
    assert "# The company's own days off" in text and 'preset = "hb"' in text
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    profile = load_profile(tmp_path / "p.toml")
    assert profile.company == "华北化工" and profile.preset_for("petrochem") == "hb" and not profile.confirm_late_entries
    assert tomllib.loads(text)["plugin"]["petrochem"]["parameters"] == {}


def test_import_check_validates_as_the_import_would_and_stores_nothing(tmp_path, monkeypatch):
    """`import --check`: a file checked before it is sent. Valid: counted, nothing stored, no run
    recorded, no database needed. Bad: every bad row listed and a non-zero exit, as the import."""
    from click.testing import CliRunner

    from zhidu.cli import cli

    (tmp_path / "co.toml").write_text('company = "华北化工"\nplugins = ["petrochem"]\ndatabase = "nowhere/never.db"\n', encoding="utf-8")
    (tmp_path / "customers.csv").write_text(CUSTOMERS.replace("\n", ",x\n").replace("月提货量,x", "月提货量,备注"), encoding="utf-8")
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    checked = runner.invoke(cli, ["--profile", "co.toml", "import", "customer", "customers.csv", "--check"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines() == ["customers.csv: 2 customer record(s) valid; nothing stored (--check)",
                                           "ignored column(s) not known for customer: 备注"]
    assert not Path("nowhere").exists()

    Path("bad.csv").write_text(CUSTOMERS + "C3,丙,经销商,计划,,2026-10,很多\nC4,丁,批发商,计划,,2026-10,5\n", encoding="utf-8")
    refused = runner.invoke(cli, ["--profile", "co.toml", "import", "customer", "bad.csv", "--check"])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "bad.csv: row 4: column '月提货量'" in refused.output and "bad.csv: row 5: column '客户类别'" in refused.output
