"""One test per hook, through the real engine and the built-in plugins that implement it: the hook's
contract as the core relies on it (what goes in, what comes out, how it is stamped and combined)."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from zhidu.core.engine import chunked
from zhidu.core.params import ParameterError
from zhidu.core.plugins import PolicyPlugins
from zhidu.plugins.petrochem.records import Archive, ArchiveApproval, ArchiveDocument, ChemCustomer as Customer, Complaint
from zhidu.plugins.realestate.records import ConductIncident, Deal, FloorEvent
from zhidu.testing import decide, make_context, run_cli


@pytest.fixture(scope="module")
def petrochem():
    return PolicyPlugins(["petrochem"])


@pytest.fixture(scope="module")
def realestate():
    return PolicyPlugins(["realestate"])


def test_hook_policy_parameters_declares_defaults_presets_and_validation():
    specs = PolicyPlugins(["petrochem", "realestate"]).parameter_specs()
    assert set(specs) == {"petrochem", "realestate"}
    realestate = specs["realestate"]
    assert {"vanke", "xize", "consultant"} <= set(realestate.presets)
    assert realestate.resolve("vanke") != realestate.resolve("xize")
    with pytest.raises(ParameterError, match="realestate: unknown preset 'nope'"):
        realestate.resolve("nope")
    with pytest.raises(ParameterError, match="max_level_step"):
        specs["petrochem"].resolve(None, {"max_level_step": "many"})


def test_hook_classify_customer_at_the_one_star_edge(petrochem):
    context = make_context("petrochem")
    customers = [
        Customer("A", "甲", segment="distributor", sales_form="plan", monthly_volume=Decimal("999.999")),
        Customer("B", "乙", segment="distributor", sales_form="plan", monthly_volume=Decimal("1000")),
    ]
    decisions = {d.subject_id: d for d in decide(petrochem, "classify", customers, context)}
    assert decisions["A"].outcome["level"] == "ordinary" and decisions["B"].outcome["level"] == "star1"
    assert decisions["B"].plugin == "petrochem" and decisions["B"].inputs["monthly_volume"] == "1000"
    assert "1000吨" in decisions["B"].explanation and decisions["B"].citation.clause.startswith("第九条")


def test_hook_route_complaint_due_date_skips_national_day(petrochem):
    context = make_context("petrochem", as_of=date(2026, 10, 9))
    complaint = Complaint("T1", "C1", datetime(2026, 9, 30, 16, 0), severity="general")
    (decision,) = decide(petrochem, "route", [complaint], context)
    assert decision.to_dict()["outcome"]["due_at"].startswith("2026-10-08")
    assert decision.outcome["overdue"] is True and decision.outcome["handler"]
    on_time = Complaint("T2", "C1", datetime(2026, 9, 30, 16, 0), severity="general", resolved_at=datetime(2026, 10, 8, 9, 0))
    (decision,) = decide(petrochem, "route", [on_time], context)
    assert decision.outcome["overdue"] is False


def _floor(event_id, when, kind, staff=None, customer=None, **details):
    return FloorEvent(event_id, datetime.fromisoformat(when), kind, staff_code=staff, customer_code=customer, details=details)


def test_hook_attribute_lead_keeps_replay_state_across_chunks(realestate):
    context = make_context("realestate", preset="vanke")
    events = [
        _floor("E1", "2026-03-02 09:00", "roster", order=["张三", "李四"]),
        _floor("E2", "2026-03-02 10:00", "visit", customer="C1"),
        _floor("E3", "2026-03-02 10:05", "registration", "张三", "C1"),
        _floor("E4", "2026-03-20 10:00", "visit", customer="C1"),
        _floor("E5", "2026-03-20 10:05", "registration", "李四", "C1"),
    ]
    decisions = [d for chunk in chunked(events, 1) for d in decide(realestate, "attribute", chunk, context)]
    ownership = [d for d in decisions if d.subject_kind == "customer"]
    assert ownership and all(d.outcome.get("owner") == "张三" for d in ownership)
    assert any("有效期" in d.explanation for d in ownership)


def test_hook_split_commission_shares_add_up_exactly(realestate):
    context = make_context("realestate", preset="vanke")
    events = [
        _floor("E1", "2026-03-02 09:00", "roster", order=["张三", "李四"]),
        _floor("E2", "2026-03-02 10:00", "visit", customer="C1"),
        _floor("E3", "2026-03-02 10:05", "registration", "张三", "C1"),
    ]
    decide(realestate, "attribute", events, context)
    deal = Deal("D1", "C1", "张三", datetime(2026, 3, 10, 15, 0), Decimal("10000.01"))
    (decision,) = decide(realestate, "commission", [deal], context)
    shares = decision.outcome["shares"]
    assert sum(Decimal(s["amount"]) for s in shares) == Decimal("10000.01")
    assert shares[0]["party"] == "张三"


def test_hook_validate_archive_reports_missing_and_unapproved(petrochem):
    context = make_context("petrochem", as_of=date(2026, 11, 20))
    archive = Archive("A1", "C1", documents=[ArchiveDocument("A1", "营业执照", expires_on=date(2027, 1, 1))],
                      approvals=[ArchiveApproval("A1", "销售部", approved_on=date(2026, 1, 5))])
    (decision,) = decide(petrochem, "audit", [archive], context)
    assert decision.outcome["status"] == "incomplete"
    text = json.dumps(decision.outcome["findings"], ensure_ascii=False)
    assert "组织机构代码证" in text and "总经理" in text


def test_hook_assess_conduct_costs_the_turn_for_not_being_dressed(realestate):
    context = make_context("realestate", preset="vanke")
    incident = ConductIncident("I1", "王五", datetime(2026, 3, 20, 9, 5), "not_dressed")
    (decision,) = decide(realestate, "conduct", [incident], context)
    assert decision.rule_id.startswith("realestate.") and "王五" in decision.explanation


@pytest.mark.parametrize("plugin", ["petrochem", "realestate"])
def test_hook_sample_data_imports_through_normal_validation(plugin, tmp_path):
    from zhidu.core.demo import write_sample_file
    from zhidu.core.importer import iter_file_records

    plugins = PolicyPlugins([plugin])
    (sample,) = [s for s in plugins.pm.hook.sample_data() if s]
    assert sample
    for kind, rows in sample.items():
        path = write_sample_file(tmp_path, kind, rows)
        assert len(list(iter_file_records(path, plugins.kinds.get(kind)))) == len(rows)


def test_hook_register_commands_adds_plugin_commands_to_the_cli():
    import types

    import click
    from click.testing import CliRunner

    from zhidu import hookimpl
    from zhidu.cli import cli

    module = types.ModuleType("extras")

    @hookimpl
    def register_commands(cli):
        @cli.command("hello")
        def hello():
            click.echo("你好")

    module.register_commands = register_commands
    plugins = PolicyPlugins(["petrochem"], extra_modules=[("extras", module)])
    from zhidu.core.workspace import Workspace

    ws = Workspace(plugin_names=["petrochem"])
    ws.__dict__["plugins"] = plugins  # the cached property, as resolved for this run
    result = CliRunner().invoke(cli, ["hello"], obj={"workspace": ws})
    assert result.exit_code == 0 and result.output == "你好\n"
    missing = CliRunner().invoke(cli, ["--plugins", "petrochem", "hello"])
    assert missing.exit_code != 0  # not enabled, not there


def test_hook_record_kinds_declare_each_plugins_own_kinds():
    kinds = {k.name: k.plugin for k in PolicyPlugins(["petrochem", "realestate"]).kinds}
    assert kinds["customer"] == "petrochem"  # the shared kind, widened by petrochem
    assert kinds["staff"] == "core"
    assert kinds["floor_event"] == "realestate" and kinds["complaint"] == "petrochem"
    realestate_only = {k.name for k in PolicyPlugins(["realestate"]).kinds}
    assert "complaint" not in realestate_only and "monthly_volume" not in realestate_only


def test_hook_decision_commands_build_the_cli_commands():
    plans = PolicyPlugins(["petrochem", "realestate"]).commands
    assert {"classify", "route", "audit", "allocate", "visits", "admit", "attribute", "commission", "conduct"} <= set(plans)
    assert plans["commission"].replay == "attribute" and plans["allocate"].own_plugin == "petrochem"
    assert plans["classify"].outcome_keys == ("level",)
