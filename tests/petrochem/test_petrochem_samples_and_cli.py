"""The demo sample goes through the core importer and gives the decisions it is meant to show; the
plugin commands pick up the company profile's parameters through the real `zhidu` command line."""

import io
import json
from datetime import date
from decimal import Decimal

from click.testing import CliRunner

from zhidu.cli import cli
from zhidu.core.demo import run_demo, write_sample_file
from zhidu.core.history import MemoryHistory
from zhidu.core.importer import iter_file_records
from zhidu.core.plugins import PolicyPlugins
from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.samples import sample_rows
from zhidu.testing import decide


def sample_records(plugins, folder):
    """The sample rows written as `zhidu demo` writes them and read back through the core importer."""
    return {kind: list(iter_file_records(write_sample_file(folder, kind, rows), plugins.kinds.get(kind)))
            for kind, rows in sample_rows().items()}


def stored(records, **more):
    """A history holding the sample's findings and customers, as the demo's database does."""
    by_customer = {}
    for kind in ("customer_finding", "customer", "weekly_pickup"):
        for row in records[kind]:
            by_customer.setdefault(kind, {}).setdefault(getattr(row, "customer_code", None) or row.code, []).append(row)
    return MemoryHistory(records={**by_customer, **more})


def test_hook_sample_data_imports_and_decides(tmp_path, zhidu_context):
    plugins = PolicyPlugins(["petrochem"])
    (samples,) = [s for s in plugins.pm.hook.sample_data() if s]
    assert samples == sample_rows()
    records = sample_records(plugins, tmp_path)
    assert {k: len(v) for k, v in records.items()} == {
        "customer": 8, "monthly_volume": 12, "complaint": 4, "archive": 5, "customer_finding": 2, "weekly_pickup": 4,
        "allocation_request": 6, "visit_report": 4, "admission_application": 4,
    }
    # Every command of the plugin has a sample to run on (zhidu demo runs them all).
    assert {plan.input_kind for plan in plugins.commands.values()} <= set(samples)
    context = zhidu_context("petrochem", history=stored(records))
    assert context.as_of == date(2026, 11, 20) and context.parameters("petrochem") == SPEC.resolve()

    levels = {d.subject_id: d.outcome["level"] for d in decide(plugins, "classify", records["customer"], context)}
    assert levels == {"HB001": "star1", "HB002": "star2", "HB003": "star1", "HB004": "ordinary", "HB005": "auction",
                      "HB006": "star2", "HB007": "exclusive_agent", "HB009": "direct"}
    routed = {d.subject_id: d.outcome for d in decide(plugins, "route", records["complaint"], context)}
    assert routed["TS2026-001"]["due_date"] == date(2026, 2, 14) and routed["TS2026-001"]["overdue"] is False
    assert routed["TS2026-002"]["due_date"] == date(2026, 10, 15) and routed["TS2026-002"]["overdue"] is True
    assert routed["TS2026-003"]["status"] == "open_overdue" and routed["TS2026-004"]["status"] == "open"
    audited = {d.subject_id: d.outcome["status"] for d in decide(plugins, "audit", records["archive"], context)}
    assert audited == {"DA-HB001": "complete", "DA-HB002": "suspended", "DA-HB003": "incomplete",
                       "DA-HB007": "incomplete", "DA-HB006": "disqualified"}


def test_sample_review_reads_the_sample_volumes(tmp_path, zhidu_context):
    plugins = PolicyPlugins(["petrochem"])
    records = sample_records(plugins, tmp_path)
    volumes = {}
    for row in records["monthly_volume"]:
        volumes.setdefault(row.customer_code, []).append(row)
    context = zhidu_context("petrochem", period="2026Q3", history=MemoryHistory(records={"monthly_volume": volumes}))
    reviewed = {d.subject_id: d.outcome for d in decide(plugins, "classify", records["customer"], context)}
    assert reviewed["HB002"]["basis_volume"] == Decimal("2600") and reviewed["HB002"]["level"] == "star2"
    assert reviewed["HB006"]["basis_volume"] == Decimal("980") and reviewed["HB006"]["level"] == "star2"


