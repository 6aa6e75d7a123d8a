"""Runs, history, the one clock and the tamper-evident log, over the database on both backends."""

import json
from datetime import date, datetime, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from zhidu.cli import cli
from zhidu.core.decisionlog import query_decisions
from zhidu.core.logverify import verify_log
from zhidu.core.service import RunRequest, run_command
from zhidu.core.workspace import Workspace

CUSTOMERS = "客户编码,客户名称,客户类别,销售形式,月提货量,月份,当前级别\n" + "".join(
    f"C{i},客户{i},经销商,计划,{500 * i},2026-10,普通客户\n" for i in range(1, 6)
)


@pytest.fixture
def company(tmp_path, db_url):
    runner = CliRunner()
    result = runner.invoke(cli, ["init", "hb", "--plugins", "petrochem", "--dir", str(tmp_path), "--database", db_url])
    assert result.exit_code == 0, result.output
    (tmp_path / "c.csv").write_text(CUSTOMERS, encoding="utf-8")
    profile = str(tmp_path / "hb.toml")
    assert runner.invoke(cli, ["--profile", profile, "import", "customer", str(tmp_path / "c.csv")]).exit_code == 0
    return profile


def invoke(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_run_cut_off_by_a_closed_output_does_not_count_and_its_ids_are_never_reused(company):
    ws = Workspace.resolve(profile_path=company)
    stream = run_command(ws, RunRequest("classify", as_of=date(2026, 11, 20), chunk_size=2))
    first = next(stream)  # `zhidu classify | head -1`: one decision printed, then the pipe closes
    stream.close()
    db = ws.database()
    try:
        assert list(query_decisions(db, limit=0, history=True)) == []  # the run never committed
        with db.engine.connect() as conn:
            status, message = conn.execute(text("SELECT status, message FROM runs WHERE command = 'classify'")).one()
        assert status == "failed" and "stopped before the end" in message
    finally:
        db.dispose()
    rerun = [json.loads(line) for line in invoke("--profile", company, "classify", "--as-of", "2026-11-20", "-f", "jsonl").splitlines()]
    assert first.decision_id not in [d["decision_id"] for d in rerun]
    assert min(d["decision_id"] for d in rerun) > first.decision_id
    explained = invoke("--profile", company, "explain", str(first.decision_id), "-f", "table")
    assert "this decision does not count" in explained


def test_decisions_show_the_current_decision_per_subject_and_the_history_on_request(company):
    invoke("--profile", company, "classify", "--as-of", "2026-11-20")
    invoke("--profile", company, "classify", "--as-of", "2026-11-21")
    current = [json.loads(x) for x in invoke("--profile", company, "decisions", "--subject", "C3", "-f", "jsonl").splitlines()]
    history = [json.loads(x) for x in invoke("--profile", company, "decisions", "--subject", "C3", "--history", "-f", "jsonl").splitlines()]
    assert len(current) == 1 and len(history) == 2
    assert current[0]["decision_id"] == history[-1]["decision_id"]


def test_runs_record_what_they_ran_under(company):
    invoke("--profile", company, "classify", "--as-of", "2026-11-20")
    ws = Workspace.resolve(profile_path=company)
    db = ws.database()
    try:
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM runs WHERE command = 'classify'")).mappings().one()
    finally:
        db.dispose()
    versions = row["plugin_versions"] if isinstance(row["plugin_versions"], dict) else json.loads(row["plugin_versions"])
    calendar = row["calendar"] if isinstance(row["calendar"], dict) else json.loads(row["calendar"])
    assert row["status"] == "committed" and row["decision_count"] == 5 and versions == {"petrochem": "0.1.0"}
    assert len(row["parameter_hash"]) == 64 and "chinesecalendar" in calendar and row["timezone"] == "Asia/Shanghai"


def test_as_of_is_today_on_the_companys_clock_not_the_hosts(monkeypatch, tmp_path):
    import zhidu.core.workspace as workspace_module

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # 2026-11-30 20:00 UTC is already 1 December in Beijing
            return datetime(2026, 11, 30, 20, 0, tzinfo=timezone.utc).astimezone(tz)

    monkeypatch.setattr(workspace_module, "datetime", Clock)
    assert Workspace().today() == date(2026, 12, 1)
    (tmp_path / "la.toml").write_text('company = "LA"\nplugins = ["petrochem"]\ntimezone = "America/Los_Angeles"\n', encoding="utf-8")
    assert Workspace.resolve(profile_path=str(tmp_path / "la.toml")).today() == date(2026, 11, 30)


def test_an_unknown_time_zone_in_the_profile_is_a_clear_error(tmp_path):
    (tmp_path / "x.toml").write_text('company = "X"\nplugins = ["petrochem"]\ntimezone = "Beijing"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--profile", str(tmp_path / "x.toml"), "config", "show"])
    assert result.exit_code == 1 and "timezone: 'Beijing' is not a known time zone" in result.output


def test_explain_shows_the_decision_time_in_beijing(company):
    (first,) = [json.loads(x) for x in invoke("--profile", company, "classify", "--id", "C1", "-f", "jsonl").splitlines()]
    assert first["decided_at"].endswith("+08:00")
    assert "+08:00" in invoke("--profile", company, "explain", str(first["decision_id"]), "-f", "table")


# --- the tamper-evident log ----------------------------------------------------------------


def _drop_guards(conn, dialect):
    if dialect == "sqlite":
        for table in ("decision_log", "parameter_sets"):
            conn.execute(text(f"DROP TRIGGER {table}_no_update"))
            conn.execute(text(f"DROP TRIGGER {table}_no_delete"))
    else:
        conn.execute(text("ALTER TABLE decision_log DISABLE TRIGGER USER"))
        conn.execute(text("ALTER TABLE parameter_sets DISABLE TRIGGER USER"))


@pytest.mark.parametrize("tamper", ["edit", "delete", "insert", "inline_parameters"])
def test_log_verify_names_rows_changed_out_of_band(company, tamper):
    invoke("--profile", company, "classify", "--as-of", "2026-11-20")
    assert "decision log intact (5 decision(s)" in invoke("--profile", company, "log", "verify")
    ws = Workspace.resolve(profile_path=company)
    db = ws.database()
    try:
        with db.engine.begin() as conn:
            _drop_guards(conn, db.dialect)
            if tamper == "edit":
                conn.execute(text("UPDATE decision_log SET explanation = '客户3为一星客户。' WHERE id = 3"))
            elif tamper == "delete":
                conn.execute(text("DELETE FROM decision_log WHERE id = 2"))
            elif tamper == "inline_parameters":  # a row naming its set given other parameters inline
                conn.execute(text("UPDATE decision_log SET parameters = '{\"max_level_step\": 2}' WHERE id = 3"))
            else:
                conn.execute(text(
                    "INSERT INTO decision_log (id, run_id, command, decided_at, as_of, subject_kind, subject_id, rule_id, "
                    "citation_document, citation_clause, outcome, explanation, plugin, plugin_version, parameters, inputs, "
                    "fingerprint, parameter_set, prev_hash, row_hash) "
                    "SELECT id + 100, run_id, command, decided_at, as_of, subject_kind, subject_id, "
                    "rule_id, citation_document, citation_clause, outcome, explanation, plugin, plugin_version, parameters, "
                    "inputs, fingerprint, parameter_set, prev_hash, row_hash FROM decision_log WHERE id = 1"
                ))
        found = verify_log(db)
    finally:
        db.dispose()
    expected = {"edit": [(3, "edited")], "delete": [(3, "link_broken")], "insert": [(101, "link_broken"), (101, "edited")],
                "inline_parameters": [(3, "edited")]}[tamper]
    assert [(f.decision_id, f.problem) for f in found.findings] == expected
    result = CliRunner().invoke(cli, ["--profile", company, "log", "verify"])
    assert result.exit_code == 1 and f"first at decision #{expected[0][0]}" in result.output


def test_parameters_are_stored_once_per_set_and_an_edited_set_breaks_every_row_using_it(company):
    """Decision rows name their parameter set by its sha256; the set is stored once, explain shows
    it, and editing the stored set out of band is found in every row that applied it."""
    invoke("--profile", company, "classify", "--as-of", "2026-11-20")
    ws = Workspace.resolve(profile_path=company)
    db = ws.database()
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, parameters, parameter_set FROM decision_log ORDER BY id")).all()
            sets = conn.execute(text("SELECT count(*) FROM parameter_sets")).scalar_one()
        assert all(parameters is None and len(digest) == 64 for _id, parameters, digest in rows), rows
        assert sets == len({digest for _id, _p, digest in rows}) < len(rows)
        shown = CliRunner().invoke(cli, ["--profile", company, "explain", "1", "-f", "json"])
        assert shown.exit_code == 0 and json.loads(shown.output)["parameters"]["tier_bands"], shown.output
        tampered = rows[0][2]
        with db.engine.begin() as conn:
            _drop_guards(conn, db.dialect)
            conn.execute(text("UPDATE parameter_sets SET parameters = :p WHERE hash = :h"), {"p": '{"max_level_step": 2}', "h": tampered})
        found = verify_log(db)
    finally:
        db.dispose()
    assert [(f.decision_id, f.problem) for f in found.findings] == [(i, "edited") for i, _p, digest in rows if digest == tampered]


def test_bulk_work_collects_young_objects_less_often_and_restores_the_collector_even_on_error():
    import gc

    from zhidu.core.engine import bulk_work

    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with bulk_work():
            assert gc.get_threshold() == (max(before[0], 50_000), *before[1:])
            raise RuntimeError("a failing run")
    assert gc.get_threshold() == before
