"""Through the CLI in-process: `zhidu standing` (each customer's standing as of a day), the decision
ids a commission cites once `attribute` logged the floor decisions, and conduct files refused at
the row and column of a mistyped severity, an unknown incident type or an unknown detail key.

Runs on SQLite always and on PostgreSQL when ZHIDU_TEST_PG_URL is set (the root ``db`` fixture).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from zhidu.cli import cli
from zhidu.core.store import counts_by_kind

CLEAN_ENV = {"ZHIDU_PROFILE": None, "ZHIDU_PLUGINS": None, "ZHIDU_TRACE": None}


def zhidu(*args, db_url=None, preset=None):
    head = ["--db", db_url] if db_url else []
    head += ["--plugins", "realestate"]
    tail = ["--preset", preset] if preset else []
    return CliRunner().invoke(cli, [*head, *args, *tail], env=CLEAN_ENV)


def decisions(result):
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def ev(event_id, when, event_type, staff=None, customer=None, **details):
    row = {"event_id": event_id, "occurred_at": when, "event_type": event_type}
    row.update({k: v for k, v in (("staff_code", staff), ("customer_code", customer)) if v})
    if details:
        row["details"] = details
    return row


CONSULTANT_FLOOR = [
    ev("E1", "2026-03-02T09:00:00", "sign_in", "张三"),
    ev("E2", "2026-03-02T10:00:00", "visit", customer="C1"),
    ev("E3", "2026-03-02T10:05:00", "registration", "张三", "C1"),
    ev("E4", "2026-03-20T15:00:00", "followup", "张三", "C1"),
    ev("E5", "2026-03-03T10:05:00", "registration", "李四", "C2"),
]


def test_standing_as_of_a_day_gives_owner_since_valid_until_and_the_renewal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    events = jsonl(tmp_path / "events.jsonl", sorted(CONSULTANT_FLOOR, key=lambda r: r["occurred_at"]))
    rows = decisions(zhidu("standing", events, "--as-of", "2026-04-10", "--format", "jsonl", preset="consultant"))
    by = {r["subject_id"]: r for r in rows}
    assert set(by) == {"C1", "C2"} and {r["rule_id"] for r in rows} == {"realestate.standing"}
    c1 = by["C1"]["outcome"]
    assert c1["owner"] == "张三" and c1["since"].startswith("2026-03-02") and c1["valid_until"] == "2026-04-20"
    assert c1["window_from"].startswith("2026-03-20")
    assert c1["set_by"]["subject_id"] == "C1@E3" and c1["set_by"]["rule"] == "realestate.first_registration"
    assert c1["renewed_by"]["subject_id"] == "C1@E4" and c1["renewed_by"]["rule"] == "realestate.window_renewed"
    assert "截至4月10日,客户C1自3月2日起归属张三,有效期自3月20日重新起算" in by["C1"]["explanation"]
    assert "置业顾问客户管理制度 五.2" in by["C1"]["explanation"]
    # C2's month (3月3日 -> through 4月3日) is over on 4月10日: no owner now
    c2 = by["C2"]["outcome"]
    assert c2["owner"] is None and c2["registered_owner"] == "李四" and c2["valid"] is False and c2["valid_until"] == "2026-04-03"
    assert "已于4月3日届满" in by["C2"]["explanation"]


def test_standing_before_the_follow_up_shows_the_first_window(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    events = jsonl(tmp_path / "events.jsonl", sorted(CONSULTANT_FLOOR, key=lambda r: r["occurred_at"]))
    rows = decisions(zhidu("standing", events, "--as-of", "2026-03-10", "--format", "jsonl", preset="consultant"))
    outcome = next(r for r in rows if r["subject_id"] == "C1")["outcome"]
    assert outcome["owner"] == "张三" and outcome["valid_until"] == "2026-04-02" and outcome["renewed_by"] is None


def test_vanke_follow_up_does_not_move_the_standing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    events = jsonl(tmp_path / "events.jsonl", sorted(CONSULTANT_FLOOR, key=lambda r: r["occurred_at"]))
    rows = decisions(zhidu("standing", events, "--as-of", "2026-04-10", "--format", "jsonl"))
    outcome = next(r for r in rows if r["subject_id"] == "C1")["outcome"]
    assert outcome["owner"] is None and outcome["valid_until"] == "2026-04-02"


FLOOR = [
    ev("E1", "2026-03-02T09:00:00", "roster", order=["张三", "李四"]),
    ev("E2", "2026-03-02T10:00:00", "visit", customer="C1"),
    ev("E3", "2026-03-02T10:05:00", "registration", "张三", "C1"),
]


def test_over_the_database_standing_and_commission_cite_the_logged_decision_ids(db, db_url, tmp_path):
    assert zhidu("import", "floor_event", jsonl(tmp_path / "e.jsonl", FLOOR), db_url=db_url).exit_code == 0
    deals = tmp_path / "deals.csv"
    deals.write_text("成交编号,客户编码,置业顾问,成交时间,佣金\nD1,C1,李四,2026-03-15 10:00,10000\n", encoding="utf-8")
    assert zhidu("import", "deal", str(deals), db_url=db_url).exit_code == 0
    # before any attribute run: subjects only
    split = decisions(zhidu("commission", "--format", "jsonl", db_url=db_url))[0]
    assert split["outcome"]["relied_on"] == [{"subject_id": "C1@E3", "rule": "realestate.first_registration", "decision_id": None}]
    floor = decisions(zhidu("attribute", "--format", "jsonl", db_url=db_url))
    registration = next(r for r in floor if r["subject_id"] == "C1@E3")
    assert registration["decision_id"] is not None
    split = decisions(zhidu("commission", "--format", "jsonl", db_url=db_url))[0]
    assert split["outcome"]["relied_on"][0]["decision_id"] == registration["decision_id"]
    assert f"依据案场决策#{registration['decision_id']}" in split["explanation"]
    standing = decisions(zhidu("standing", "--as-of", "2026-03-20", "--format", "jsonl", db_url=db_url))[0]
    assert standing["outcome"]["set_by"]["decision_id"] == registration["decision_id"]
    assert f"依据决策#{registration['decision_id']}" in standing["explanation"]


# --- conduct input ---------------------------------------------------------------------------------------

HEADER = "事件编号,工号,发生时间,事件类型,情节,详情\n"


@pytest.mark.parametrize("row, column, reason", [
    ('I1,赵六,2026-03-20 16:00,抢客,severe,\n', "情节", "'severe' is not one of"),
    ('I1,赵六,2026-03-20 16:00,吸烟,一般,\n', "事件类型", "'吸烟' is not one of"),
    ('I1,赵六,2026-03-20 16:00,抢客,严重,"{""monthly_wage"": ""3000""}"\n', "详情", "monthly_wage"),
])
def test_conduct_file_with_a_bad_cell_is_refused_naming_row_and_column(db, db_url, tmp_path, row, column, reason):
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + 'I0,张三,2026-03-20 09:00,抢客,一般,\n' + row, encoding="utf-8")
    imported = zhidu("import", "conduct_incident", str(path), db_url=db_url)
    assert imported.exit_code != 0
    message = imported.output
    assert "incidents.csv" in message and "row 3" in message and column in message and reason in message
    assert "Traceback" not in message
    assert counts_by_kind(db).get("conduct_incident", 0) == 0  # nothing half-written
    decided = zhidu("--preset", "xize", "conduct", str(path), db_url=None)
    assert decided.exit_code != 0 and column in decided.output and "Traceback" not in decided.output


def test_conduct_file_with_good_labels_decides(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + 'I1,赵六,2026-03-20 16:00,抢客,情节严重,"{""monthly_base_wage"": ""3000"", ""monthly_bonus"": ""5000""}"\n', encoding="utf-8")
    rows = decisions(zhidu("conduct", str(path), "--format", "jsonl", preset="xize"))
    assert rows[0]["outcome"]["total"] == "5500.00" and rows[0]["outcome"]["severity"] == "serious"