def test_sample_allocation_visits_and_admissions_decide_what_they_are_meant_to_show(tmp_path, zhidu_context):
    plugins = PolicyPlugins(["petrochem"])
    records = sample_records(plugins, tmp_path)
    options = plugins.commands["allocate"].example_options
    assert options == {"available": "5000", "month": "2026-08"}
    context = zhidu_context("petrochem", options={"available": Decimal(options["available"]), "month": options["month"]},
                            history=stored(records))
    allocated = decide(plugins, "allocate", records["allocation_request"], context)
    shares = {d.subject_id: d.outcome["allocated"] for d in allocated if d.subject_kind == "allocation_request"}
    # direct and the exclusive agent in full; distributors by rate, then weekly balance; suspended: nothing
    assert shares == {"HB004": Decimal(1500), "HB007": Decimal(1800), "HB001": Decimal(1200), "HB003": Decimal(500),
                      "HB002": Decimal(0), "HB008": Decimal(0)}
    assert next(d for d in allocated if d.subject_id == "HB008").rule_id == "petrochem.allocation_suspended"
    # HB002's balance comes from its weekly pickup records of July; HB007 (an agent) is ranked by 配合度.
    hb002 = next(d for d in allocated if d.subject_id == "HB002")
    assert hb002.outcome["weekly_pickups"] == [Decimal(v) for v in ("250", "260", "240", "250")]
    assert hb002.outcome["weekly_variation"] == Decimal("0.0283")
    assert "配合度92分" in next(d for d in allocated if d.subject_id == "HB007").explanation
    summary = allocated[-1]
    assert (summary.subject_kind, summary.subject_id) == ("allocation", "2026-08")
    assert summary.outcome["allocated"] == Decimal(5000) and summary.outcome["requested"] == Decimal("6900.5")

    scored = decide(plugins, "visits", records["visit_report"], context)
    averages = {d.subject_id: d.outcome["average_score"] for d in scored if d.rule_id == "petrochem.visit_average"}
    assert averages == {"HB001": Decimal("90.83"), "HB002": Decimal("63.33"), "HB007": Decimal("82.50")}

    admitted = {d.subject_id: (d.rule_id, d.outcome["admitted"]) for d in decide(plugins, "admit", records["admission_application"], context)}
    assert admitted == {"XS101": ("petrochem.admission_direct", True), "XS102": ("petrochem.admission_exclusive_agent", False),
                        "XS103": ("petrochem.admission_distributor", True), "XS104": ("petrochem.disqualification", False)}


def test_demo_runs_every_petrochem_command(tmp_path):
    out = io.StringIO()
    run_demo(str(tmp_path / "demo"), date(2026, 11, 20), out)
    text = out.getvalue().split("===== realestate =====")[0]
    for command in ("classify", "route", "audit", "allocate --available 5000 --month 2026-08", "visits", "admit"):
        assert f"demo-petrochem.toml {command} ---" in text
    assert "allocation 2026-08: available=5000" in text and "2026年8月可分配5000吨" in text
    assert "customer XS104: admitted=False disqualified=True" in text
    assert "visit_report ZF2026-011" in text


def test_plugin_command_uses_the_profiles_parameters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./zhidu.db: the profile names no database, so nothing is logged
    profile = tmp_path / "hb.toml"
    profile.write_text(
        'company = "华北化工"\nplugins = ["petrochem"]\n'
        '[plugin.petrochem]\npreset = "hb"\n[plugin.petrochem.parameters]\nallocation_mode = "pro_rata"\n',
        encoding="utf-8",
    )
    requests = tmp_path / "r.json"
    requests.write_text(json.dumps({"available": "100", "records": [
        {"客户编码": "X1", "客户名称": "甲", "客户类别": "经销商", "申请量": "100"},
        {"客户编码": "X2", "客户名称": "乙", "客户类别": "经销商", "申请量": "300"},
    ]}, ensure_ascii=False), encoding="utf-8")

    def run(*args):
        result = CliRunner().invoke(cli, ["--profile", str(profile), *args])
        assert result.exit_code == 0, result.output
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        # the requests' decisions, then the month's summary decision
        assert [row["subject_kind"] for row in lines] == ["allocation_request"] * 2 + ["allocation"]
        assert lines[-1]["outcome"]["allocated"] == {"pro_rata": "100.000", "priority": "100"}[lines[-1]["outcome"]["mode"]]
        return [row["outcome"]["allocated"] for row in lines[:-1]]

    assert run("allocate", str(requests)) == ["25.000", "75.000"]  # the profile's pro_rata
    assert run("petrochem", "allocate", str(requests), "--mode", "priority") == ["100", "0"]


def test_the_sample_in_a_throwaway_company_is_decided_over_its_database(zhidu_company):
    company = zhidu_company(["petrochem"], preset="hb", parameters={"max_level_step": 0})
    company.import_samples()
    decisions = company.decide("classify", "--as-of", "2026-11-20")
    levels = {d["subject_id"]: d["outcome"]["level"] for d in decisions}
    # max_level_step 0 (no limit): HB001's 3120.5 t go straight to 三星 instead of one step up
    assert levels["HB001"] == "star3" and all(d["decision_id"] for d in decisions)
    assert [d["subject_id"] for d in company.decisions("--subject", "HB001")] == ["HB001"]
