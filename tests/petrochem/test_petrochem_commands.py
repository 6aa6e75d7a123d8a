"""The plugin's CLI commands: allocate, visits, admit (CSV or JSON in, one JSON decision per line out)."""

import json

import click
from click.testing import CliRunner

from zhidu.core.plugins import PolicyPlugins
from zhidu.plugins.petrochem.commands import register


def make_cli(existing=()):
    @click.group()
    @click.pass_context
    def cli(ctx):
        pass

    for name in existing:
        cli.add_command(click.Command(name, callback=lambda: click.echo("core")), name)
    register(cli)
    return cli


def run(args, profile=None):
    """Through the real `zhidu` command line, with only this plugin enabled (or a profile's)."""
    from zhidu.cli import cli

    prefix = ["--profile", profile] if profile else ["--plugins", "petrochem"]
    result = CliRunner().invoke(cli, prefix + args, obj={})
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result, lines


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
    assert [(row["subject_id"], row["outcome"]["allocated"]) for row in lines] == [("D1", "500"), ("E1", "500"), ("X1", "0")]
    assert lines[0]["citation"].startswith("石油销售公司化工品客户管理办法 第三条")
    assert lines[0]["plugin"] == "petrochem" and lines[0]["fingerprint"]
    assert "甲厂" in lines[0]["explanation"]
    assert "可分配1000吨" in result.stderr


def test_allocate_json_with_available_in_the_file(tmp_path):
    data = {"available": "300", "month": "2026-09", "records": [
        {"customer_code": "E1", "name": "乙代理", "segment": "exclusive_agent", "requested": 200},
        {"customer_code": "E2", "name": "丙代理", "segment": "exclusive_agent", "requested": 200},
    ]}
    result, lines = run(["petrochem", "allocate", write(tmp_path, "req.json", json.dumps(data)), "--mode", "pro_rata"])
    assert result.exit_code == 0, result.output
    assert [row["outcome"]["allocated"] for row in lines] == ["150.000", "150.000"]
    assert "本类申请合计400吨超过可分配的300吨,按申请量比例分配150吨" in lines[0]["explanation"]


def test_allocate_needs_the_available_tonnage(tmp_path):
    result, _ = run(["allocate", write(tmp_path, "req.csv", ALLOC_CSV)])
    assert result.exit_code != 0 and "--available" in result.output


def test_invalid_rows_are_all_reported_and_nothing_is_decided(tmp_path):
    bad = "客户编码,客户名称,客户类别,申请量\nX1,丁经销,批发商,100\nX2,戊经销,经销商,-5\nX3,己经销,经销商,10\n"
    result, lines = run(["allocate", write(tmp_path, "bad.csv", bad), "--available", "100"])
    assert result.exit_code == 1 and lines == []
    assert "row 2: column '客户类别'" in result.stderr and "批发商" in result.stderr
    assert "row 3: column '申请量'" in result.stderr and "nothing was written" in result.stderr


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


def test_visits_averages_only_for_a_period(tmp_path):
    result, lines = run(["visits", write(tmp_path, "v.csv", VISITS_CSV), "--period", "2026H2", "--averages-only"])
    assert result.exit_code == 0, result.output
    assert len(lines) == 1 and lines[0]["outcome"]["average_score"] == "80.00"


def test_visits_refuses_an_unknown_answer(tmp_path):
    bad = VISITS_CSV.replace("不好", "还行")
    result, lines = run(["visits", write(tmp_path, "v.csv", bad)])
    assert result.exit_code == 1 and lines == [] and "还行" in result.stderr and "report 1 (R1)" in result.stderr


def test_visits_bad_period(tmp_path):
    result, _ = run(["visits", write(tmp_path, "v.csv", VISITS_CSV), "--period", "2026Q9"])
    assert result.exit_code != 0 and "2026Q9" in result.output


ADMIT_CSV = """客户编码,客户名称,客户类别,生产型企业,直接使用公司产品,具有一定生产规模,资金诚信良好,提供虚假信息或欺诈失信
N1,北方管业,直销客户,是,是,是,是,否
N2,南方管业,直销客户,是,是,否,是,
N3,西部管业,直销客户,是,是,是,是,是
"""


def test_admit(tmp_path):
    result, lines = run(["admit", write(tmp_path, "a.csv", ADMIT_CSV)])
    assert result.exit_code == 0, result.output
    assert [row["outcome"]["admitted"] for row in lines] == [True, False, False]
    assert lines[2]["rule_id"] == "petrochem.disqualification"
    assert lines[1]["outcome"]["unmet"][0]["condition"] == "production_scale"


def test_shortcuts_do_not_replace_commands_another_plugin_registered(tmp_path):
    cli = make_cli(existing=["visits"])
    result = CliRunner().invoke(cli, ["visits"])
    assert result.output.strip() == "core"
    assert "petrochem" in cli.commands and "allocate" in cli.commands


def test_profile_parameters_apply_and_preset_replaces_them(tmp_path):
    profile = tmp_path / "p.toml"
    profile.write_text('company = "t"\nplugins = ["petrochem"]\n[plugin.petrochem.parameters]\nallocation_mode = "pro_rata"\n', encoding="utf-8")
    data = {"available": "100", "records": [
        {"customer_code": "X1", "name": "a", "segment": "distributor", "requested": 100},
        {"customer_code": "X2", "name": "b", "segment": "distributor", "requested": 100},
    ]}
    path = write(tmp_path, "r.json", json.dumps(data))
    _, lines = run(["allocate", path], profile=str(profile))
    assert [row["outcome"]["allocated"] for row in lines] == ["50.000", "50.000"]
    assert lines[0]["plugin"] == "petrochem" and len(lines[0]["fingerprint"]) == 64
    _, lines = run(["allocate", path, "--mode", "priority"], profile=str(profile))
    assert [row["outcome"]["allocated"] for row in lines] == ["100", "0"]


def test_unknown_preset_is_a_clean_error(tmp_path):
    result, _ = run(["allocate", write(tmp_path, "req.csv", ALLOC_CSV), "--available", "10", "--preset", "zz"])
    assert result.exit_code == 1 and "unknown preset" in result.stderr


def test_register_commands_hook_is_wired():
    plugins = PolicyPlugins(["petrochem"])
    cli = click.Group("zhidu")
    plugins.pm.hook.register_commands(cli=cli)
    assert {"petrochem", "allocate", "visits", "admit"} <= set(cli.commands)
