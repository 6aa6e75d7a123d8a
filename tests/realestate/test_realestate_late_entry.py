"""Late entries (issue: a registration imported today with last month's time used to take the customer
over silently). A floor event entered after later events of the same customer were already decided
is flagged in its decisions; a company can require a manager's confirmation before it counts."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from zhidu.cli import cli

ON_TIME = [
    {"event_id": "E1", "occurred_at": "2026-03-02T09:00:00", "event_type": "roster", "details": {"order": ["张三", "李四"]}},
    {"event_id": "E2", "occurred_at": "2026-03-02T10:00:00", "event_type": "visit", "customer_code": "C1"},
    {"event_id": "E3", "occurred_at": "2026-03-02T10:05:00", "event_type": "registration", "staff_code": "张三", "customer_code": "C1"},
    {"event_id": "E4", "occurred_at": "2026-03-05T10:00:00", "event_type": "registration", "staff_code": "张三", "customer_code": "C2"},
]
# Typed in after E3 was decided, saying 李四 registered C1 on 1 March: earlier than 张三.
LATE = {"event_id": "L1", "occurred_at": "2026-03-01T15:00:00", "event_type": "registration", "staff_code": "李四", "customer_code": "C1"}
# A later event of C2 entered after the run: not late (nothing of C2 after it was decided).
LATER = {"event_id": "L2", "occurred_at": "2026-03-06T15:00:00", "event_type": "registration", "staff_code": "李四", "customer_code": "C2"}
CONFIRM = {"event_id": "M1", "occurred_at": "2026-03-07T09:00:00", "event_type": "approval", "staff_code": "经理", "details": {"ref_event_id": "L1", "approved": True}}


def _file(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


@pytest.fixture
def company(tmp_path, db_url):
    def make(confirm: bool):
        result = CliRunner().invoke(cli, ["init", "floor", "--plugins", "realestate", "--preset", "vanke", "--dir", str(tmp_path), "--database", db_url])
        assert result.exit_code == 0, result.output
        profile = tmp_path / "floor.toml"
        if confirm:
            profile.write_text(profile.read_text(encoding="utf-8").replace("require_confirmation = false", "require_confirmation = true"), encoding="utf-8")
        path = str(profile)
        _run("--profile", path, "import", "floor_event", _file(tmp_path, "on_time.jsonl", ON_TIME))
        first = _run("--profile", path, "attribute", "--as-of", "2026-03-10", "-f", "jsonl")
        assert not any("late_entry" in d["outcome"] for d in first)
        _run("--profile", path, "import", "floor_event", _file(tmp_path, "late.jsonl", [LATE, LATER]))
        return path

    return make


def _about(decisions, event_id):
    return [d for d in decisions if d["inputs"].get("event_id") == event_id]


def test_a_registration_typed_in_after_later_events_were_decided_is_flagged(company):
    profile = company(confirm=False)
    decisions = _run("--profile", profile, "attribute", "--as-of", "2026-03-10", "-f", "jsonl")
    (late,) = _about(decisions, "L1")
    assert late["outcome"]["late_entry"]["entered_at"].endswith("+08:00")
    assert "补录" in late["explanation"] and "其后的事件已于" in late["explanation"]
    assert all("late_entry" not in d["outcome"] for d in _about(decisions, "L2") + _about(decisions, "E3"))
    assert late["outcome"].get("owner") == "李四"  # without the confirmation rule it counts, flagged


def test_a_company_can_require_a_managers_confirmation_before_a_late_entry_counts(company, tmp_path):
    profile = company(confirm=True)
    decisions = _run("--profile", profile, "attribute", "--as-of", "2026-03-10", "-f", "jsonl")
    (late,) = _about(decisions, "L1")
    assert late["outcome"]["status"] == "late_entry_unconfirmed" and "须经经理确认" in late["explanation"]
    owner_before = [d["outcome"].get("owner") for d in _about(decisions, "E3") if "owner" in d["outcome"]]
    assert owner_before == ["张三"]  # the unconfirmed late registration did not take the customer over
    _run("--profile", profile, "import", "floor_event", _file(tmp_path, "confirm.jsonl", [CONFIRM]))
    confirmed = _run("--profile", profile, "attribute", "--as-of", "2026-03-10", "-f", "jsonl")
    (approval,) = _about(confirmed, "M1")
    # Confirmed, the earlier registration (1 March) wins under 谁登记早是谁的客户.
    assert approval["outcome"]["owner"] == "李四" and "早于张三" in approval["explanation"]
