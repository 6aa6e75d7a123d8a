"""The plugin through the core: entry point, engine chunks, JSON-ready decisions, and the CLI on files."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from click.testing import CliRunner

from zhidu.core.engine import chunked, replay_chunk
from zhidu.core.plugins import PolicyPlugins
from zhidu.plugins.realestate.params import SPEC
from zhidu.plugins.realestate.records import ConductIncident, Deal, FloorEvent
from zhidu.testing import decide, make_context


def decide_in_chunks(plugins, command, records, context, chunk_size):
    """The command over records the way a run feeds them: chunk by chunk, one context."""
    return [d for chunk in chunked(records, chunk_size) for d in decide(plugins, command, chunk, context)]


def _events():
    t = lambda d, h, m=0: datetime(2026, 3, d, h, m)  # noqa: E731
    return [
        FloorEvent("E1", t(2, 9), "排班", details={"order": ["张三", "李四", "王五"]}),
        FloorEvent("E2", t(2, 10), "来访", customer_code="C1"),
        FloorEvent("E3", t(2, 10, 5), "来访登记", "张三", "C1"),
        FloorEvent("E4", t(2, 11), "来访", customer_code="C2"),
        FloorEvent("E5", t(2, 11, 5), "来访登记", "李四", "C2"),
        # same day as C2's first visit: a mid-reception designation (a day later it would be 万科§5.3)
        FloorEvent("E6", t(2, 11, 30), "指定接待", "王五", "C2", "李四", details={"stage": "during", "manager_approved": True}),
        FloorEvent("E7", t(3, 9), "排班", details={"order": ["张三", "李四", "王五"]}),
        FloorEvent("E8", t(3, 10), "来访", customer_code="C1", details={"visited_before": True, "named_staff": ["张三"]}),
        FloorEvent("E9", t(3, 11), "来电", "王五", "C3"),
        FloorEvent("E10", t(3, 12), "来访", customer_code="C4", details={"nonsense": 1}),
    ]


@pytest.fixture
def plugins():
    return PolicyPlugins(["realestate"])


def _context(preset="vanke"):
    return make_context("realestate", preset=preset, as_of=date(2026, 3, 31))


def test_plugin_implements_its_hooks(plugins):
    assert plugins.hooks_of("realestate") == ["assess_conduct", "attribute_lead", "decision_commands", "policy_parameters",
                                              "record_kinds", "report_sections", "rule_catalogue", "sample_data", "split_commission"]
    assert plugins.parameter_specs()["realestate"] is SPEC


def test_plugin_declares_its_kinds_and_commands(plugins):
    kinds = {k.name: k for k in plugins.kinds if k.plugin == "realestate"}
    assert set(kinds) == {"floor_event", "deal", "conduct_incident"}
    floor_event = kinds["floor_event"]
    assert floor_event.append_only and floor_event.order_by == "occurred_at" and floor_event.natural_key == ("event_id",)
    assert floor_event.record_class is FloorEvent and kinds["deal"].record_class is Deal
    assert kinds["conduct_incident"].record_class is ConductIncident
    assert not kinds["deal"].append_only and kinds["deal"].order_by is None
    commands = plugins.commands
    assert {n: (p.hook, p.input_kind, p.replay) for n, p in commands.items()} == {
        "attribute": ("attribute_lead", "floor_event", None),
        "commission": ("split_commission", "deal", "attribute"),
        "conduct": ("assess_conduct", "conduct_incident", None),
        "standing": (None, "floor_event", None),
    }
    assert commands["attribute"].option("strict").flag
    assert commands["commission"].option("events").records_kind == "floor_event"


def test_replay_through_the_engine_in_small_chunks_matches_one_chunk(plugins):
    one = [d.to_dict() for d in decide_in_chunks(plugins, "attribute", _events(), _context(), chunk_size=100)]
    many = [d.to_dict() for d in decide_in_chunks(plugins, "attribute", _events(), _context(), chunk_size=3)]
    assert one == many
    text = json.dumps(one, ensure_ascii=False)
    assert "realestate.invalid_event" in text
    rules = [d["rule_id"] for d in one]
    assert rules == [
        "realestate.rotation", "realestate.first_registration", "realestate.rotation", "realestate.first_registration",
        "realestate.designation_split", "realestate.returning_owner", "realestate.phone_not_ownership",
        "realestate.invalid_event",
    ]
    assert all(d["plugin"] == "realestate" and d["fingerprint"] for d in one)


def test_commission_after_replay_uses_the_replayed_state(plugins):
    context = _context("consultant")
    # as a run does it: the declared replay ("attribute") feeds the floor events for state only
    plan = plugins.commands["commission"]
    for chunk in chunked(_events(), 4):
        replay_chunk(plugins.commands[plan.replay], chunk, context)
    deals = [Deal("D1", "C2", "王五", datetime(2026, 3, 10, 10), Decimal("20000")), Deal("D2", "C1", "张三", datetime(2026, 3, 11), Decimal("0"))]
    out = decide(plugins, "commission", deals, context)
    by = {d.subject_id: d for d in out}
    assert by["D1"].outcome["shares"] == [
        {"party": "李四", "role": "first_receiver", "share": "0.55", "amount": "11000.00"},
        {"party": "王五", "role": "designated", "share": "0.45", "amount": "9000.00"},
    ]
    assert by["D2"].outcome["shares"][0]["amount"] == "0.00"
    json.dumps([d.to_dict() for d in out], ensure_ascii=False)


def test_conduct_through_the_engine(plugins):
    incidents = [ConductIncident("I1", "张三", datetime(2026, 3, 5, 10), "抢客", "严重", None, {"monthly_base_wage": "3000", "monthly_bonus": "2000"})]
    (d,) = decide(plugins, "conduct", incidents, _context("xize"))
    assert d.to_dict()["outcome"]["total"] == "4000.00"


JSONL = "\n".join(json.dumps(row, ensure_ascii=False) for row in [
    {"event_id": "E1", "occurred_at": "2026-03-02T09:00:00", "event_type": "roster", "details": {"order": ["张三", "李四"]}},
    {"event_id": "E2", "occurred_at": "2026-03-02T10:00:00", "event_type": "visit", "customer_code": "C1"},
    {"event_id": "E3", "occurred_at": "2026-03-02T10:05:00", "event_type": "registration", "staff_code": "张三", "customer_code": "C1"},
    {"event_id": "E4", "occurred_at": "2026-04-20T10:05:00", "event_type": "registration", "staff_code": "李四", "customer_code": "C1"},
]) + "\n"

CSV = (
    "事件编号,发生时间,事件类型,置业顾问,客户编码,相关置业顾问,相关客户,详情\n"
    'E1,2026-03-02 09:00,排班,,,,,"{""order"": [""张三"", ""李四""]}"\n'
    "E2,2026-03-02 10:00,来访,,C1,,,\n"
    "E3,2026-03-02 10:05,来访登记,张三,C1,,,\n"
    "E4,2026-04-20 10:05,来访登记,李四,C1,,,\n"
)


@pytest.mark.parametrize("name, content", [("events.jsonl", JSONL), ("events.csv", CSV)])
@pytest.mark.parametrize("preset, last_rule", [("vanke", "realestate.registration_expired"), ("xize", "realestate.registration_conflict")])
def test_cli_attribute_over_a_file_without_a_database(tmp_path, monkeypatch, name, content, preset, last_rule):
    from zhidu.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--plugins", "realestate", "--preset", preset, "attribute", name, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [r["subject_id"] for r in rows] == ["E2", "C1@E3", "C1@E4"]
    assert rows[-1]["rule_id"] == last_rule
    assert not list(tmp_path.glob("*.db"))


def test_demo_sample_imports_and_decides(tmp_path):
    """The `zhidu demo` sample goes through the same validation as real data and decides cleanly."""
    from zhidu.core.demo import write_sample_file
    from zhidu.core.importer import iter_file_records
    from zhidu.plugins.realestate.samples import sample_rows

    plugins = PolicyPlugins(["realestate"])
    context = _context()
    rows = sample_rows()
    files = {kind: write_sample_file(tmp_path, kind, items) for kind, items in rows.items()}
    events = list(iter_file_records(str(files["floor_event"]), plugins.kinds.get("floor_event")))
    decided = list(decide(plugins, "attribute", events, context))
    assert not [d for d in decided if d.rule_id == "realestate.invalid_event"]
    deals = list(iter_file_records(str(files["deal"]), plugins.kinds.get("deal")))
    splits = {d.subject_id: d for d in decide(plugins, "commission", deals, context)}
    assert splits["D001"].rule_id == "realestate.recognized_split"
    assert splits["D002"].rule_id == "realestate.referral_split"
    assert splits["D003"].rule_id == "realestate.family_share_split"
    assert splits["D004"].rule_id == "realestate.designation_split"
    assert splits["D006"].rule_id == "realestate.escalated_split"
    assert splits["D007"].rule_id == "realestate.company_designated"  # leader-designated, whatever the deal's mode
    assert "realestate.old_not_announced" in {d.rule_id for d in decided}
    assert "realestate.window_renewed" in {d.rule_id for d in decided}
    for d in splits.values():
        assert sum(Decimal(s["amount"]) for s in d.outcome["shares"]) == d.outcome["commission"]
