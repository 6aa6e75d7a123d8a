"""The plugin's declarations: kinds, commands, the rule catalogue (every rule cites a document and clause,
the README's table agrees with it), parameters and presets, and the demo sample, which imports through the
core and decides what it is meant to show."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.demo import write_sample_file
from zhidu.core.history import MemoryHistory
from zhidu.core.importer import iter_file_records
from zhidu.core.kit.readme import mismatches, table_rows
from zhidu.core.plugins import PolicyPlugins, available_plugins
from zhidu.plugins.retail.catalogue import COMPLAINTS, CONDUCT, CS, DOC9, SALES, VIP, catalogue, rule
from zhidu.plugins.retail.params import SPEC
from zhidu.plugins.retail.samples import sample_rows
from zhidu.testing import assert_readme_matches_catalogue, decide

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "plugins/retail/README.md"
EXISTING_KINDS = {"customer", "staff", "monthly_volume", "complaint", "archive", "archive_document", "archive_approval",
                  "allocation_request", "visit_report", "admission_application", "floor_event", "deal", "conduct_incident"}
EXISTING_COMMANDS = {"classify", "route", "audit", "allocate", "visits", "admit", "attribute", "commission", "conduct"}


def test_kinds_and_commands_are_the_plugins_own():
    plugins = PolicyPlugins(["retail"])
    kinds = {k.name for k in plugins.kinds if k.plugin == "retail"}
    assert kinds == {"store_staff", "staff_incident", "leave_request", "uniform_issue", "vip_customer", "store_purchase",
                     "store_complaint", "store_complaint_step"}
    assert not kinds & EXISTING_KINDS
    plans = plugins.commands
    # The standard commands through their hooks, over retail's own kinds; the rest its own.
    assert {n: (p.hook, p.input_kind) for n, p in plans.items() if p.hook} == {
        "conduct": ("assess_conduct", "staff_incident"), "classify": ("classify_customer", "vip_customer"),
        "route": ("route_complaint", "store_complaint")}
    own = {n for n, p in plans.items() if p.own_plugin == "retail"}
    assert own == {"leave", "uniforms", "store-month"} and not own & EXISTING_COMMANDS


def test_retail_loads_beside_every_installed_plugin():
    everything = PolicyPlugins(list(available_plugins()))
    assert {"conduct", "classify", "route", "attribute", "leave"} <= set(everything.commands)
    assert set(everything.commands["conduct"].kinds) == {"conduct_incident", "staff_incident"}
    assert set(everything.commands["classify"].kinds) == {"customer", "vip_customer"}
    assert set(everything.commands["route"].kinds) == {"complaint", "store_complaint"}
    assert "retail" in everything.rules.by_plugin


def test_every_rule_cites_a_document_and_clause_and_the_store_rules_both_documents():
    rules = catalogue()
    assert {r.citation.document for r in rules} == {SALES, DOC9, CS, COMPLAINTS, VIP}
    ids = {r.id for r in rules}
    assert len(ids) == 51 and len(CONDUCT) == 41
    for entry in CONDUCT:
        docs = {r.citation.document for r in rules if r.id == f"retail.{entry.key}"}
        assert docs == ({CS} if entry.key.startswith("cs_") else {SALES, DOC9}), entry.key
    assert rule("uniform_not_worn", "doc9").citation.clause == "第3部分第1条、第5条"


def test_the_readme_rule_table_lists_exactly_the_catalogue():
    rules = PolicyPlugins(["retail"]).rules.rules("retail")
    columns = {"销售客户管理制度 (sales)": SALES, "客户管理制度9 (doc9)": DOC9}
    assert mismatches(README, rules, columns) == []
    assert_readme_matches_catalogue("retail", README, columns)
    # The third column names the other documents' clauses in full.
    for row in table_rows(README):
        others = {f"{r.citation.document} {r.citation.clause}" for r in rules if r.id == row["rule id"] and r.citation.document not in columns.values()}
        assert (row["other document"] if others else "—") in (others or {"—"}), row["rule id"]


def test_parameters_defaults_are_the_texts_and_none_where_it_gives_none():
    params = SPEC.resolve()
    assert params["uniform_not_returned_rate"] == Decimal("0.6") and params["leave_approver_roles"] == ["store_manager"]
    assert params["report_recipients"] == ["department_head", "deputy_manager"] and params["leave_advance"] == "24_hours"
    for name in ("uniform_poor_care_rate", "vip_spend_bands", "vip_visit_bands", "repeat_period_days", "repeat_ladder",
                 "reply_working_days", "major_report_within_minutes"):
        assert params[name] is None, name
    assert params["sanctions"] == {} and params["track_sanctions"] == {}
    assert set(SPEC.presets) == {"sales", "doc9", "example"} and SPEC.default_preset == "sales"
    assert all(SPEC.preset_descriptions[p] for p in SPEC.presets)


def records(plugins, folder):
    return {kind: list(iter_file_records(write_sample_file(folder, kind, rows), plugins.kinds.get(kind)))
            for kind, rows in sample_rows().items()}


def test_hook_sample_data_imports_and_decides(tmp_path):
    plugins = PolicyPlugins(["retail"])
    (samples,) = [s for s in plugins.pm.hook.sample_data() if s]
    assert samples == sample_rows()
    held = records(plugins, tmp_path)
    assert {k: len(v) for k, v in held.items()} == {"store_staff": 8, "staff_incident": 9, "leave_request": 5, "uniform_issue": 4,
                                                     "vip_customer": 4, "store_purchase": 16, "store_complaint": 5}
    assert {plan.input_kind for plan in plugins.commands.values()} <= set(samples)
    by_code = lambda kind, field: {str(getattr(r, field)): [x for x in held[kind] if getattr(x, field) == getattr(r, field)] for r in held[kind]}
    history = MemoryHistory(records={"store_staff": by_code("store_staff", "code"), "store_purchase": by_code("store_purchase", "customer_code"),
                                     "staff_incident": by_code("staff_incident", "staff_code"), "uniform_issue": by_code("uniform_issue", "staff_code")})
    context = DecisionContext(company="demo", as_of=date(2026, 11, 20), calendar=WorkCalendar(), params={"retail": SPEC.resolve()},
                              history=history, options={"month": "2026-11"})

    conduct = {d.subject_id: d.outcome for d in decide(plugins, "conduct", held["staff_incident"], context)}
    assert {k: (v["status"], v["sanction"]) for k, v in conduct.items()} == {
        "I001": ("decided", "verbal_warning"), "I002": ("decided", "written_warning"), "I003": ("not_configured", None),
        "I004": ("not_configured", None), "I005": ("not_configured", None), "I006": ("not_configured", None),
        "I007": ("not_configured", None), "I008": ("unmatched", None), "I009": ("not_configured", None)}
    assert conduct["I003"]["rule"] == "leak_store_data" and conduct["I003"]["rulebook"] == "行政管理制度"
    leave = {d.subject_id: d.outcome["status"] for d in decide(plugins, "leave", held["leave_request"], context)}
    assert leave == {"L001": "not_effective", "L002": "effective", "L003": "effective", "L004": "not_effective", "L005": "pending"}
    uniforms = {d.subject_id: d.outcome["compensation"] for d in decide(plugins, "uniforms", held["uniform_issue"], context)}
    assert uniforms == {"U001": Decimal("239.99"), "U002": Decimal("0.00"), "U003": None, "U004": Decimal("0.00")}
    vip = {d.subject_id: (d.outcome["status"], [f["code"] for f in d.outcome["findings"]]) for d in decide(plugins, "classify", held["vip_customer"], context)}
    assert vip == {"V001": ("not_configured", []), "V002": ("not_configured", ["classifier_not_manager", "no_profile", "single_channel"]),
                   "V003": ("not_configured", ["unclassified"]), "V004": ("not_configured", [])}
    routed = decide(plugins, "route", held["store_complaint"], context)
    steps = {(d.subject_id, d.outcome["step"]): d.outcome["status"] for d in routed}
    # C005: promised for 11月16日 18:00, no reply by 11月20日: every step is overdue; no other complaint is.
    assert {d.subject_id for d in routed if d.outcome["overdue"]} == {"C005"}
    assert len(steps) == 30 and steps[("C002", "follow")] == "missing" and steps[("C002", "reply")] == "out_of_order"
    assert steps[("C003", "report")] == "late" and steps[("C004", "reply")] == "pending"
    month = {d.subject_id: d.outcome for d in decide(plugins, "store-month", held["store_staff"], context)}
    assert month["南京西路店@2026-11"]["compensation_due"] == Decimal("239.99") and month["淮海中路店@2026-11"]["incidents"] == 5


@pytest.mark.parametrize("kind", ["staff_incident"])
def test_the_incident_kind_stays_on_the_import_fast_path(kind):
    from zhidu.core.fastpath import FastLoader

    assert FastLoader(PolicyPlugins(["retail"]).kinds.get(kind).schema).supported
