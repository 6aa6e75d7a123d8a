"""The demo sample goes through the core importer and gives the decisions it is meant to show; the
plugin commands pick up the company profile's parameters through the real `zhidu` command line."""

import json
from datetime import date

from click.testing import CliRunner

from zhidu.cli import cli
from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.demo import write_sample_file
from zhidu.core.engine import decide_chunk
from zhidu.core.importer import iter_file_records
from zhidu.core.plugins import PolicyPlugins
from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.samples import sample_rows


def test_hook_sample_data_imports_and_decides(tmp_path):
    plugins = PolicyPlugins(["petrochem"])
    (samples,) = [s for s in plugins.pm.hook.sample_data() if s]
    assert samples == sample_rows()
    records = {kind: list(iter_file_records(write_sample_file(tmp_path, kind, rows), kind)) for kind, rows in samples.items()}
    assert {k: len(v) for k, v in records.items()} == {"customer": 7, "monthly_volume": 12, "complaint": 4, "archive": 5}
    context = DecisionContext(company="demo", as_of=date(2026, 11, 20), calendar=WorkCalendar(), params={"petrochem": SPEC.resolve()})

    levels = {d.subject_id: d.outcome["level"] for d in decide_chunk(plugins, "classify_customer", records["customer"], context)}
    assert levels == {"HB001": "star1", "HB002": "star2", "HB003": "star1", "HB004": "ordinary", "HB005": "auction",
                      "HB006": "star2", "HB007": "exclusive_agent"}
    routed = {d.subject_id: d.outcome for d in decide_chunk(plugins, "route_complaint", records["complaint"], context)}
    assert routed["TS2026-001"]["due_date"] == date(2026, 2, 14) and routed["TS2026-001"]["overdue"] is False
    assert routed["TS2026-002"]["due_date"] == date(2026, 10, 15) and routed["TS2026-002"]["overdue"] is True
    assert routed["TS2026-003"]["status"] == "open_overdue" and routed["TS2026-004"]["status"] == "open"
    audited = {d.subject_id: d.outcome["status"] for d in decide_chunk(plugins, "validate_archive", records["archive"], context)}
    assert audited == {"DA-HB001": "complete", "DA-HB002": "suspended", "DA-HB003": "incomplete",
                       "DA-HB007": "incomplete", "DA-HB006": "disqualified"}


def test_plugin_command_uses_the_profiles_parameters(tmp_path):
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
        return [json.loads(line)["outcome"]["allocated"] for line in result.stdout.splitlines()]

    assert run("allocate", str(requests)) == ["25.000", "75.000"]  # the profile's pro_rata
    assert run("petrochem", "allocate", str(requests), "--mode", "priority") == ["100", "0"]
