"""A plugin written outside the core, registered through a real entry point, adds a record kind and a
decision command of its own: it imports a file with Chinese headers, decides over the database,
logs and explains, with no core file touched (the acceptance case of core v2)."""

import json
import textwrap

import pytest
from click.testing import CliRunner

from zhidu.cli import cli
from zhidu.core.plugins import available_plugins

TEXTILE = '''
from dataclasses import dataclass
from datetime import date

from marshmallow import fields

from zhidu import hookimpl
from zhidu.core.commandspecs import CommandOption, DecisionCommand
from zhidu.core.decisions import Citation, Rule
from zhidu.core.fields import Code, LocalDate, RecordSchema, personal, zh
from zhidu.core.kinds import RecordKind

__version__ = "0.3"

DOC = "某纺织厂客户维护制度"
VISIT_DUE = Rule("textile.visit_due", Citation(DOC, "第五条"), "重点客户每月至少回访一次")


@dataclass(slots=True)
class Contact:
    code: str
    customer_code: str
    contacted_on: date
    channel: str
    phone: str | None = None


class ContactSchema(RecordSchema):
    record_class = Contact
    code = fields.String(required=True, validate=Code, **zh("记录编号"))
    customer_code = fields.String(required=True, validate=Code, **zh("客户编码"))
    contacted_on = LocalDate(required=True, **zh("联系日期"))
    channel = fields.String(required=True, **zh("联系方式"))
    phone = fields.String(load_default=None, **personal("联系电话"))


def overdue(contacts, context):
    limit = int(context.options.get("days") or 30)
    out = []
    for c in contacts:
        gap = (context.as_of - c.contacted_on).days
        out.append(VISIT_DUE.decide(
            "contact", c.code, {"overdue": gap > limit, "days_since": gap},
            f"客户{c.customer_code}(电话{c.phone or '未留'})最近一次联系在{c.contacted_on:%Y年%m月%d日},距{context.as_of:%m月%d日}已{gap}天,"
            + ("超过" if gap > limit else "未超过") + f"{limit}天回访期限。",
        ))
    return out


@hookimpl
def rule_catalogue():
    return [VISIT_DUE]


@hookimpl
def record_kinds():
    return [RecordKind("contact", "客户联系记录", ContactSchema, ("code",), "code")]


@hookimpl
def decision_commands():
    return [DecisionCommand("revisit", "回访检查", "contact", decide=overdue, outcome_keys=("overdue",),
                            options=(CommandOption("days", "Days allowed between contacts.", parse=int),))]
'''


@pytest.fixture
def textile(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "textile_policy.py").write_text(textwrap.dedent(TEXTILE), encoding="utf-8")
    info = site / "textile_policy-0.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: textile-policy\nVersion: 0.3\n")
    (info / "entry_points.txt").write_text("[zhidu.plugins]\ntextile = textile_policy\n")
    monkeypatch.syspath_prepend(str(site))
    available_plugins.cache_clear()
    yield tmp_path
    available_plugins.cache_clear()


def test_a_third_party_kind_and_command_import_decide_log_and_explain(textile):
    runner = CliRunner()
    assert "textile" in available_plugins()
    init = runner.invoke(cli, ["init", "mill", "--plugins", "textile", "--dir", str(textile)])
    assert init.exit_code == 0, init.output
    profile = str(textile / "mill.toml")
    kinds = runner.invoke(cli, ["--profile", profile, "kinds", "-f", "json"])
    rows = [r for r in json.loads(kinds.output) if r["kind"] == "contact"]
    assert {r["plugin"] for r in rows} == {"textile"} and {r["header_zh"] for r in rows} >= {"联系日期", "联系电话"}
    csv = textile / "contacts.csv"
    csv.write_text("记录编号,客户编码,联系日期,联系方式,联系电话\nK1,C01,2026-10-01,电话,13912345678\nK2,C02,2026-11-15,上门,\n", encoding="utf-8")
    imported = runner.invoke(cli, ["--profile", profile, "import", "contact", str(csv)])
    assert imported.exit_code == 0 and "2 new" in imported.output, imported.output
    decided = runner.invoke(cli, ["--profile", profile, "revisit", "--as-of", "2026-11-20", "--days", "30", "-f", "jsonl"])
    assert decided.exit_code == 0, decided.output
    lines = [json.loads(line) for line in decided.output.splitlines()]
    assert [(d["subject_id"], d["outcome"]["overdue"], d["decision_id"] is not None) for d in lines] == [("K1", True, True), ("K2", False, True)]
    assert lines[0]["plugin"] == "textile" and lines[0]["plugin_version"] == "0.3"
    assert lines[0]["inputs"]["phone"] == "139****5678"  # personal field masked in the log
    explained = runner.invoke(cli, ["--profile", profile, "explain", str(lines[0]["decision_id"])])
    assert explained.exit_code == 0
    assert "某纺织厂客户维护制度 第五条" in explained.output and "已50天,超过30天回访期限" in explained.output
    assert "(电话139****5678)" in explained.output  # a rule that writes the phone gets it masked
    assert "13912345678" not in explained.output
    shown = runner.invoke(cli, ["--profile", profile, "explain", str(lines[0]["decision_id"]), "--show-personal", "-f", "json"])
    assert json.loads(shown.output)["inputs"]["phone"] == "13912345678"
    listed = runner.invoke(cli, ["--profile", profile, "decisions", "--command", "revisit", "-f", "jsonl"])
    assert [json.loads(line)["subject_id"] for line in listed.output.splitlines()] == ["K1", "K2"]
    plugins = runner.invoke(cli, ["--profile", profile, "plugins", "-f", "json"])
    row = next(r for r in json.loads(plugins.output) if r["name"] == "textile")
    assert row["kinds"] == ["contact"] and row["commands"] == ["revisit"]


def test_a_bad_value_in_the_plugins_kind_names_file_row_and_column(textile):
    runner = CliRunner()
    runner.invoke(cli, ["init", "mill", "--plugins", "textile", "--dir", str(textile)])
    csv = textile / "bad.csv"
    csv.write_text("记录编号,客户编码,联系日期,联系方式\nK1,C01,2026-02-30,电话\n", encoding="utf-8")
    result = runner.invoke(cli, ["--profile", str(textile / "mill.toml"), "import", "contact", str(csv)])
    assert result.exit_code == 1
    assert f"{csv}: row 2: column '联系日期'" in result.output and "nothing was written" in result.output


def test_a_bad_option_value_of_a_declared_command_is_a_usage_error(textile):
    csv = textile / "c.csv"
    csv.write_text("记录编号,客户编码,联系日期,联系方式\nK1,C01,2026-10-01,电话\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--plugins", "textile", "revisit", str(csv), "--days", "三十"])
    assert result.exit_code == 2 and "Invalid value for '--days'" in result.output
    assert "Traceback" not in result.output
